// Forward logits of every architecture variant against a PyTorch reference written from transformers'
// definitions (test/reference/causal_lm_reference.py) on the same random weights, through a batch
// with left padding; then save → load round trips (HF folder, sharded or not, and GGUF for the Llama
// family). Models run on the test device; logits come back to the host for the comparison.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { TEST_DEVICE, tolerance } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { noGrad, tensor, tidy } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import { fromGguf, fromPretrained } from "./from-pretrained.js";
import { isLlamaFamily } from "./llama-config.js";
import { randomModel } from "./random-model.js";
import { saveGguf, saveHfDir } from "./save-model.js";

const SCRIPT = readFileSync(
  fileURLToPath(new URL("../../../test/reference/causal_lm_reference.py", import.meta.url)),
  "utf8",
);

// Three rows, two left-padded; ids drawn from the tiny vocabulary.
const IDS = [
  [5, 17, 3, 88, 41, 9, 60, 2, 33, 71, 12, 50],
  [0, 0, 0, 0, 7, 7, 19, 80, 4, 26, 95, 1],
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 44, 13, 6],
];
const MASK: number[][] = IDS.map((row, r) => row.map((_, i) => (i >= [0, 4, 9][r]! ? 1 : 0)));

function logits(model: CausalLM, ids = IDS, mask = MASK): number[] {
  return tidy(() =>
    noGrad(() =>
      model
        .forward(tensor(ids, undefined, { dtype: "int64", device: model.device }), {
          attentionMask: tensor(mask, undefined, { dtype: "int64", device: model.device }),
        })
        .toArray(),
    ),
  );
}

/** Largest |a - b| over the positions that are real tokens. */
function maxDiffReal(a: number[], b: number[], V: number, mask = MASK): number {
  let worst = 0;
  mask.flat().forEach((m, pos) => {
    if (m === 0) return;
    for (let j = 0; j < V; j++) worst = Math.max(worst, Math.abs(a[pos * V + j]! - b[pos * V + j]!));
  });
  return worst;
}

const skip = torchUnavailable() ?? false;

test("models: logits match the PyTorch reference for every variant", { skip }, () => {
  const { dir, remove } = tempDir();
  try {
    const jobs = Object.entries(TINY).map(([name, config], i) => {
      const model = randomModel(config, i, 0.1, TEST_DEVICE);
      const folder = join(dir, `m${i}`);
      saveHfDir(model, folder);
      return {
        name,
        model,
        job: { config, weights: join(folder, "model.safetensors"), ids: IDS, mask: MASK },
      };
    });
    const ref = runPython<number[][]>(
      SCRIPT,
      jobs.map((j) => j.job),
    );
    jobs.forEach(({ name, model }, i) => {
      const diff = maxDiffReal(logits(model), ref[i]!, model.vocabSize);
      process.stdout.write(`# ${name}: max |logit diff| vs PyTorch ${diff.toExponential(2)}\n`);
      assert.ok(diff < tolerance(1e-4), `${name}: max |diff| ${diff}`);
      model.dispose();
    });
  } finally {
    remove();
  }
});

test("models: fake-gpt2 folder loads and matches the PyTorch reference", {
  skip: skip || skipUnlessFixture("fake-gpt2"),
}, () => {
  const dir = fixture("fake-gpt2");
  const model = fromPretrained(dir, { device: TEST_DEVICE });
  try {
    assert.equal(model.modelType, "gpt2");
    assert.deepEqual(model.eosTokenIds, [50256]);
    const ids = [
      [15496, 11, 995, 0, 50256, 464],
      [0, 0, 40, 716, 257, 3797],
    ];
    const mask = [
      [1, 1, 1, 1, 1, 1],
      [0, 0, 1, 1, 1, 1],
    ];
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    const [ref] = runPython<number[][]>(SCRIPT, [
      { config, weights: join(dir, "model.safetensors"), ids, mask },
    ]);
    const diff = maxDiffReal(logits(model, ids, mask), ref!, model.vocabSize, mask);
    process.stdout.write(`# fake-gpt2: max |logit diff| vs PyTorch ${diff.toExponential(2)}\n`);
    assert.ok(diff < tolerance(1e-4), `max |diff| ${diff}`);
  } finally {
    model.dispose();
  }
});

test("models: save then load gives identical logits (HF folder; GGUF for the Llama family)", () => {
  const { dir, remove } = tempDir();
  try {
    Object.entries(TINY).forEach(([name, config], i) => {
      const model = randomModel(config, 100 + i, 0.1, TEST_DEVICE);
      const before = logits(model);
      const folder = join(dir, `m${i}`);
      saveHfDir(model, folder);
      const again = fromPretrained(folder, { device: TEST_DEVICE });
      assert.deepEqual(logits(again), before, `${name}: HF folder round trip`);
      assert.deepEqual([...again.params.keys()], [...model.params.keys()], `${name}: parameter names`);
      again.dispose();
      // GGUF carries linear scaling only; other rope_scaling types have no llama.cpp metadata key.
      const scaling = config.rope_scaling as { rope_type?: string } | undefined;
      if (isLlamaFamily(config.model_type) && (scaling === undefined || scaling.rope_type === "linear")) {
        const path = join(dir, `m${i}.gguf`);
        saveGguf(model, path);
        const g = fromGguf(path, { device: TEST_DEVICE });
        assert.deepEqual(logits(g), before, `${name}: GGUF round trip`);
        g.dispose();
      }
      model.dispose();
    });
  } finally {
    remove();
  }
});

test("models: a sharded folder (two shards and model.safetensors.index.json) loads equal to the single file", () => {
  const { dir, remove } = tempDir();
  try {
    for (const name of ["llama untied", "gpt2"]) {
      const model = randomModel(TINY[name]!, 7, 0.1, TEST_DEVICE);
      const single = join(dir, `${name}-single`);
      const sharded = join(dir, `${name}-sharded`);
      saveHfDir(model, single);
      // Shards of at most every tensor but the last: the last one alone goes to a second shard.
      const numels = [...model.params.values()].map((t) => t.numel);
      const maxShardBytes = 4 * (numels.reduce((a, b) => a + b) - numels.at(-1)!);
      saveHfDir(model, sharded, { maxShardBytes });
      assert.deepEqual(
        readdirSync(sharded).filter((f) => f.endsWith(".safetensors")),
        ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
      );
      assert.ok(existsSync(join(sharded, "model.safetensors.index.json")));
      const a = fromPretrained(single, { device: TEST_DEVICE });
      const b = fromPretrained(sharded, { device: TEST_DEVICE });
      assert.deepEqual([...b.params.keys()], [...a.params.keys()], name);
      for (const [key, t] of a.params) assert.deepEqual(b.params.get(key)!.toArray(), t.toArray(), key);
      assert.deepEqual(logits(b), logits(a), name);
      for (const m of [model, a, b]) m.dispose();
    }
  } finally {
    remove();
  }
});
