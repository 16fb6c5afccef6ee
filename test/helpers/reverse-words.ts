// The SFT set of the trainer tests: "Reverse cat:" → "tac", over ten words.
import { writeFileSync } from "node:fs";

const WORDS = ["cat", "dog", "bird", "fish", "lion", "bear", "wolf", "deer", "frog", "duck"];

/** Writes the set as calign JSONL prompt/completion records to path. */
export function writeReverseWords(path: string): void {
  const rows = WORDS.map((w) => ({ prompt: `Reverse ${w}:`, completion: [...w].reverse().join("") }));
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
}
