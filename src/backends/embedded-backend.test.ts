// The embedded backend runs the model in a worker thread and gives what the library gives in process:
// greedy text equal to generateText, scores equal to scoreText; seeded samples reproduce.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { generateText, scoreText } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { CapabilityError } from "./backend-errors.js";
import { EmbeddedBackend } from "./embedded-backend.js";

let tiny: ReturnType<typeof tinyModelDir>;
let backend: EmbeddedBackend;

before(async () => {
  tiny = tinyModelDir(3);
  backend = await EmbeddedBackend.load(tiny.dir, { device: TEST_DEVICE });
});
after(async () => {
  await backend.close();
  tiny.model.dispose();
  rmSync(tiny.dir, { recursive: true, force: true });
});

test("greedy generation equals generateText; chat prompts go through the template", async () => {
  const tok = loadTokenizer(tiny.dir);
  const prompts = ["Hello", "A longer prompt here"];
  const want = generateText(tiny.model, tok, prompts, { maxNewTokens: 12 });
  const got = await backend.generate({ prompts, maxTokens: 12 });
  assert.deepEqual(
    got.samples.map((s) => s[0]!.text),
    want.map((g) => g.text),
  );
  const chat = await backend.generate({ prompts: [[{ role: "user", content: "Hi" }]], maxTokens: 8 });
  const wantChat = generateText(tiny.model, tok, ["Hi"], { chat: true, maxNewTokens: 8 });
  assert.equal(chat.samples[0]![0]!.text, wantChat[0]!.text);
});

test("n seeded samples reproduce and differ from each other", async () => {
  const req = { prompts: ["Once"], n: 3, temperature: 1, seed: 7, maxTokens: 10 };
  const a = await backend.generate(req);
  const b = await backend.generate(req);
  assert.deepEqual(a, b);
  assert.equal(a.samples[0]!.length, 3);
  assert.ok(new Set(a.samples[0]!.map((s) => s.text)).size > 1, "samples differ");
});

test("scores equal scoreText; capabilities say it scores and trains", async () => {
  const tok = loadTokenizer(tiny.dir);
  const items = [
    { prompt: "The cat", completion: " sat down" },
    { prompt: "x", completion: "yz" },
  ];
  const want = scoreText(tiny.model, tok, items);
  const got = await backend.score(items);
  const diffs = got.flatMap((g, i) =>
    g.tokenLogprobs.map((x, j) => Math.abs(x - want[i]!.tokenLogprobs[j]!)),
  );
  assert.deepEqual(
    got.map((g) => g.tokenLogprobs.length),
    want.map((w) => w.tokenLogprobs.length),
  );
  assert.ok(Math.max(...diffs) < 1e-5, `max difference ${Math.max(...diffs)}`);
  const caps = await backend.capabilities();
  assert.deepEqual(caps, { score: true, train: true, maxContext: 256, chatTemplate: true, tokenize: true });
  assert.ok((await backend.applyChatTemplate([{ role: "user", content: "q" }])).endsWith("<|assistant|>"));
});

test("a model without a chat template rejects chat prompts with a capability error", async () => {
  const plain = tinyModelDir(4);
  const configPath = join(plain.dir, "tokenizer_config.json");
  const { chat_template: _, ...config } = JSON.parse(readFileSync(configPath, "utf8"));
  writeFileSync(configPath, JSON.stringify(config));
  const b = await EmbeddedBackend.load(plain.dir, { device: TEST_DEVICE });
  try {
    assert.equal((await b.capabilities()).chatTemplate, false);
    await assert.rejects(b.applyChatTemplate([{ role: "user", content: "q" }]), CapabilityError);
    await assert.rejects(b.generate({ prompts: [[{ role: "user", content: "q" }]] }), /no chat template/);
  } finally {
    await b.close();
    plain.model.dispose();
    rmSync(plain.dir, { recursive: true, force: true });
  }
});
