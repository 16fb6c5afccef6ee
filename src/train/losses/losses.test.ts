// Loss values and gradients against a PyTorch reference written from the published definitions
// (DPO, conservative DPO, IPO, hinge, RRHF ranking, SFT NLL), and the step-0 identities.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rng, uniform } from "../../../test/helpers/random.js";
import { TEST_DEVICE, tolerance } from "../../../test/helpers/test-device.js";
import { runPython, torchUnavailable } from "../../../test/helpers/torch-python.js";
import { type Tensor, tensor, tidy } from "../../engine/index.js";
import { type PreferenceLossType, preferenceLoss } from "./preference.js";
import { rankingLoss } from "./ranking.js";
import { meanLogps, sumLogps } from "./sequence-logps.js";
import { sftLoss } from "./sft.js";

const B = 4;
const T = 6;

function batch(seed: number) {
  const next = rng(seed);
  const tok = () => uniform(next, B * T, -3, -0.05);
  const mask = () => Array.from({ length: B * T }, (_, i) => (i % T < 2 + ((i / T) | 0) ? 1 : 0));
  return { pc: tok(), pr: tok(), rc: tok(), rr: tok(), mc: mask(), mr: mask() };
}

const f64 = (v: number[], shape: number[]) => tensor(v, shape, { dtype: "float64", device: TEST_DEVICE });

interface Ours {
  loss: number;
  gradChosen: number[];
  gradRejected: number[];
  chosenRewards: number[];
  rejectedRewards: number[];
}

function ours(type: PreferenceLossType, beta: number, eps: number, sftWeight: number, seed: number): Ours {
  return tidy(() => {
    const b = batch(seed);
    const pc = f64(b.pc, [B, T]).setRequiresGrad();
    const pr = f64(b.pr, [B, T]).setRequiresGrad();
    const mc = f64(b.mc, [B, T]);
    const mr = f64(b.mr, [B, T]);
    // IPO compares length-normalised log-probabilities (TRL divides by completion length).
    const seq = type === "ipo" ? meanLogps : sumLogps;
    const r = preferenceLoss(
      {
        policyChosen: seq(pc, mc),
        policyRejected: seq(pr, mr),
        refChosen: seq(f64(b.rc, [B, T]), mc),
        refRejected: seq(f64(b.rr, [B, T]), mr),
      },
      { type, beta, labelSmoothing: eps },
    );
    const loss = r.losses.mean().add(sftLoss(pc, mc).mul(sftWeight));
    loss.backward();
    return {
      loss: loss.item(),
      gradChosen: (pc.grad as Tensor).toArray(),
      gradRejected: (pr.grad as Tensor).toArray(),
      chosenRewards: r.chosenRewards.toArray(),
      rejectedRewards: r.rejectedRewards.toArray(),
    };
  });
}

const REFERENCE = `
import json, sys, torch
import torch.nn.functional as F
out = []
for c in json.load(sys.stdin):
    B, T = c["B"], c["T"]
    t = lambda k: torch.tensor(c[k], dtype=torch.float64).reshape(B, T)
    pc, pr = t("pc").requires_grad_(), t("pr").requires_grad_()
    rc, rr, mc, mr = t("rc"), t("rr"), t("mc"), t("mr")
    if c["type"] == "ipo":
        seq = lambda x, m: (x * m).sum(-1) / m.sum(-1)
    else:
        seq = lambda x, m: (x * m).sum(-1)
    logits = (seq(pc, mc) - seq(pr, mr)) - (seq(rc, mc) - seq(rr, mr))
    beta, eps = c["beta"], c["eps"]
    if c["type"] == "sigmoid":
        losses = -F.logsigmoid(beta * logits) * (1 - eps) - F.logsigmoid(-beta * logits) * eps
    elif c["type"] == "hinge":
        losses = torch.relu(1 - beta * logits)
    else:
        losses = (logits - 1 / (2 * beta)) ** 2
    nll = -(pc * mc).sum() / mc.sum()
    loss = losses.mean() + c["sft"] * nll
    loss.backward()
    out.append({"loss": loss.item(), "gc": pc.grad.reshape(-1).tolist(), "gr": pr.grad.reshape(-1).tolist(),
                "cr": (beta * (seq(pc, mc) - seq(rc, mc))).tolist(), "rr": (beta * (seq(pr, mr) - seq(rr, mr))).tolist()})
print(json.dumps(out))
`;

const CASES: { type: PreferenceLossType; beta: number; eps: number; sft: number }[] = [
  { type: "sigmoid", beta: 0.1, eps: 0, sft: 0 },
  { type: "sigmoid", beta: 0.5, eps: 0, sft: 1 },
  { type: "sigmoid", beta: 0.1, eps: 0.2, sft: 0.5 },
  { type: "hinge", beta: 0.1, eps: 0, sft: 0 },
  { type: "hinge", beta: 2, eps: 0, sft: 1 },
  { type: "ipo", beta: 0.1, eps: 0, sft: 0 },
  { type: "ipo", beta: 0.5, eps: 0, sft: 2 },
];

test("preference losses + λ·SFT match the PyTorch reference (values, gradients, rewards)", (t) => {
  const why = torchUnavailable();
  if (why) return t.skip(why);
  const input = CASES.map((c, i) => ({
    ...batch(i),
    B,
    T,
    type: c.type,
    beta: c.beta,
    eps: c.eps,
    sft: c.sft,
  }));
  const ref = runPython<{ loss: number; gc: number[]; gr: number[]; cr: number[]; rr: number[] }[]>(
    REFERENCE,
    input,
  );
  CASES.forEach((c, i) => {
    const o = ours(c.type, c.beta, c.eps, c.sft, i);
    const r = ref[i]!;
    const near = (a: number, b: number, what: string) =>
      assert.ok(
        Math.abs(a - b) <= tolerance(1e-10, "float64") * (1 + Math.abs(b)),
        `${c.type} β=${c.beta} ε=${c.eps} λ=${c.sft} ${what}: ${a} vs ${b}`,
      );
    near(o.loss, r.loss, "loss");
    for (const [k, g] of o.gradChosen.entries()) near(g, r.gc[k]!, `dL/dchosen[${k}]`);
    for (const [k, g] of o.gradRejected.entries()) near(g, r.gr[k]!, `dL/drejected[${k}]`);
    for (const [k, g] of o.chosenRewards.entries()) near(g, r.cr[k]!, `rewards/chosen[${k}]`);
    for (const [k, g] of o.rejectedRewards.entries()) near(g, r.rr[k]!, `rewards/rejected[${k}]`);
  });
});

test("with policy = reference, DPO loss is ln 2, rewards are 0, IPO is 1/(4β²), hinge is 1", () => {
  tidy(() => {
    const lp = f64([-3, -7, -1.5], [3]);
    const lr = f64([-2, -9, -4], [3]);
    const pair = { policyChosen: lp, policyRejected: lr, refChosen: lp, refRejected: lr };
    const dpo = preferenceLoss(pair, { type: "sigmoid", beta: 0.1 });
    for (const v of dpo.losses.toArray()) assert.ok(Math.abs(v - Math.LN2) < tolerance(1e-15, "float64"));
    assert.deepEqual(dpo.chosenRewards.toArray(), [0, 0, 0]);
    assert.deepEqual(dpo.rejectedRewards.toArray(), [0, 0, 0]);
    const cdpo = preferenceLoss(pair, { type: "sigmoid", beta: 0.1, labelSmoothing: 0.3 });
    for (const v of cdpo.losses.toArray()) assert.ok(Math.abs(v - Math.LN2) < tolerance(1e-15, "float64"));
    for (const v of preferenceLoss(pair, { type: "ipo", beta: 0.5 }).losses.toArray()) assert.equal(v, 1);
    for (const v of preferenceLoss(pair, { type: "hinge", beta: 0.1 }).losses.toArray()) assert.equal(v, 1);
  });
});

test("the ranking loss counts only misordered pairs, by their log-probability gap", () => {
  tidy(() => {
    // Rewards rank response 2 > 0 > 1. Log-probs order 1 > 0 > 2: pairs (1<0): p1−p0 = 0.5,
    // (1<2): p1−p2 = 1.5, (0<2): p0−p2 = 1.0 → 3.0. Second row is perfectly ordered → 0.
    const p = f64([-1, -0.5, -2, -0.1, -1, -3], [2, 3]);
    const r = f64([0.5, 0.1, 0.9, 3, 2, 1], [2, 3]);
    assert.deepEqual(rankingLoss(p, r).toArray(), [3, 0]);
    // Ties in reward contribute nothing.
    assert.deepEqual(rankingLoss(f64([-1, -2], [1, 2]), f64([1, 1], [1, 2])).toArray(), [0]);
  });
});
