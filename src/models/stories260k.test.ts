// A real pretrained Llama (llama2.c's stories260K, GGUF v1): greedy decoding reproduces the text
// llama2.c's reference run.c printed, token for token (on the test device).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fixture, skipUnlessFixture } from "../../test/fixtures.js";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { fromGguf } from "./from-pretrained.js";
import { generate } from "./generate.js";

const DIR = "stories260k";
const GGUF = "tinyllamas-stories-260k-f32.gguf";

test("stories260k: greedy decoding reproduces llama2.c's golden texts", {
  skip: skipUnlessFixture(DIR, GGUF),
}, () => {
  const path = fixture(DIR, GGUF);
  const model = fromGguf(path, { device: TEST_DEVICE });
  const tok = loadTokenizer(path);
  try {
    assert.equal(model.modelType, "llama");
    // run.c feeds positions 0..steps-1 and prints each prediction, so a sequence ends at steps + 1
    // tokens; it stops only on BOS, never on EOS.
    const cases: Array<[string, number[], number]> = [
      ["expected-greedy-from-bos.txt", [tok.bosId!], 200],
      ["expected-greedy-tom-had-a-red-kite.txt", tok.encode("Tom had a red kite"), 120],
    ];
    for (const [file, prompt, steps] of cases) {
      const golden = readFileSync(fixture(DIR, file), "utf8");
      const [g] = generate(model, [prompt], {
        maxNewTokens: steps + 1 - prompt.length,
        eosTokenIds: [tok.bosId!],
      });
      const text = tok.decode([...prompt, ...g!.tokens], { skipSpecialTokens: true });
      assert.ok(text.startsWith(golden.trimEnd()), `${file}:\n${text}`);
    }
  } finally {
    model.dispose();
  }
});
