// The HTTP client's retry budget (attempts and time), the disk cache that lets a rerun after an outage
// resume, and replicas: calls spread by outstanding load and moved off a replica that stopped answering.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { tempDir } from "../../test/fixtures.js";
import { type FakeAnswer, fakeServer } from "../../test/helpers/fake-server.js";
import { BackendHttpError } from "./backend-errors.js";
import { HttpClient } from "./http-client.js";
import { nextRetryDelay } from "./retry-delay.js";

const OK: FakeAnswer = { body: { choices: [{ index: 0, text: "done" }] } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
}

/** A loopback port with nothing listening (a server that is down): connections are refused. */
async function downPort(): Promise<{ baseURL: string; port: number }> {
  const s = await fakeServer(() => OK);
  await s.close();
  return { baseURL: s.baseURL, port: Number(new URL(s.baseURL).port) };
}

test("issue 16 item 6: a server down for longer than the old budget of 6 tries comes back and the call completes", async (t) => {
  const { baseURL, port } = await downPort();
  const client = new HttpClient(baseURL, { baseDelayMs: 10, maxDelayMs: 50 });
  const call = client.post("completions", { prompt: "p" });
  // Back only after the client has been refused more often than the old fixed budget allowed.
  await until(() => client.requestsSent > 8);
  const back = await fakeServer(() => OK, port);
  t.after(() => back.close());
  assert.deepEqual(await call, (OK as { body: unknown }).body);
  assert.equal(back.requests.length, 1);
  // With the default budget a one-minute restart is waited out: retries remain after 60 s.
  assert.notEqual(nextRetryDelay(20, 60_000, null), null);
});

test("issue 16 item 6: a spent retry budget ends in one clean error naming the URL, attempts and time", async () => {
  const { baseURL } = await downPort();
  const client = new HttpClient(baseURL, { baseDelayMs: 10, maxDelayMs: 20, retryTimeMs: 200 });
  const err = await client.post("completions", { prompt: "p" }).catch((e: unknown) => e);
  assert.ok(err instanceof BackendHttpError);
  assert.equal(err.name, "BackendHttpError");
  assert.equal(err.status, null);
  assert.match(
    err.message,
    new RegExp(
      `^POST ${baseURL}/completions: ECONNREFUSED \\(gave up after ${client.requestsSent} attempts in \\d+\\.\\d s; the retry budget is 100 retries within 0\\.2 s\\)$`,
    ),
  );
  assert.ok(client.requestsSent > 1);
});

test("issue 16 item 6: completed calls are kept on disk, so a rerun after an outage repeats none of them", async (t) => {
  let up = true;
  const fake = await fakeServer((r) =>
    up
      ? { body: { choices: [{ index: 0, text: `re: ${r.body?.prompt}` }] } }
      : { status: 503, body: { error: { message: "restarting" } } },
  );
  const { dir, remove } = tempDir();
  t.after(async () => {
    await fake.close();
    remove();
  });
  const prompts = ["a", "b", "c", "d", "e"];
  const stage = async () => {
    const client = new HttpClient(fake.baseURL, {
      cacheDir: dir,
      baseDelayMs: 5,
      maxDelayMs: 10,
      retryTimeMs: 100,
    });
    const out: unknown[] = [];
    for (const [i, prompt] of prompts.entries()) {
      if (i === 3) up = false;
      out.push(await client.post("completions", { prompt }, { cache: true }));
    }
    return out;
  };
  await assert.rejects(stage(), /503 restarting \(gave up after/);
  const before = fake.requests.length;
  up = true;
  const rerun = new HttpClient(fake.baseURL, { cacheDir: dir });
  const out = [];
  for (const prompt of prompts) out.push(await rerun.post("completions", { prompt }, { cache: true }));
  assert.deepEqual(
    out.map((o) => (o as { choices: { text: string }[] }).choices[0]!.text),
    prompts.map((p) => `re: ${p}`),
  );
  // Only the calls the outage cut off reached the server again.
  assert.deepEqual(
    fake.requests.slice(before).map((r) => r.body?.prompt),
    ["d", "e"],
  );
  const files = readdirSync(dir, { recursive: true }).map(String);
  assert.equal(files.filter((f) => f.endsWith(".json")).length, prompts.length);
  assert.deepEqual(
    files.filter((f) => f.endsWith(".tmp")),
    [],
  );
});

test("replicas: a call goes to the replica with the fewest calls outstanding", async (t) => {
  const stuck = await fakeServer(() => "hang");
  const free = await fakeServer(() => OK);
  t.after(async () => {
    await Promise.all([stuck.close(), free.close()]);
  });
  const client = new HttpClient([stuck.baseURL, free.baseURL]);
  const abort = new AbortController();
  const held = client.post("completions", { prompt: 0 }, { signal: abort.signal }).catch(() => "aborted");
  await until(() => stuck.requests.length === 1);
  for (const prompt of [1, 2, 3]) await client.post("completions", { prompt });
  assert.deepEqual(
    free.requests.map((r) => r.body?.prompt),
    [1, 2, 3],
  );
  abort.abort();
  assert.equal(await held, "aborted");
  // With nothing outstanding anywhere, the first replica is asked again.
  await client.post("completions", { prompt: 4 });
  assert.equal(stuck.requests.length, 2);
  abort.abort();
});

test("replicas: a dead replica is taken out, its calls go elsewhere, and it is tried again later", async (t) => {
  const dead = await downPort();
  const live = await fakeServer((r) => ({
    body: { choices: [{ index: 0, text: `live ${r.body?.prompt}` }] },
  }));
  t.after(() => live.close());
  const client = new HttpClient([dead.baseURL, live.baseURL], { reprobeMs: 60_000 });
  for (const prompt of [1, 2, 3, 4]) {
    const r = (await client.post("completions", { prompt })) as { choices: { text: string }[] };
    assert.equal(r.choices[0]!.text, `live ${prompt}`);
  }
  // One refused attempt on the dead replica, then no more until its re-probe time.
  assert.equal(client.requestsSent, 5);
  assert.equal(live.requests.length, 4);

  // Re-probed at once (reprobeMs 0): once back, it takes calls again.
  const quick = new HttpClient([dead.baseURL, live.baseURL], { reprobeMs: 0 });
  await quick.post("completions", { prompt: 5 });
  const back = await fakeServer(() => OK, dead.port);
  t.after(() => back.close());
  await quick.post("completions", { prompt: 6 });
  assert.deepEqual(
    back.requests.map((r) => r.body?.prompt),
    [6],
  );
});
