// Soak test of `calign serve` on the tiny model: a fixed, bounded mix of valid and hostile requests
// (issue 16: huge prompt lists, deep JSON, many stop strings, oversize bodies, slow bodies, clients
// gone mid-body, prompts past the context), a few at a time. The server must stay up, answer every
// valid request with the text it gave during warm-up (greedy, so exactly), refuse every hostile one
// with its status, and end with its resident memory within RSS_BOUND of the value after warm-up.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { type Answer, deepJson, partialBody, post, rssBytes } from "../../test/helpers/hostile-requests.js";
import { type ServeProcess, startServe } from "../../test/helpers/serve-process.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";

/** How far resident memory may grow over the soak; an unbounded request grew it by gigabytes. */
const RSS_BOUND = 256 << 20;
const ROUNDS = 25;

let tiny: ReturnType<typeof tinyModelDir>;
let serve: ServeProcess;

before(async () => {
  tiny = tinyModelDir(11);
  serve = await startServe(tiny.dir, ["--headers-timeout", "1", "--body-timeout", "1", "--max-batch", "16"]);
});
after(async () => {
  assert.equal(await serve.stop(), 0);
  tiny.model.dispose();
  rmSync(tiny.dir, { recursive: true, force: true });
});

const VALID = [
  { path: "/v1/completions", body: { prompt: "Once upon", max_tokens: 12, temperature: 0 } },
  {
    path: "/v1/completions",
    body: { prompt: ["a", "bb", "ccc"], max_tokens: 6, temperature: 0, stop: ["x"] },
  },
  {
    path: "/v1/chat/completions",
    body: { messages: [{ role: "user", content: "Hi" }], max_tokens: 8, temperature: 0 },
  },
];

/** Each hostile request and the status it must get. */
const HOSTILE: [string, () => Promise<number>, number][] = [
  ["20,000 prompts", () => status({ prompt: Array(20_000).fill("hi") }), 400],
  ["10,000 stop strings", () => status({ prompt: "x", stop: Array(10_000).fill("s") }), 400],
  ["JSON 100,000 deep", () => status(deepJson(100_000)), 400],
  ["a 3 MB body", () => status({ prompt: "x".repeat(3 << 20) }), 413],
  ["a prompt past the context", () => status({ prompt: "p".repeat(300), max_tokens: 4 }), 400],
  [
    "a slow body",
    async () => Number(/^HTTP\/1\.1 (\d+)/.exec(await partialBody(serve.port, 5000, 50, false))?.[1]),
    408,
  ],
  [
    "a client gone mid-body",
    async () => ((await partialBody(serve.port, 5000, 50, true)) === "" ? 0 : -1),
    0,
  ],
];

async function status(body: unknown): Promise<number> {
  return (await post(serve.url, "/v1/completions", body)).status;
}

const texts = (a: Answer) =>
  JSON.parse(a.text).choices.map(
    (c: { text?: string; message?: { content: string } }) => c.text ?? c.message!.content,
  );

test("soak: valid requests answered exactly and hostile ones refused throughout; RSS stays bounded", async () => {
  const expected: string[][] = [];
  for (const v of VALID) {
    const a = await post(serve.url, v.path, v.body);
    assert.equal(a.status, 200, a.text);
    expected.push(texts(a));
  }
  // Warm-up: every kind once, so allocator pools and caches reach their working size.
  for (const [, send] of HOSTILE) await send();
  const warm = rssBytes(serve.child.pid!);

  for (let round = 0; round < ROUNDS; round++) {
    // One round: every valid request and every hostile one, all in flight together.
    const valid = VALID.map((v) => post(serve.url, v.path, v.body));
    const hostile = HOSTILE.map(([name, send, want]) => send().then((got) => [name, got, want] as const));
    for (const [i, a] of (await Promise.all(valid)).entries()) {
      assert.equal(a.status, 200, `round ${round}, valid ${i}: ${a.text}`);
      assert.deepEqual(texts(a), expected[i], `round ${round}, valid ${i}`);
    }
    for (const [name, got, want] of await Promise.all(hostile))
      assert.equal(got, want, `round ${round}: ${name}`);
  }
  const end = rssBytes(serve.child.pid!);
  assert.ok(
    end - warm <= RSS_BOUND,
    `RSS grew ${((end - warm) / 2 ** 20).toFixed(0)} MiB (warm ${(warm / 2 ** 20).toFixed(0)} MiB), over the ${RSS_BOUND / 2 ** 20} MiB bound`,
  );
  assert.equal((await fetch(`${serve.url}/health`)).status, 200);
  assert.doesNotMatch(serve.stderr(), /\n\s+at /, "no stack trace on standard error");
  process.stderr.write(
    `soak: ${ROUNDS} rounds, RSS ${(warm / 2 ** 20).toFixed(0)} -> ${(end / 2 ** 20).toFixed(0)} MiB\n`,
  );
});
