// The preference trainer against independent references: the loss and every parameter gradient of each
// preference loss + λ·SFT equal Debian PyTorch's on the same weights and examples; with policy =
// reference the first step's loss is ln 2 (DPO), 1/(4β²) (IPO) or 1 (hinge) with zero rewards, through
// the real training loop; a tiny model learns a small preference set.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { largestGradientDifference } from "../../test/helpers/gradient-difference.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { tinyLlamaConfig, tinyModelDir } from "../../test/helpers/tiny-model.js";
import { TINY_PREFERENCES } from "../../test/helpers/tiny-preferences.js";
import { runPythonFile, torchUnavailable } from "../../test/helpers/torch-python.js";
import { testTrainerOptions } from "../../test/helpers/trainer-options.js";
import { tidy } from "../engine/index.js";
import { loadModel } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { type PreferenceExample, readPreferenceExamples } from "./preference-examples.js";
import { type PreferenceObjectiveOptions, preferenceObjective } from "./preference-objective.js";
import { referenceLogps } from "./preference-reference.js";
import { train } from "./trainer.js";

const REFERENCE = fileURLToPath(
  new URL("../../../test/reference/preference_grad_reference.py", import.meta.url),
);
const at = { file: "t.jsonl", line: 1 };
const pair = (prompt: number[], chosen: number[], rejected: number[]): PreferenceExample => ({
  prompt,
  responses: [chosen, rejected],
  rewards: [1, 0],
  chosen: 0,
  rejected: 1,
  at,
});

// Prompts and responses of different lengths, so both kinds of padding are exercised.
const PAIRS: PreferenceExample[] = [
  pair([256, 72, 105], [33, 32, 104, 101, 257], [63, 257]),
  pair([256, 97, 98, 99, 100, 101], [103, 257], [120, 121, 122, 257]),
  pair([256, 120], [121, 122, 122, 257], [121, 257]),
];
const LISTS: PreferenceExample[] = [
  {
    prompt: [256, 72],
    responses: [
      [97, 257],
      [98, 99, 257],
      [100, 257],
    ],
    rewards: [0.2, 0.9, 0.5],
    chosen: 1,
    rejected: 0,
    at,
  },
  {
    prompt: [256, 65, 66, 67],
    responses: [
      [120, 257],
      [121, 122, 123, 124, 257],
    ],
    rewards: [1, 3],
    chosen: 1,
    rejected: 0,
    at,
  },
  {
    prompt: [256, 33],
    responses: [
      [50, 257],
      [51, 257],
      [52, 53, 257],
      [54, 257],
    ],
    rewards: [4, 1, 3, 2],
    chosen: 0,
    rejected: 1,
    at,
  },
];

const CASES: (PreferenceObjectiveOptions & { data: PreferenceExample[] })[] = [
  { loss: "sigmoid", beta: 0.1, labelSmoothing: 0, sftWeight: 0, data: PAIRS },
  { loss: "sigmoid", beta: 0.5, labelSmoothing: 0.2, sftWeight: 1, data: PAIRS },
  { loss: "hinge", beta: 0.1, labelSmoothing: 0, sftWeight: 0.5, data: PAIRS },
  { loss: "ipo", beta: 0.1, labelSmoothing: 0, sftWeight: 0, data: PAIRS },
  { loss: "ipo", beta: 0.5, labelSmoothing: 0, sftWeight: 2, data: PAIRS },
  { loss: "ranking", beta: 0.1, labelSmoothing: 0, sftWeight: 1, data: LISTS },
];

interface Reference {
  loss: number;
  chosen_rewards: number[];
  rejected_rewards: number[];
  grads: Record<string, number[]>;
}

test("every preference loss + λ·SFT: loss and parameter gradients equal PyTorch's (same weights, batch)", async (t) => {
  const why = torchUnavailable();
  if (why) return t.skip(why);
  const { dir } = tinyModelDir(21);
  // The reference model is another random model, so h ≠ 0 and every loss is away from its identity.
  const { dir: refDir } = tinyModelDir(22);
  const cache = mkdtempSync(join(tmpdir(), "calign-ref-"));
  try {
    const refModel = loadModel(refDir, { device: TEST_DEVICE });
    const refs = new Map<PreferenceExample[], number[][]>();
    for (const d of [PAIRS, LISTS])
      refs.set(d, (await referenceLogps(refModel, d, { cacheDir: cache, batchSize: 2 })).sums);
    refModel.dispose();
    const model = loadModel(dir, { device: TEST_DEVICE });
    for (const p of model.params.values()) p.setRequiresGrad(true);
    const theirs = (data: PreferenceExample[], cases: typeof CASES) =>
      runPythonFile<Reference[]>(REFERENCE, {
        config: tinyLlamaConfig(),
        weights: join(dir, "model.safetensors"),
        examples: data.map((e, i) => ({ ...e, at: undefined, ref: refs.get(data)?.[i] })),
        cases: cases.map((c) => ({ loss: c.loss, beta: c.beta, eps: c.labelSmoothing, sft: c.sftWeight })),
      });
    const pairCases = CASES.filter((c) => c.data === PAIRS);
    const listCases = CASES.filter((c) => c.data === LISTS);
    const expected = [...theirs(PAIRS, pairCases), ...theirs(LISTS, listCases)];
    [...pairCases, ...listCases].forEach((c, k) => {
      const ref = expected[k] as Reference;
      const objective = preferenceObjective(model, c.data, refs.get(c.data) ?? [], c, null);
      const all = c.data.map((_, i) => i);
      for (const p of model.params.values()) p.grad = null;
      const { loss, sums } = tidy(() => {
        const r = objective.loss(all, objective.units(all), 0, all);
        r.loss.backward();
        return { loss: r.loss.item(), sums: r.sums };
      });
      const name = `${c.loss} β=${c.beta} ε=${c.labelSmoothing} λ=${c.sftWeight}`;
      assert.ok(Math.abs(loss - ref.loss) < tolerance(1e-5), `${name}: loss ${loss} vs ${ref.loss}`);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const n = c.data.length;
      assert.ok(
        Math.abs((sums["rewards/chosen"] as number) / n - mean(ref.chosen_rewards)) < tolerance(1e-5),
        name,
      );
      assert.ok(
        Math.abs((sums["rewards/rejected"] as number) / n - mean(ref.rejected_rewards)) < tolerance(1e-5),
        name,
      );
      const worst = largestGradientDifference(model.params, ref.grads);
      t.diagnostic(
        `${name}: |Δloss| ${Math.abs(loss - ref.loss).toExponential(2)}, max |Δgrad| ${worst.toExponential(2)}`,
      );
      assert.ok(worst < tolerance(1e-5), `${name}: largest gradient difference ${worst}`);
    });
    model.dispose();
  } finally {
    for (const d of [dir, refDir, cache]) rmSync(d, { recursive: true, force: true });
  }
});

const options = testTrainerOptions;

test("policy = reference: the first step's DPO loss is ln 2, IPO 1/(4β²), hinge 1, rewards 0", async (t) => {
  const { dir } = tinyModelDir(23);
  try {
    const model = loadModel(dir, { device: TEST_DEVICE });
    const ref = await referenceLogps(model, PAIRS, { cacheDir: join(dir, "cache"), batchSize: 8 });
    const cases: [PreferenceObjectiveOptions, number][] = [
      [{ loss: "sigmoid", beta: 0.1, labelSmoothing: 0, sftWeight: 0 }, Math.LN2],
      [{ loss: "sigmoid", beta: 0.1, labelSmoothing: 0.25, sftWeight: 0 }, Math.LN2],
      [{ loss: "ipo", beta: 0.5, labelSmoothing: 0, sftWeight: 0 }, 1],
      [{ loss: "hinge", beta: 0.1, labelSmoothing: 0, sftWeight: 0 }, 1],
      // With the SFT term the preference part is still ln 2 and the total adds λ·SFT.
      [{ loss: "sigmoid", beta: 0.1, labelSmoothing: 0, sftWeight: 1 }, Math.LN2],
    ];
    let worst = 0;
    for (const [k, [opts, want]] of cases.entries()) {
      // learning rate 0: the weights stay the reference's from run to run.
      const r = await train(
        preferenceObjective(model, PAIRS, ref.sums, opts, null),
        options(join(dir, `out${k}`), { maxSteps: 1, learningRate: 0 }),
      );
      const m = r.lastMetrics ?? {};
      assert.ok(
        Math.abs((m["loss/preference"] as number) - want) < tolerance(1e-6),
        `${opts.loss}: ${m["loss/preference"]}`,
      );
      const total = want + opts.sftWeight * (m["loss/sft"] as number);
      assert.ok(
        Math.abs((m.loss as number) - total) < tolerance(1e-6),
        `${opts.loss}: loss ${m.loss} vs ${total}`,
      );
      for (const key of ["rewards/chosen", "rewards/rejected", "rewards/margins"]) {
        worst = Math.max(worst, Math.abs(m[key] as number));
        assert.ok(Math.abs(m[key] as number) < tolerance(1e-5), `${opts.loss}: ${key} ${m[key]}`);
      }
      assert.ok((m["loss/sft"] as number) > 0);
    }
    t.diagnostic(`largest |rewards/*| at step 0: ${worst.toExponential(2)}`);
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a tiny model learns a small preference set: rewards/accuracies reaches 1 (DPO and ranking)", async () => {
  const { dir } = tinyModelDir(24);
  try {
    const tok = loadTokenizer(dir);
    const file = join(dir, "prefs.jsonl");
    const rows = TINY_PREFERENCES;
    writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const lists = join(dir, "lists.jsonl");
    writeFileSync(
      lists,
      rows
        .map(
          (r) =>
            `${JSON.stringify({ prompt: r.prompt, responses: [r.rejected, r.chosen, "?"], rewards: [0, 2, 1] })}\n`,
        )
        .join(""),
    );
    for (const [data, loss] of [
      [file, "sigmoid"],
      [lists, "ranking"],
    ] as const) {
      const { examples } = await readPreferenceExamples(data, tok, {
        maxLength: 32,
        chat: false,
        eosId: 257,
        pairsOnly: loss !== "ranking",
      });
      const model = loadModel(dir, { device: TEST_DEVICE });
      const ref = await referenceLogps(model, examples, { cacheDir: join(dir, "cache"), batchSize: 4 });
      const opts = { loss, beta: 0.1, labelSmoothing: 0, sftWeight: 0 } as const;
      const r = await train(
        preferenceObjective(model, examples, ref.sums, opts, null),
        options(join(dir, `out-${loss}`), { epochs: 40, batchSize: 4, learningRate: 1e-2, logSteps: 5 }),
      );
      const m = r.lastMetrics ?? {};
      assert.equal(r.skippedSteps, 0);
      assert.equal(m["rewards/accuracies"], 1, `${loss}: ${JSON.stringify(m)}`);
      assert.ok((m["rewards/margins"] as number) > 0, loss);
      if (loss === "sigmoid") assert.ok((m.loss as number) < 0.3, `final DPO loss ${m.loss}`);
      else assert.equal(m["loss/preference"], 0, "every list ranked as its rewards");
      model.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
