// The mock backend users put in their own tests: scripted texts in order, a responder function, an
// optional scorer, recorded calls, and the capabilities that follow from what it was given.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CapabilityError, MockBackend } from "./index.js";

test("scripted texts are handed out one per sample, in order, and run out loudly", async () => {
  const m = new MockBackend({ generate: ["a", "b", "c"] });
  const r = await m.generate({ prompts: ["p", "q"], n: 1 });
  assert.deepEqual(
    r.samples.map((s) => s.map((x) => x.text)),
    [["a"], ["b"]],
  );
  assert.deepEqual((await m.generate({ prompts: ["r"] })).samples[0]![0]!.text, "c");
  await assert.rejects(m.generate({ prompts: ["s"] }), /all 3 scripted responses are used up/);
  assert.deepEqual(
    m.calls.map((c) => c.method),
    ["generate", "generate", "generate"],
  );
});

test("a responder sees the prompt, the sample index and the request with defaults", async () => {
  const m = new MockBackend({
    generate: (p, j, req) => ({
      text: `${String(p)}#${j}@${req.temperature}`,
      finishReason: "length",
      tokenCount: 3,
    }),
  });
  const r = await m.generate({ prompts: ["x"], n: 2 });
  assert.deepEqual(r.samples[0], [
    { text: "x#0@0", finishReason: "length", tokenCount: 3 },
    { text: "x#1@0", finishReason: "length", tokenCount: 3 },
  ]);
});

test("scoring only with a scorer; capabilities say so", async () => {
  const none = new MockBackend();
  assert.equal((await none.capabilities()).score, false);
  await assert.rejects(none.score([{ prompt: "a", completion: "b" }]), CapabilityError);
  const m = new MockBackend({ score: (it) => -it.completion.length, capabilities: { train: true } });
  assert.deepEqual(await m.score([{ prompt: "a", completion: "bcd" }]), [
    { tokens: ["bcd"], tokenLogprobs: [-3], logprob: -3 },
  ]);
  const caps = await m.capabilities();
  assert.equal(caps.score, true);
  assert.equal(caps.train, true);
  assert.deepEqual(await m.tokenize("hi"), [256, 104, 105]);
  assert.equal(await m.applyChatTemplate([{ role: "user", content: "q" }]), "<|user|>q<|assistant|>");
});
