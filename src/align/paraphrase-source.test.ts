// The model paraphraser asks for at most what the model's context leaves after its prompt: against a
// real `calign serve`, which answers 400 to a prompt plus max_tokens past the context.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { startServe } from "../../test/helpers/serve-process.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { CapabilityError, HttpBackend, MockBackend } from "../backends/index.js";
import { fillTemplate } from "./fill-template.js";
import { backendSource, PARAPHRASE_PROMPT } from "./paraphrase-source.js";

test("issue 16 item 4: augment --source model over HTTP fits max_tokens to a short context", async (t) => {
  // Byte-level tokens: the paraphrase prompt alone is ~440 of the 640 positions, so 64 tokens per
  // rewrite for 4 rewrites (augment's 2x oversampling of n = 2) would not fit.
  const tiny = tinyModelDir(3, { max_position_embeddings: 640 });
  const serve = await startServe(tiny.dir);
  t.after(async () => {
    await serve.stop();
    tiny.model.dispose();
    rmSync(tiny.dir, { recursive: true, force: true });
  });
  const backend = await HttpBackend.open({ baseURL: `${serve.url}/v1` });
  const source = backendSource(backend, { temperature: 0 });
  assert.ok(Array.isArray(await source("Reverse the word.", 4, 0)));
});

test("the cap is the context minus the prompt's tokens; a prompt that leaves no room is refused", async () => {
  const text = fillTemplate(PARAPHRASE_PROMPT, { n: "4", instruction: "Reverse the word." });
  // The mock tokenizes to UTF-8 bytes plus a BOS.
  const promptTokens = Buffer.byteLength(text) + 1;
  const mock = (maxContext: number) =>
    new MockBackend({ generate: () => "a\nb", capabilities: { maxContext } });
  const fits = mock(promptTokens + 100);
  await backendSource(fits, { chat: false })("Reverse the word.", 4, 0);
  assert.equal(
    (fits.calls.find((c) => c.method === "generate")!.input as { maxTokens: number }).maxTokens,
    100,
  );
  const roomy = mock(promptTokens + 1000);
  await backendSource(roomy, { chat: false })("Reverse the word.", 4, 0);
  assert.equal(
    (roomy.calls.find((c) => c.method === "generate")!.input as { maxTokens: number }).maxTokens,
    256,
  );
  await assert.rejects(
    backendSource(mock(promptTokens + 10), { chat: false })("Reverse the word.", 4, 0),
    CapabilityError,
  );
});

test("a last line cut off by the token budget is dropped", async () => {
  const cut = new MockBackend({
    generate: () => ({
      text: "Flip the word.\nWrite the word back",
      finishReason: "length",
      tokenCount: null,
    }),
  });
  assert.deepEqual(await backendSource(cut)("Reverse the word.", 2, 0), ["Flip the word."]);
});
