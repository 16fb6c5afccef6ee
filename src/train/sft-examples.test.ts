// fitsWhole agrees with the trainer's reader: an example it says fits is read whole, one it says does
// not is cut or refused — plain and through the chat template, at every max length around the edge.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { fitsWhole, readSftExamples } from "./sft-examples.js";

test("fitsWhole says whether the trainer reads an example whole", async () => {
  const { dir } = tinyModelDir(31);
  try {
    const tok = loadTokenizer(dir);
    const example = { prompt: "Is the answer right? Reply Yes or No.", completion: "Yes" };
    const file = join(dir, "one.jsonl");
    writeFileSync(file, `${JSON.stringify(example)}\n`);
    for (const chat of [false, true]) {
      const seen = new Set<boolean>();
      for (let maxLength = 30; maxLength < 70; maxLength++) {
        const fits = fitsWhole(tok, example, maxLength, chat, { file, line: 1 });
        seen.add(fits);
        const read = await readSftExamples(file, tok, {
          maxLength,
          completionOnly: true,
          chat,
          eosId: 257,
        }).then(
          (r) => r.truncation.truncated === 0,
          () => false,
        );
        assert.equal(fits, read, `chat ${chat}, max length ${maxLength}`);
      }
      assert.deepEqual([...seen].sort(), [false, true], "the edge lies inside the range tried");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
