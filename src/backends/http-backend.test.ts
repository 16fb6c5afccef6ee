// The OpenAI-compatible HTTP backend against a real `calign serve` process on the tiny model (its
// greedy text, seeded samples and scores equal the embedded backend's), and against scripted fake
// servers for what a real one rarely does on cue: refusing to score, 429 / 5xx, hanging, dying.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { tempDir } from "../../test/fixtures.js";
import { type FakeAnswer, fakeServer } from "../../test/helpers/fake-server.js";
import { type ServeProcess, startServe } from "../../test/helpers/serve-process.js";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { type BackendHttpError, BackendSetupError, CapabilityError } from "./backend-errors.js";
import { EmbeddedBackend } from "./embedded-backend.js";
import { HttpBackend, type HttpBackendOptions } from "./http-backend.js";

const MODEL = "tiny";
const KEY_ENV = "CALIGN_TEST_HTTP_KEY";
let tiny: ReturnType<typeof tinyModelDir>;
let embedded: EmbeddedBackend;
let serve: ServeProcess;

before(async () => {
  tiny = tinyModelDir(5);
  process.env[KEY_ENV] = "sekret";
  [embedded, serve] = await Promise.all([
    EmbeddedBackend.load(tiny.dir, { device: TEST_DEVICE }),
    startServe(tiny.dir, ["--model-name", MODEL, "--api-key", "sekret"]),
  ]);
});
after(async () => {
  await Promise.all([embedded.close(), serve.stop()]);
  tiny.model.dispose();
  rmSync(tiny.dir, { recursive: true, force: true });
});

function http(opts: Partial<HttpBackendOptions> = {}): HttpBackend {
  return new HttpBackend({ baseURL: `${serve.url}/v1`, model: MODEL, apiKeyEnv: KEY_ENV, ...opts });
}

const PROMPTS = ["Hello there", "A much longer prompt than the first one"];

test("greedy generation over HTTP equals the embedded backend's, for text and chat prompts", async () => {
  const prompts = [...PROMPTS, [{ role: "user", content: "Hi" }]];
  const req = { prompts, maxTokens: 12, stop: ["\n"] };
  const [viaHttp, direct] = await Promise.all([http().generate(req), embedded.generate(req)]);
  assert.deepEqual(
    viaHttp.samples.map((s) => s.map((x) => [x.text, x.finishReason])),
    direct.samples.map((s) => s.map((x) => [x.text, x.finishReason])),
  );
});

test("n seeded samples reproduce over HTTP and equal the embedded backend's", async () => {
  const req = { prompts: ["Once upon"], n: 3, temperature: 1, topP: 0.9, seed: 11, maxTokens: 8 };
  const a = await http().generate(req);
  const b = await http().generate(req);
  const direct = await embedded.generate(req);
  const texts = (r: typeof a) => r.samples[0]!.map((s) => s.text);
  assert.deepEqual(texts(a), texts(b));
  assert.deepEqual(texts(a), texts(direct));
  assert.ok(new Set(texts(a)).size > 1);
});

test("scores via prompt_logprobs (probed first) and via echo equal the embedded backend's", async () => {
  const items = [
    { prompt: "The cat", completion: " sat on the mat" },
    { prompt: [{ role: "user", content: "2+2?" }], completion: "4" },
  ];
  const want = await embedded.score(items);
  const auto = http();
  assert.equal((await auto.capabilities()).score, true);
  for (const backend of [auto, http({ scoreMethod: "echo" })]) {
    const got = await backend.score(items);
    got.forEach((g, i) => {
      assert.deepEqual(g.tokens, want[i]!.tokens);
      const diff = Math.max(...g.tokenLogprobs.map((x, j) => Math.abs(x - want[i]!.tokenLogprobs[j]!)));
      assert.ok(diff < 1e-4, `token log-probs differ by ${diff}`);
    });
  }
  assert.deepEqual(await auto.capabilities(), {
    score: true,
    train: false,
    maxContext: 256,
    chatTemplate: true,
    tokenize: true,
  });
  assert.deepEqual(await auto.tokenize("ab", { addSpecialTokens: false }), [97, 98]);
  assert.equal(
    await auto.applyChatTemplate([{ role: "user", content: "q" }]),
    await embedded.applyChatTemplate([{ role: "user", content: "q" }]),
  );
});

test("a wrong API key is refused with 401, not retried", async () => {
  process.env.CALIGN_TEST_WRONG_KEY = "nope";
  const backend = http({ apiKeyEnv: "CALIGN_TEST_WRONG_KEY" });
  await assert.rejects(backend.generate({ prompts: ["x"] }), (e: BackendHttpError) => e.status === 401);
  assert.equal(backend.client.requestsSent, 1);
});

/** A llama.cpp-like server: generates, tokenizes, but rejects echo and ignores prompt_logprobs. */
function cannotScore(r: { path: string; body: Record<string, unknown> | null }): FakeAnswer {
  if (r.path === "/tokenize") return { body: { tokens: [1, 2] } };
  if (r.body?.echo) return { status: 400, body: { error: { message: "'echo' is not supported" } } };
  return { body: { choices: [{ index: 0, text: "x", finish_reason: "length" }] } };
}

test("a server that cannot score says so up front with a capability error", async (t) => {
  const fake = await fakeServer(cannotScore);
  t.after(() => fake.close());
  const backend = new HttpBackend({ baseURL: fake.baseURL, model: "m", retries: 0 });
  const caps = await backend.capabilities();
  assert.equal(caps.score, false);
  assert.match(
    caps.scoreUnavailable!,
    /cannot score.*prompt_logprobs: .*no prompt log-probs.*echo: .*not supported/,
  );
  await assert.rejects(backend.score([{ prompt: "a", completion: "b" }]), CapabilityError);
  // Only the probes reached the server: no scoring request with token ids was sent.
  assert.ok(fake.requests.every((r) => !Array.isArray(r.body?.prompt)));
});

test("a probe that meets a down server fails and is asked again, not remembered as 'cannot score'", async (t) => {
  let up = false;
  const fake = await fakeServer((r) =>
    up ? cannotScore(r) : { status: 503, body: { error: { message: "down" } } },
  );
  t.after(() => fake.close());
  const backend = new HttpBackend({ baseURL: fake.baseURL, model: "m", retries: 0 });
  await assert.rejects(backend.capabilities(), /503 down/);
  up = true;
  assert.equal((await backend.capabilities()).score, false);
});

const OK = { body: { choices: [{ index: 0, text: "done", finish_reason: "stop" }] } };

test("429 and 5xx are retried with backoff, honouring Retry-After; other 4xx are not", async (t) => {
  const script: FakeAnswer[] = [
    { status: 429, body: { error: { message: "slow down" } }, headers: { "retry-after": "1" } },
    { status: 503, body: { error: { message: "overloaded" } } },
    OK,
  ];
  const fake = await fakeServer((_, i) => script[i] ?? OK);
  t.after(() => fake.close());
  const backend = new HttpBackend({ baseURL: fake.baseURL, model: "m", baseDelayMs: 200 });
  const t0 = Date.now();
  const r = await backend.generate({ prompts: ["p"] });
  const took = Date.now() - t0;
  assert.equal(r.samples[0]![0]!.text, "done");
  assert.equal(fake.requests.length, 3);
  // Retry-After: 1 s, then backoff 200·2^1 ms with jitter in [0.5, 1): at least 1.2 s in all.
  assert.ok(took >= 1200 && took < 5000, `took ${took} ms`);

  const bad = await fakeServer(() => ({ status: 400, body: { error: { message: "max_tokens too large" } } }));
  t.after(() => bad.close());
  const b = new HttpBackend({ baseURL: bad.baseURL, model: "m" });
  await assert.rejects(b.generate({ prompts: ["p"] }), /400 max_tokens too large/);
  assert.equal(bad.requests.length, 1);

  const down = await fakeServer(() => ({ status: 500, body: { error: { message: "boom" } } }));
  t.after(() => down.close());
  const d = new HttpBackend({ baseURL: down.baseURL, model: "m", retries: 2, baseDelayMs: 1 });
  await assert.rejects(d.generate({ prompts: ["p"] }), /500 boom \(gave up after 3 attempts in /);
});

test("a server that never answers times out, per attempt", async (t) => {
  const fake = await fakeServer(() => "hang");
  t.after(() => fake.close());
  const backend = new HttpBackend({
    baseURL: fake.baseURL,
    model: "m",
    timeoutMs: 150,
    retries: 1,
    baseDelayMs: 1,
  });
  const t0 = Date.now();
  await assert.rejects(
    backend.generate({ prompts: ["p"] }),
    /no response within 150 ms \(gave up after 2 attempts in /,
  );
  assert.equal(fake.requests.length, 2);
  assert.ok(Date.now() - t0 < 2000);
});

test("the disk cache answers a repeated request without a second call", async (t) => {
  const fake = await fakeServer(() => OK);
  const { dir, remove } = tempDir();
  t.after(async () => {
    await fake.close();
    remove();
  });
  const make = () => new HttpBackend({ baseURL: fake.baseURL, model: "m", cacheDir: dir });
  const req = { prompts: ["same"], seed: 1 };
  assert.deepEqual(await make().generate(req), await make().generate(req));
  assert.equal(fake.requests.length, 1);
  await make().generate({ ...req, seed: 2 });
  assert.equal(fake.requests.length, 2, "a different request is not a cache hit");
});

test("a server killed mid-run and restarted: the client retries and completes", async () => {
  let server = await startServe(tiny.dir, ["--model-name", MODEL]);
  const port = server.port;
  try {
    const backend = new HttpBackend({
      baseURL: `${server.url}/v1`,
      model: MODEL,
      retries: 40,
      baseDelayMs: 50,
      maxDelayMs: 300,
    });
    const prompts = ["one", "two", "three", "four"];
    const want = await embedded.generate({ prompts, maxTokens: 6 });
    const got: string[] = [];
    for (const [i, p] of prompts.entries()) {
      if (i === 2) {
        await server.kill();
        // Restart after the client has met a refused connection or two.
        const restart = new Promise((r) => setTimeout(r, 300)).then(() =>
          startServe(tiny.dir, ["--model-name", MODEL], port),
        );
        const [r] = await Promise.all([backend.generate({ prompts: [p], maxTokens: 6 }), restart]);
        server = await restart;
        got.push(r.samples[0]![0]!.text);
      } else got.push((await backend.generate({ prompts: [p], maxTokens: 6 })).samples[0]![0]!.text);
    }
    assert.deepEqual(
      got,
      want.samples.map((s) => s[0]!.text),
    );
  } finally {
    await server.stop();
  }
});

test("issue 16 item 4: without a model name the backend serves the only model the server lists", async () => {
  const backend = await HttpBackend.open({ baseURL: `${serve.url}/v1`, apiKeyEnv: KEY_ENV });
  assert.equal(backend.modelId, MODEL);
  const req = { prompts: PROMPTS, maxTokens: 6 };
  assert.deepEqual(
    (await backend.generate(req)).samples.map((s) => s[0]!.text),
    (await embedded.generate(req)).samples.map((s) => s[0]!.text),
  );
});

test("issue 16 item 4: several models and none named, or no model list, is a clear setup error", async (t) => {
  const two = await fakeServer(() => ({ body: { data: [{ id: "alpha" }, { id: "beta" }] } }));
  const none = await fakeServer(() => ({ status: 404, body: { error: { message: "not found" } } }));
  t.after(async () => {
    await Promise.all([two.close(), none.close()]);
  });
  await assert.rejects(
    HttpBackend.open({ baseURL: two.baseURL }),
    (e: Error) =>
      e instanceof BackendSetupError &&
      e.message ===
        `${two.baseURL}/models: no model name was given and the server serves 2 models (alpha, beta); name one of them`,
  );
  await assert.rejects(
    HttpBackend.open({ baseURL: none.baseURL }),
    /does not list its models .*404 not found/,
  );
  assert.equal((await HttpBackend.open({ baseURL: two.baseURL, model: "beta" })).modelId, "beta");
});

test("replicas: two calign serve processes, one killed mid-run, give the results of one server", async () => {
  const second = await startServe(tiny.dir, ["--model-name", MODEL, "--api-key", "sekret"]);
  try {
    const backend = http({ baseURL: [`${serve.url}/v1`, `${second.url}/v1`], concurrency: 4 });
    const prompts = ["one", "two", "three", "four", "five", "six", "seven", "eight"];
    const want = (await embedded.generate({ prompts, maxTokens: 6 })).samples.map((s) => s[0]!.text);
    const first = await backend.generate({ prompts: prompts.slice(0, 4), maxTokens: 6 });
    await second.kill();
    const rest = await backend.generate({ prompts: prompts.slice(4), maxTokens: 6 });
    assert.deepEqual(
      [...first.samples, ...rest.samples].map((s) => s[0]!.text),
      want,
    );
  } finally {
    await second.stop();
  }
});
