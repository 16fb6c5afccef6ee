// `calign serve` as a process on the tiny model: request validation answers 4xx naming the field,
// streaming joins to the non-streamed text, concurrent requests share batches, a full queue answers
// 429, and SIGTERM lets the request in flight finish before exiting 0.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { type ServeProcess, startServe } from "../../test/helpers/serve-process.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";

let tiny: ReturnType<typeof tinyModelDir>;
let serve: ServeProcess;

before(async () => {
  tiny = tinyModelDir(9);
  serve = await startServe(tiny.dir, ["--model-name", "tiny", "--max-batch", "16"]);
});
after(async () => {
  assert.equal(await serve.stop(), 0);
  tiny.model.dispose();
  rmSync(tiny.dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown, url = serve.url) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

test("bad requests get 4xx with an OpenAI error body naming the field", async () => {
  const cases: [string, unknown, number, string | null, RegExp][] = [
    [
      "/v1/completions",
      { prompt: "x", temperature: "hot" },
      400,
      "temperature",
      /temperature: expected a number/,
    ],
    ["/v1/completions", { max_tokens: 3 }, 400, "prompt", /prompt: required/],
    ["/v1/completions", { prompt: "x", n: 0 }, 400, "n", /n: expected an integer >= 1/],
    ["/v1/completions", { prompt: [1, 99999] }, 400, "prompt", /token id 99999 is outside the vocabulary/],
    [
      "/v1/completions",
      { prompt: "x", max_tokens: 1000 },
      400,
      "max_tokens",
      /exceeds the model's context of 256/,
    ],
    [
      "/v1/completions",
      { prompt: "x", stop: [1] },
      400,
      "stop",
      /stop: expected a string or a list of strings/,
    ],
    ["/v1/completions", { prompt: "x", model: "gpt-4" }, 404, "model", /'gpt-4' does not exist/],
    ["/v1/completions", { prompt: "x", stream: true, echo: true }, 400, "stream", /not supported/],
    ["/v1/chat/completions", { messages: [] }, 400, "messages", /non-empty list/],
    ["/v1/chat/completions", { messages: [{ role: "user" }] }, 400, "messages[0].content", /content/],
    ["/v1/completions", "{not json", 400, "body", /not valid JSON/],
    ["/v1/nope", {}, 404, null, /no such endpoint/],
  ];
  for (const [path, body, status, param, message] of cases) {
    const r = await post(path, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    const { error } = JSON.parse(r.text);
    assert.equal(error.param, param);
    assert.match(error.message, message);
  }
  const get = await fetch(`${serve.url}/v1/completions`);
  assert.equal(get.status, 405);
  const models = (await (await fetch(`${serve.url}/v1/models`)).json()) as { data: { id: string }[] };
  assert.deepEqual(
    models.data.map((m) => m.id),
    ["tiny"],
  );
});

/** The data payloads of an SSE body, [DONE] included. */
function events(text: string): string[] {
  return text
    .split("\n\n")
    .filter((b) => b.startsWith("data: "))
    .map((b) => b.slice(6));
}

test("streamed text joins to the non-streamed text (completions and chat), then [DONE]", async () => {
  const body = { prompt: "Stream me", max_tokens: 20, temperature: 0, n: 2 };
  const whole = JSON.parse((await post("/v1/completions", body)).text);
  const streamed = await post("/v1/completions", { ...body, stream: true });
  assert.match(streamed.headers.get("content-type")!, /text\/event-stream/);
  const data = events(streamed.text);
  assert.equal(data.at(-1), "[DONE]");
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  for (const i of [0, 1]) {
    const mine = chunks.map((c) => c.choices[0]).filter((c) => c.index === i);
    assert.equal(mine.map((c) => c.text).join(""), whole.choices[i].text);
    assert.equal(mine.at(-1).finish_reason, whole.choices[i].finish_reason);
  }

  const chat = { messages: [{ role: "user", content: "Hi" }], max_tokens: 10, temperature: 0 };
  const wholeChat = JSON.parse((await post("/v1/chat/completions", chat)).text);
  const chunksChat = events((await post("/v1/chat/completions", { ...chat, stream: true })).text)
    .slice(0, -1)
    .map((d) => JSON.parse(d).choices[0]);
  assert.equal(chunksChat[0].delta.role, "assistant");
  assert.equal(chunksChat.map((c) => c.delta.content ?? "").join(""), wholeChat.choices[0].message.content);
});

test("concurrent requests share batches, each with its own parameters", async () => {
  const bodies = Array.from({ length: 6 }, (_, i) => ({
    prompt: `request ${i}`,
    max_tokens: 24,
    temperature: i % 2 === 0 ? 0 : 1,
    seed: i,
  }));
  const alone: string[] = [];
  for (const b of bodies) alone.push(JSON.parse((await post("/v1/completions", b)).text).choices[0].text);
  const together = await Promise.all(bodies.map((b) => post("/v1/completions", b)));
  const sizes = together.map((r) => Number(r.headers.get("x-calign-batch-size")));
  assert.ok(Math.max(...sizes) > 1, `batch sizes ${sizes}`);
  // Batching changes nothing: greedy and seeded rows give what they gave alone.
  assert.deepEqual(
    together.map((r) => JSON.parse(r.text).choices[0].text),
    alone,
  );
});

test("a full queue answers 429 with Retry-After; SIGTERM finishes the request in flight, exits 0", async () => {
  const small = await startServe(tiny.dir, ["--max-queue", "1"]);
  const long = { prompt: "long", max_tokens: 200, temperature: 0 };
  const first = post("/v1/completions", long, small.url);
  await new Promise((r) => setTimeout(r, 50));
  const second = await post("/v1/completions", long, small.url);
  assert.equal(second.status, 429);
  assert.equal(second.headers.get("retry-after"), "1");
  assert.match(JSON.parse(second.text).error.message, /queue is full/);
  const exited = small.stop();
  const done = await first;
  assert.equal(done.status, 200);
  assert.equal(JSON.parse(done.text).choices[0].finish_reason, "length");
  assert.equal(await exited, 0);
  assert.match(small.stderr(), /SIGTERM, finishing the requests in flight/);
});
