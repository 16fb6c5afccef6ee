// The unknown-key hint: edit distances checked against worked examples (Levenshtein 1966, the
// textbook pairs), and the hint through loadConfig on a schema shaped like the run config's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "./load-config.js";
import { editDistance } from "./nearest-keys.js";
import type { Schema } from "./schema.js";

test("editDistance on textbook pairs", () => {
  const pairs: [string, string, number][] = [
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["", "abc", 3],
    ["abc", "abc", 0],
    ["intention", "execution", 5],
  ];
  for (const [a, b, d] of pairs) {
    assert.equal(editDistance(a, b), d, `${a} / ${b}`);
    assert.equal(editDistance(b, a), d, `${b} / ${a}`);
  }
});

test("issue 16 item 12: the hint for an unknown config key names the close key, never an unrelated one", () => {
  const opt = (type: "integer" | "number") => ({ type, default: 1, help: "-" });
  const schema: Schema = {
    augment: { n: opt("integer"), seed: opt("integer") },
    sample: { k: opt("integer"), temperature: opt("number") },
    sft: { learning_rate: opt("number"), epochs: opt("integer") },
  };
  const hint = (argv: string[]) => {
    try {
      loadConfig(schema, argv);
    } catch (e) {
      return (e as Error).message;
    }
    return assert.fail(`${argv} was accepted`);
  };
  // The old substring rule matched any key whose last part ("n", "k") the typo contained.
  assert.match(hint(["--sft.lerning-rate", "1"]), /unknown option \(did you mean --sft\.learning-rate\?\)$/);
  assert.match(hint(["--sample.temprature", "1"]), /\(did you mean --sample\.temperature\?\)$/);
  assert.match(hint(["--sft.epoch", "1"]), /\(did you mean --sft\.epochs\?\)$/);
  // Nothing close: the known keys, no guess.
  assert.match(hint(["--batch-size", "1"]), /\(known: --augment\.n, --augment\.seed, --sample\.k, /);
});
