// One option system: every command's options, read from the registry, spelled one way. Fails on a
// key that is not snake_case, on two keys that are the same words spelled differently (`top_p` and
// `topp`), on known synonyms used side by side (`max_tokens` and `max_new_tokens`), and on one key
// declared with two meanings or defaults outside the explicit tables below: shared options come from
// one spec (config/shared-options.ts, the trainer and stage schemas).
import assert from "node:assert/strict";
import { test } from "node:test";
import { flatten, loadConfig, type OptionSpec } from "../../config/index.js";
import { COMMANDS } from "./index.js";

interface Declared {
  command: string;
  key: string;
  spec: OptionSpec;
}

async function everyOption(): Promise<Declared[]> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  return commands.flatMap((c) => flatten(c.options).map(([key, spec]) => ({ command: c.name, key, spec })));
}

const lastPart = (key: string) => key.slice(key.lastIndexOf(".") + 1);

/** Words that mean the same option: at most one of each group may be an option name. */
const SYNONYMS: readonly (readonly string[])[] = [
  ["max_tokens", "max_new_tokens", "max_length_generated", "num_tokens"],
  ["top_p", "nucleus", "topp"],
  ["top_k", "topk"],
  ["batch_size", "batch", "bs", "per_device_train_batch_size"],
  ["learning_rate", "lr"],
  ["max_steps", "steps", "num_steps"],
  ["logging_steps", "log_every", "log_steps"],
  ["output", "out", "output_file", "out_dir"],
  ["seed", "random_seed", "rng_seed"],
  ["model", "model_path"],
  ["temperature", "temp"],
  ["chat", "use_chat_template", "chat_template"],
  ["input", "in", "input_file"],
];

/** Keys whose meaning is the command's own (what --input holds differs by command): help may differ. */
const OWN_MEANING = new Set([
  "input", // a command's input file: prompts, pairs, groups, candidate sets
  "output", // a command's output: a JSONL file, a folder, a run directory
  "data", // a trainer's data format (SFT or preference)
  "model", // the model a command loads, serves, trains or calls
  "references", // references for metrics, or for the reward stage's method
  "seed", // what the seed seeds: a sampler, a paraphraser, a bootstrap, a corpus
  "json", // what is printed as JSON
  "resume", // what is resumed from
  "systems", // run: which systems; evaluate: NAME=MODEL pairs
  "documents", // pretrain: corpus documents vs tokenizer documents
  "max_length", // SFT: tokens per example; DPO: prompt plus one response
  "batch_size", // training examples per micro-batch, or prompts per forward pass
]);

/** Keys whose default is the recipe's (TRL's SFT/DPO configs, the pretraining recipe, a stage's). */
const RECIPE_DEFAULT = new Set([
  "learning_rate",
  "lr_scheduler",
  "warmup_ratio",
  "weight_decay",
  "adam_beta2",
  "group_by_length",
  "batch_size",
  "chat",
  "temperature",
  "top_p",
  "max_tokens",
  "seed",
  "max_steps",
  "logging_steps",
]);

test("every option key is snake_case words (flags are its kebab-case form)", async () => {
  for (const { command, key } of await everyOption())
    assert.match(key, /^[a-z][a-z0-9]*(_[a-z0-9]+)*(\.[a-z][a-z0-9]*(_[a-z0-9]+)*)*$/, `${command}: ${key}`);
});

test("no option is spelled two ways: same words, or known synonyms", async () => {
  const names = new Set((await everyOption()).map((o) => lastPart(o.key)));
  const bySquashed = new Map<string, string>();
  for (const name of names) {
    const squashed = name.replaceAll("_", "");
    const other = bySquashed.get(squashed);
    assert.ok(other === undefined, `${name} and ${other} are one option spelled two ways`);
    bySquashed.set(squashed, name);
  }
  for (const group of SYNONYMS) {
    const used = group.filter((w) => names.has(w));
    assert.ok(used.length <= 1, `synonyms used side by side: ${used.join(", ")}`);
  }
});

test("one key, one meaning: type, help and choices agree across commands; defaults only where recipes differ", async () => {
  const byKey = new Map<string, Declared[]>();
  for (const o of await everyOption()) {
    const k = lastPart(o.key);
    byKey.set(k, [...(byKey.get(k) ?? []), o]);
  }
  for (const [key, list] of byKey) {
    const first = list[0]!;
    for (const o of list.slice(1)) {
      const where = `${key}: ${first.command} (${first.key}) vs ${o.command} (${o.key})`;
      assert.equal(o.spec.type, first.spec.type, where);
      if (OWN_MEANING.has(key)) continue;
      assert.equal(o.spec.help, first.spec.help, `${where}: declare it once and share the spec`);
      assert.deepEqual(o.spec.choices, first.spec.choices, where);
      if (!RECIPE_DEFAULT.has(key))
        assert.deepEqual(o.spec.default, first.spec.default, `${where}: default stated twice`);
    }
  }
});

test("every command refuses an unknown flag and the underscore spelling of a known one", async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.throws(() => loadConfig(command.options, ["--no-such-option"]), /unknown option/, entry.name);
    const [key] = flatten(command.options).find(([k]) => k.includes("_")) ?? [];
    if (key !== undefined)
      assert.throws(
        () => loadConfig(command.options, [`--${key}`, "1"]),
        /flags are spelled --/,
        `${entry.name} --${key}`,
      );
  }
});
