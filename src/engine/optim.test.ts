// AdamW and SGD (parameter groups, weight decay, betas, momentum), gradient clipping and optimizer
// state save/restore, against Debian's PyTorch doing the same steps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rng, uniform } from "../../test/helpers/random.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { AdamW, clipGradNorm, F, SGD, type Tensor, tensor, tidy } from "./index.js";

const STEPS = 5;

// A fixed problem: y = tanh(x W1ᵀ) W2ᵀ, loss = mean((y - t)²), in float64.
function problem() {
  const next = rng(99);
  return {
    x: uniform(next, 4 * 3),
    t: uniform(next, 4 * 2),
    w1: uniform(next, 5 * 3),
    w2: uniform(next, 2 * 5),
  };
}

type Kind = "adamw" | "sgd";

function trainOurs(kind: Kind, clip: number | null): { w1: number[]; w2: number[]; norms: number[] } {
  const p = problem();
  const w1 = tensor(p.w1, [5, 3], { dtype: "float64" }).setRequiresGrad();
  const w2 = tensor(p.w2, [2, 5], { dtype: "float64" }).setRequiresGrad();
  const opt =
    kind === "adamw"
      ? new AdamW([
          { params: [w1], lr: 0.05, betas: [0.8, 0.95], eps: 1e-7, weightDecay: 0.1 },
          { params: [w2], lr: 0.02, weightDecay: 0 },
        ])
      : new SGD([
          { params: [w1], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
          { params: [w2], lr: 0.05 },
        ]);
  const norms: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    tidy(() => {
      opt.zeroGrad();
      const x = tensor(p.x, [4, 3], { dtype: "float64" });
      const t = tensor(p.t, [4, 2], { dtype: "float64" });
      F.linear(F.linear(x, w1).tanh(), w2).sub(t).square().mean().backward();
      if (clip !== null) norms.push(clipGradNorm([w1, w2], clip));
      opt.step();
    });
  }
  return { w1: w1.toArray(), w2: w2.toArray(), norms };
}

const REFERENCE = `
import json, sys, torch
torch.set_num_threads(1)
a = json.load(sys.stdin)
p = a["p"]
w1 = torch.tensor(p["w1"], dtype=torch.float64).reshape(5, 3).requires_grad_()
w2 = torch.tensor(p["w2"], dtype=torch.float64).reshape(2, 5).requires_grad_()
if a["kind"] == "adamw":
    opt = torch.optim.AdamW([{"params": [w1], "lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-7, "weight_decay": 0.1},
                             {"params": [w2], "lr": 0.02, "weight_decay": 0}])
else:
    opt = torch.optim.SGD([{"params": [w1], "lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
                           {"params": [w2], "lr": 0.05}])
x = torch.tensor(p["x"], dtype=torch.float64).reshape(4, 3)
t = torch.tensor(p["t"], dtype=torch.float64).reshape(4, 2)
norms = []
for _ in range(${STEPS}):
    opt.zero_grad()
    ((torch.tanh(x @ w1.T) @ w2.T - t) ** 2).mean().backward()
    if a["clip"] is not None:
        norms.append(float(torch.nn.utils.clip_grad_norm_([w1, w2], a["clip"])))
    opt.step()
print(json.dumps({"w1": w1.detach().reshape(-1).tolist(), "w2": w2.detach().reshape(-1).tolist(), "norms": norms}))
`;

function assertClose(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    assert.ok(Math.abs(x - (b[i] as number)) <= 1e-12, `${what}[${i}]: ${x} vs ${b[i]}`);
  });
}

for (const [kind, clip] of [
  ["adamw", null],
  ["sgd", null],
  ["adamw", 0.05],
] as [Kind, number | null][]) {
  test(`${kind}${clip ? " with gradient clipping" : ""} matches PyTorch step for step`, (t) => {
    const why = torchUnavailable();
    if (why) return t.skip(why);
    const ours = trainOurs(kind, clip);
    const ref = runPython<{ w1: number[]; w2: number[]; norms: number[] }>(REFERENCE, {
      p: problem(),
      kind,
      clip,
    });
    assertClose(ours.w1, ref.w1, "w1");
    assertClose(ours.w2, ref.w2, "w2");
    assertClose(ours.norms, ref.norms, "grad norm");
  });
}

test("optimizer state saved mid-run and loaded into a fresh optimizer continues identically", () => {
  const run = (interrupt: boolean): number[] => {
    const w = tensor([0.5, -1, 2], [3], { dtype: "float64" }).setRequiresGrad();
    let opt = new AdamW([{ params: [w], lr: 0.1 }]);
    for (let s = 0; s < 6; s++) {
      if (interrupt && s === 3) {
        const state = opt.saveState();
        opt = new AdamW([{ params: [w], lr: 0.1 }]);
        opt.loadState(state);
      }
      tidy(() => {
        opt.zeroGrad();
        w.sub(tensor([1, 2, 3], [3], { dtype: "float64" }))
          .square()
          .sum()
          .backward();
        opt.step();
      });
    }
    return w.toArray();
  };
  assert.deepEqual(run(true), run(false));
});

test("learning rates are set per group", () => {
  const a = tensor([1], [1]).setRequiresGrad();
  const b = tensor([1], [1]).setRequiresGrad();
  const opt = new SGD([
    { params: [a], lr: 0.1 },
    { params: [b], lr: 0.2 },
  ]);
  opt.setLr(0.5, 1);
  assert.equal(opt.getLr(0), 0.1);
  assert.equal(opt.getLr(1), 0.5);
  opt.setLr(0.3);
  assert.equal(opt.getLr(0), 0.3);
  assert.throws(() => opt.getLr(2), /no parameter group 2/);
  const params: Tensor[] = [a, b];
  for (const p of params) p.dispose();
});
