// The run's device reaches every stage that runs a model: the trainers' configs (a trainer section's
// own device, not auto, wins) and the embedded backend of the model stages, as its dtype reaches the
// latter; what each stage's key covers; which stages evaluating some systems needs; stage 2's own
// prompts.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";
import { cpuHalfSkip } from "../../test/helpers/test-device.js";
import { loadConfig } from "../config/index.js";
import type { ParaphraseGroup } from "../data/index.js";
import { rulesSource } from "./paraphrase-rules-source.js";
import { keyOf } from "./pipeline.js";
import {
  EVALUATE_FORMAT,
  PIPELINE,
  type PipelineStage,
  type StageContext,
  stagesNeeded,
} from "./pipeline-stages.js";
import { RUN_SCHEMA, type RunSettings, runSettings, STAGES, type TrainerConfig } from "./run-schema.js";

function settings(config: string, ...flags: string[]): RunSettings {
  return runSettings(loadConfig(RUN_SCHEMA, ["--config", config, ...flags]).values);
}

/** A stage context in `dir` whose trainer records the config it is given instead of training. */
function context(dir: string, trained: TrainerConfig[]): StageContext {
  return {
    output: join(dir, "stage-out"),
    outputOf: (stage) => join(dir, `${stage}-out`),
    modelOf: () => dir,
    keyOf: (stage) => `${stage}-key`,
    donors: [],
    progress: () => {},
    train: async (_trainer, config) => {
      trained.push(config);
      return {};
    },
    cacheDir: join(dir, "http-cache"),
  };
}

test("calign run's device reaches the SFT and CAT trainers; a section's own device, not auto, overrides it", async () => {
  const { dir, config } = pipelineFixture(3);
  try {
    const trained: TrainerConfig[] = [];
    await PIPELINE.sft.run(settings(config, "--device", "cpu"), context(dir, trained));
    await PIPELINE.cat.run(settings(config, "--device", "cpu"), context(dir, trained));
    await PIPELINE.cat.run(
      settings(config, "--device", "cuda:3", "--cat.device", "cpu"),
      context(dir, trained),
    );
    await PIPELINE.sft.run(
      settings(config, "--device", "cuda:3", "--sft.device", "auto"),
      context(dir, trained),
    );
    assert.deepEqual(
      trained.map((c) => c.device),
      ["cpu", "cpu", "cpu", "cuda:3"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("calign run's device reaches the embedded backend of a model stage", async () => {
  const { dir, config } = pipelineFixture(4);
  try {
    // A GPU no machine has: the model's worker refuses it, whether this libtorch has CUDA or not.
    const c = settings(config, "--device", "cuda:99");
    const at = { ...context(dir, []), outputOf: () => c.train };
    await assert.rejects(PIPELINE.sample.run(c, at), /device 'cuda:99'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("calign run's dtype reaches the embedded backend of a model stage", {
  skip: cpuHalfSkip(),
}, async () => {
  const { dir, config } = pipelineFixture(8);
  try {
    const c = settings(config, "--device", "cpu", "--dtype", "float16");
    const at = { ...context(dir, []), outputOf: () => c.train };
    await assert.rejects(PIPELINE.sample.run(c, at), /dtype float16 on cpu/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the run's dtype is in the keys of the stages that run a model, absent for float32", async () => {
  const { dir, config } = pipelineFixture(9);
  try {
    const key = (name: (typeof STAGES)[number], c: RunSettings, inputs = PIPELINE[name].inputs) =>
      keyOf({ ...PIPELINE[name], inputs }, {}, c, {});
    const f32 = settings(config);
    const bf16 = settings(config, "--dtype", "bfloat16");
    const changed: string[] = [];
    for (const name of STAGES) {
      // float32 keys what a run keyed before the option existed, so its folders keep their keys.
      const before = PIPELINE[name].inputs.filter((i) => !("dtype" in i));
      assert.equal(await key(name, f32), await key(name, f32, before), name);
      if ((await key(name, bf16)) !== (await key(name, f32))) changed.push(name);
    }
    assert.deepEqual(changed, ["sample", "reward", "evaluate"]);
    // Augment runs a model only with source model.
    const model = ["--augment.source", "model"];
    assert.notEqual(
      await key("augment", settings(config, ...model, "--dtype", "bfloat16")),
      await key("augment", settings(config, ...model)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a trained system's evaluation responses are keyed by the run's dtype, so a sweep never reuses another's", async () => {
  const { dir, config } = pipelineFixture(10);
  try {
    const responseKey = async (...flags: string[]) => {
      const c = settings(
        config,
        "--systems",
        "sft",
        "--evaluate.max-tokens",
        "2",
        "--evaluate.bootstrap",
        "10",
        ...flags,
      );
      const at = context(dir, []);
      await PIPELINE.evaluate.run(c, at);
      return JSON.parse(readFileSync(join(at.output, "keys.json"), "utf8")).sft.key as string;
    };
    assert.notEqual(await responseKey("--dtype", "bfloat16"), await responseKey());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stage's format is part of its key: files written in an older format are made again", async () => {
  const stage = (format: number): PipelineStage => ({
    ...PIPELINE.evaluate,
    inputs: [{ format }],
  });
  // Only the format input is keyed here, so no run settings are read.
  const key = (format: number) => keyOf(stage(format), { evaluate: { batch: 8 } }, {} as RunSettings, {});
  assert.equal(await key(EVALUATE_FORMAT), await key(EVALUATE_FORMAT));
  assert.notEqual(await key(EVALUATE_FORMAT), await key(EVALUATE_FORMAT - 1));
  assert.ok(PIPELINE.evaluate.inputs.some((i) => "format" in i && i.format === EVALUATE_FORMAT));
});

test("the verification examples' settings are part of both SFT stages' keys", async () => {
  const key = (stage: PipelineStage, perItem: number) =>
    keyOf(stage, { sft: {}, judge_data: { examples_per_item: perItem, seed: 0 } }, {} as RunSettings, {});
  for (const stage of [PIPELINE.sft, PIPELINE.sft_ia]) {
    const inputs = stage.inputs.filter((i) => !("contents" in i) && !("stage" in i));
    const only = { ...stage, inputs };
    assert.notEqual(await key(only, 2), await key(only, 0));
  }
});

test("augment.rows one: SFT(IA) trains each item under one of its wordings, as many rows as SFT", async () => {
  const { dir, config } = pipelineFixture(6);
  try {
    const jsonl = (xs: unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");
    const read = (file: string) =>
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { prompt: string; completion: string });
    const items = readFileSync(join(dir, "train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ParaphraseGroup);
    const paraphrases = ["Spell the word backwards.", "Give the word reversed."];
    const augmented = join(dir, "augmented.jsonl");
    writeFileSync(
      augmented,
      jsonl(
        items.map((g, i) => ({
          ...g,
          variants: [...g.variants, { text: paraphrases[i % 2], origin: "pool" }],
        })),
      ),
    );
    const rows = async (...flags: string[]) => {
      const at = { ...context(dir, []), outputOf: () => augmented };
      rmSync(at.output, { recursive: true, force: true });
      // No verification examples: only the instructions' rows.
      await PIPELINE.sft_ia.run(settings(config, "--judge-data.examples-per-item", "0", ...flags), at);
      return read(join(at.output, "data.jsonl"));
    };
    const all = await rows();
    assert.equal(all.length, 2 * items.length);
    const one = await rows("--augment.rows", "one");
    assert.equal(one.length, items.length);
    // Each item once, under one of its own two wordings, with its own answer; both kinds drawn.
    for (const [i, g] of items.entries()) {
      const mine = [`Reverse the word.\n\n${g.input}`, `${paraphrases[i % 2]}\n\n${g.input}`];
      assert.ok(mine.includes(one[i]!.prompt), one[i]!.prompt);
      assert.equal(one[i]!.completion, g.references[0]);
    }
    const originals = one.filter((r) => r.prompt.startsWith("Reverse the word.")).length;
    assert.ok(originals > 0 && originals < items.length, `${originals} of ${items.length} originals`);
    // The draw is a function of the seed and the item: the same again, another with another seed.
    assert.deepEqual(await rows("--augment.rows", "one"), one);
    // One after another: each run rewrites the same stage folder.
    const draws: string[][] = [];
    for (const seed of [1, 2, 3])
      draws.push((await rows("--augment.rows", "one", "--augment.seed", String(seed))).map((r) => r.prompt));
    assert.ok(draws.some((d) => JSON.stringify(d) !== JSON.stringify(one.map((r) => r.prompt))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stage 2 samples calign run's prompts, under the wordings training gave their instruction", async () => {
  const { dir, config } = pipelineFixture(5);
  try {
    const jsonl = (xs: unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");
    // The augmented training set: the fixture's items, each with one paraphrase.
    const augmented = join(dir, "augmented.jsonl");
    const trained = readFileSync(join(dir, "train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ParaphraseGroup);
    const paraphrase = { text: "Spell the word backwards.", origin: "pool" };
    writeFileSync(augmented, jsonl(trained.map((g) => ({ ...g, variants: [...g.variants, paraphrase] }))));
    // An input training never had, without references.
    const prompt = (input: string) => ({
      id: `p-${input}`,
      task: "reverse",
      instruction: "Reverse the word.",
      input,
      variants: [{ text: "Reverse the word.", origin: "original" }],
    });
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(prompts, jsonl([prompt("newt")]));
    const c = settings(config, "--prompts", prompts, "--sample.wordings", "instruction", "--sample.k", "2");
    const at = { ...context(dir, []), outputOf: () => augmented };
    await PIPELINE.sample.run(c, at);
    const sets = readFileSync(at.output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; prompt: string; candidates: string[] });
    assert.deepEqual(
      sets.map((s) => [s.id, s.prompt, s.candidates.length]),
      [
        ["p-newt", "Reverse the word.\n\nnewt", 2],
        ["p-newt", "Spell the word backwards.\n\nnewt", 2],
      ],
    );
    // wordings rules: rule rewrites of the training wordings instead, none of them a training wording.
    const rules = settings(config, "--prompts", prompts, "--sample.wordings", "rules", "--sample.k", "2");
    await PIPELINE.sample.run(rules, { ...at, rules: rulesSource });
    const rewritten = readFileSync(at.output, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
    // Two rewrites of each of the task's two training wordings, less any the filters dropped.
    assert.ok(rewritten.length > 0 && rewritten.length <= 4, `${rewritten.length} rewrites`);
    for (const p of rewritten) {
      assert.ok(p.includes("newt"), p);
      assert.ok(!sets.some((s) => s.prompt === p), `${p}: a training wording`);
    }
    // The prompts' and the held-out items' contents are part of the stage's key.
    const key = (settings: RunSettings) =>
      keyOf(PIPELINE.sample, { sample: {} }, settings, { augment: "a", sft_ia: "b" });
    const before = await key(c);
    writeFileSync(prompts, jsonl([prompt("toad")]));
    assert.notEqual(await key(c), before);
    assert.notEqual(await key(settings(config)), before);
    const other = await key(c);
    writeFileSync(c.eval, `${readFileSync(c.eval, "utf8")}\n`);
    assert.notEqual(await key(c), other);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("evaluating some systems needs their training stages and what those read, nothing else", () => {
  const needed = (...systems: string[]) => [...stagesNeeded(systems)].sort();
  assert.deepEqual(needed("base"), ["evaluate"]);
  assert.deepEqual(needed("base", "sft"), ["evaluate", "sft"]);
  assert.deepEqual(needed("sft_ia"), ["augment", "evaluate", "sft_ia"]);
  assert.deepEqual(needed("cat"), ["augment", "cat", "evaluate", "pairs", "reward", "sample", "sft_ia"]);
  assert.throws(() => stagesNeeded(["dpo"]), /unknown system 'dpo'/);
});
