// The stage commands over HTTP: against a real `calign serve` they give what the same model gives in
// calign's own engine; the `--http.*` retry budget reaches the client; a stage whose server went away
// midway resumes on rerun without repeating a completed call; Ctrl-C stops a call waiting on a server;
// and with `--http.server` calign launches the server itself for each model.
import assert from "node:assert/strict";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calign, calignAsync, jsonLines as lines } from "../../../test/helpers/calign-cli.js";
import { type FakeRequest, fakeServer } from "../../../test/helpers/fake-server.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { startServe } from "../../../test/helpers/serve-process.js";

const NO_STACK = /^\s+at /m;

test("issue 16 item 4: sample, reward and evaluate with a calign serve URL give what the model gives in calign's engine", async (t) => {
  const { dir } = pipelineFixture(31);
  const serve = await startServe(dir, ["--model-name", "tiny"]);
  t.after(async () => {
    await serve.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const f = (name: string) => join(dir, name);
  const url = `${serve.url}/v1`;
  const sample = ["--input", f("train.jsonl"), "--k", "2", "--max-tokens", "6", "--temperature", "1.5"];
  calign("sample", ...sample, "--output", f("s-url.jsonl"), "--model", url);
  calign("sample", ...sample, "--output", f("s-path.jsonl"), "--model", dir);
  assert.deepEqual(lines(f("s-url.jsonl")), lines(f("s-path.jsonl")));

  // The model named as a server serving several would need it: URL#MODEL.
  calign("reward", "--input", f("s-url.jsonl"), "--output", f("r-url.jsonl"), "--model", `${url}#tiny`);
  calign("reward", "--input", f("s-url.jsonl"), "--output", f("r-path.jsonl"), "--model", dir);
  const [viaUrl, viaPath] = [lines(f("r-url.jsonl")), lines(f("r-path.jsonl"))];
  assert.equal(viaUrl.length, viaPath.length);
  const rewards = (sets: { rewards: number[] }[]) => sets.flatMap((s) => s.rewards);
  const want = rewards(viaPath);
  assert.equal(rewards(viaUrl).length, want.length);
  for (const [i, r] of rewards(viaUrl).entries())
    assert.ok(Math.abs(r - want[i]!) < 1e-5, `reward ${i}: ${r} over HTTP, ${want[i]} in calign's engine`);

  const evaluate = ["--input", f("eval.jsonl"), "--max-tokens", "6", "--bootstrap", "20"];
  const table = JSON.parse(
    calign("evaluate", ...evaluate, "--output", f("eval"), "--systems", `a=${url},b=${dir}`),
  );
  assert.deepEqual(table.a, table.b);
  assert.deepEqual(lines(f("eval/a.responses.jsonl")), lines(f("eval/b.responses.jsonl")));
  // Finished: the calls kept for a rerun are gone.
  assert.equal(existsSync(f("eval.http-cache")), false);
});

const MODELS = { body: { data: [{ id: "m" }] } };
/** `calign sample` of the fixture's 8 training items (one call each) from the server at url. */
const sampleFrom = (dir: string, url: string, out = join(dir, "s.jsonl")) => [
  "sample",
  ...["--input", join(dir, "train.jsonl"), "--output", out, "--model", url],
];
const isGeneration = (r: FakeRequest) => /\/v1\/(chat\/)?completions$/.test(r.path);

/** A healthy fake server's answer: n choices, each text naming the request's prompt and the choice. */
function answer(r: FakeRequest) {
  if (r.path === "/v1/models") return MODELS;
  const body = r.body as { n?: number; prompt?: string; messages?: { content: string }[] };
  const prompt = body.prompt ?? body.messages?.at(-1)?.content ?? "";
  const choices = Array.from({ length: body.n ?? 1 }, (_, index) => {
    const text = `${prompt.length}-${index}`;
    return { index, text, message: { role: "assistant", content: text }, finish_reason: "stop" };
  });
  return { body: { choices } };
}

test("issue 16 item 6: the --http retry budget reaches the client: a server that stays down fails the stage cleanly after exactly that many attempts", async (t) => {
  const { dir } = pipelineFixture(32);
  const down = await fakeServer((r) => (r.path === "/v1/models" ? MODELS : { status: 503, body: {} }));
  t.after(async () => {
    await down.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const r = await calignAsync([
    ...sampleFrom(dir, down.baseURL),
    "--http.retries",
    "2",
    "--http.retry-time",
    "60",
    "--http.concurrency",
    "1",
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^calign sample: POST .*\/v1\/chat\/completions: 503 /m);
  assert.match(r.stderr, /gave up after 3 attempts .*the retry budget is 2 retries within 60 s/);
  assert.doesNotMatch(r.stderr, NO_STACK);
  // One call's three attempts; the stage stopped at the first call that failed for good.
  assert.equal(down.requests.filter(isGeneration).length, 3);
  assert.equal(existsSync(join(dir, "s.jsonl")), false);
});

test("issue 16 item 6: a stage rerun after its server went away midway repeats no completed call", async (t) => {
  const { dir } = pipelineFixture(33);
  const out = join(dir, "s.jsonl");
  const cache = `${out}.http-cache`;
  const cached = () =>
    existsSync(cache)
      ? readdirSync(cache, { recursive: true }).filter((p) => /\.json$/.test(String(p))).length
      : 0;
  // Answers three calls, then leaves the fourth hanging until the test takes the server away.
  let answered = 0;
  const first = await fakeServer((r) => {
    if (!isGeneration(r)) return answer(r);
    if (answered === 3) return "hang";
    answered++;
    return answer(r);
  });
  const second = await fakeServer(answer);
  t.after(async () => {
    await Promise.all([first.close(), second.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const stage = (url: string) =>
    calignAsync([...sampleFrom(dir, url, out), "--k", "2", "--http.retries", "0", "--http.concurrency", "1"]);
  const failed = stage(first.baseURL);
  while (cached() < 3) await new Promise((r) => setTimeout(r, 20));
  await first.close();
  const r1 = await failed;
  assert.equal(r1.code, 1, r1.stderr);
  assert.doesNotMatch(r1.stderr, NO_STACK);
  assert.equal(existsSync(out), false);
  assert.equal(cached(), 3);

  const r2 = await stage(second.baseURL);
  assert.equal(r2.code, 0, r2.stderr);
  const done = first.requests.filter(isGeneration).slice(0, 3);
  const again = second.requests.filter(isGeneration);
  // 8 items, one call each: the three answered before the outage are not asked again.
  assert.equal(again.length, 8 - 3);
  for (const d of done)
    assert.ok(
      !again.some((a) => JSON.stringify(a.body) === JSON.stringify(d.body)),
      "a completed call was repeated",
    );
  const sets = lines(out);
  assert.equal(sets.length, 8);
  assert.ok(sets.every((s: { candidates: string[] }) => s.candidates.length === 2));
  assert.equal(existsSync(cache), false);
});

test("issue 16 item 6: Ctrl-C stops a stage whose call waits on a server", async (t) => {
  const { dir } = pipelineFixture(34);
  const hanging = await fakeServer((r) => (isGeneration(r) ? "hang" : answer(r)));
  t.after(async () => {
    await hanging.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let pid = 0;
  const run = calignAsync(sampleFrom(dir, hanging.baseURL), (p) => {
    pid = p;
  });
  while (!hanging.requests.some(isGeneration)) await new Promise((r) => setTimeout(r, 20));
  process.kill(pid, "SIGINT");
  const r = await run;
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /calign sample: stopped; rerun the same command to continue/);
  assert.doesNotMatch(r.stderr, NO_STACK);
});
