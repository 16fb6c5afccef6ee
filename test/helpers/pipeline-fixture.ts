// A tiny pipeline to run end to end in tests: the tiny Llama, a reverse-the-word task with training
// items, held-out items with other wordings, a paraphrase pool, and a config small enough for seconds,
// run on the test device.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_DEVICE } from "./test-device.js";
import { tinyModelDir } from "./tiny-model.js";

const WORDS = ["cat", "dog", "bird", "fish", "lion", "bear", "wolf", "deer", "frog", "duck", "goat", "mole"];

const group = (id: string, word: string, variants: string[]) => ({
  id,
  task: "reverse",
  instruction: variants[0],
  input: word,
  variants: variants.map((text, i) => ({ text, origin: i === 0 ? "original" : "human" })),
  references: [[...word].reverse().join("")],
});

/** Writes the fixture into a fresh folder; returns it and the config path. */
export function pipelineFixture(seed = 0): { dir: string; config: string } {
  const { dir } = tinyModelDir(seed);
  const lines = (xs: unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");
  writeFileSync(
    join(dir, "train.jsonl"),
    lines(WORDS.slice(0, 8).map((w, i) => group(`t${i}`, w, ["Reverse the word."]))),
  );
  const heldOut = [
    "Reverse the word.",
    "Write the word backwards: {input}",
    "What is {input} spelled in reverse?",
  ];
  writeFileSync(join(dir, "eval.jsonl"), lines(WORDS.slice(8).map((w, i) => group(`e${i}`, w, heldOut))));
  writeFileSync(
    join(dir, "pool.json"),
    JSON.stringify({
      reverse: [
        "Spell the word backwards.",
        "Give the word reversed.",
        "Reverse this: {input}",
        "Turn the word around letter by letter.",
      ],
    }),
  );
  const config = join(dir, "run.yaml");
  writeFileSync(
    config,
    [
      `model: ${dir}`,
      `train: ${join(dir, "train.jsonl")}`,
      `eval: ${join(dir, "eval.jsonl")}`,
      `augment: { source: pool, pool: ${join(dir, "pool.json")}, n: 3 }`,
      "sft: { epochs: 4, batch_size: 4, learning_rate: 0.003, lr_scheduler: constant, logging_steps: 2, save_steps: 2 }",
      "sample: { k: 3, max_tokens: 8, temperature: 1.5 }",
      "pairs: { min_gap: 0 }",
      "cat: { max_steps: 4, batch_size: 4, learning_rate: 0.0005, logging_steps: 1, save_steps: 2 }",
      "evaluate: { max_tokens: 8, bootstrap: 50 }",
      `device: ${TEST_DEVICE}`,
      "",
    ].join("\n"),
  );
  return { dir, config };
}
