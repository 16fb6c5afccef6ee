// `calign check` against a real `calign serve` process on the tiny model: a config whose thresholds
// hold exits 0, one the model misses exits 1 naming the failing case, a bad config exits 2 naming the
// file, line and key; the JUnit file is read back with an independent XML reader, and an unchanged
// rerun sends no HTTP request (every fetch of this process is counted).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { captureOutput } from "../../../test/cli/capture-output.js";
import { tempDir } from "../../../test/fixtures.js";
import { type ServeProcess, startServe } from "../../../test/helpers/serve-process.js";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";
import { parseXml } from "../../../test/helpers/xml.js";
import { check } from "./check.js";

let tiny: ReturnType<typeof tinyModelDir>;
let serve: ServeProcess;
let tmp: ReturnType<typeof tempDir>;
let fetches = 0;
const realFetch = globalThis.fetch;

before(async () => {
  tiny = tinyModelDir(3);
  tmp = tempDir();
  serve = await startServe(tiny.dir, ["--model-name", "tiny"]);
  globalThis.fetch = (...args: Parameters<typeof fetch>) => {
    fetches++;
    return realFetch(...args);
  };
});
after(async () => {
  globalThis.fetch = realFetch;
  await serve.stop();
  tiny.model.dispose();
  tmp.remove();
});

const CASES = `cases:
  - id: greet
    instruction: "Say hello to {input}."
    input: Ada
    variants: ["Greet {input}.", "Write a greeting for {input}."]
  - id: count
    instruction: "Count to three."
    variants: ["Please count from one to three.", "List the numbers one, two, three."]
`;

function config(name: string, thresholds: string): string {
  const path = join(tmp.dir, name);
  const system = `system:\n  url: ${serve.url}/v1\n  model: tiny\n  max_tokens: 8\n  retries: 0\n`;
  writeFileSync(path, `${system}${CASES}similarity:\n  method: exact\n${thresholds}`);
  return path;
}

/** Runs the check with its own output folder, and a cache folder shared only by runs naming it. */
async function run(path: string, out: string, cache: string, ...flags: string[]) {
  const io = captureOutput();
  const args = [path, "--output-dir", join(tmp.dir, out), "--cache-dir", join(tmp.dir, cache), ...flags];
  const code = await check.run(args, io);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

interface CheckJson {
  passed: boolean;
  cases: { id: string; passed: boolean; item: { consistency: number }; variants: { response: string }[] }[];
}

test("a config the model meets exits 0; its JUnit file lists one passing testcase per case", async () => {
  const r = await run(config("pass.yaml", "thresholds:\n  case:\n    min_cr: 0\n"), "pass", "cache-pass");
  assert.equal(r.code, 0, r.err);
  const junit = parseXml(readFileSync(join(tmp.dir, "pass", "check.junit.xml"), "utf8"));
  assert.equal(junit.name, "testsuites");
  const suite = junit.children[0]!;
  assert.equal(suite.name, "testsuite");
  assert.deepEqual(
    suite.children.map((c) => [c.name, c.attrs.name, c.children.length]),
    [
      ["testcase", "greet", 0],
      ["testcase", "count", 0],
    ],
  );
  assert.equal(suite.attrs.failures, "0");
  assert.match(r.out, /passed: 2 cases/);
});

test("a threshold the model misses exits 1 and names the case; a rerun sends no request", async () => {
  const path = config("fail.yaml", "thresholds:\n  case:\n    min_cr: 1\n");
  const before = fetches;
  const first = await run(path, "fail", "cache-fail", "--format", "github");
  assert.ok(fetches > before, "the first run asked the server");
  const json = JSON.parse(readFileSync(join(tmp.dir, "fail", "check.json"), "utf8")) as CheckJson;
  // Independent of calign's CR: a case fails min_cr 1 exactly when its responses are not all equal.
  const differs = json.cases.filter((c) => new Set(c.variants.map((v) => v.response)).size > 1);
  assert.ok(differs.length > 0, "the tiny model answers the wordings differently");
  assert.equal(first.code, 1, first.err);
  const junit = parseXml(readFileSync(join(tmp.dir, "fail", "check.junit.xml"), "utf8"));
  const failed = junit.children[0]!.children.filter((c) => c.children.some((f) => f.name === "failure"));
  assert.deepEqual(
    failed.map((c) => c.attrs.name),
    differs.map((c) => c.id),
  );
  for (const c of failed) {
    assert.match(c.children[0]!.attrs.message!, /^CR 0\.\d{3} < min 1\.000$/);
    assert.equal(c.attrs.file, path);
    assert.equal(
      c.attrs.line,
      String(CASES.split("\n").findIndex((l) => l.includes(`id: ${c.attrs.name}`)) + 6),
    );
  }
  for (const c of differs) {
    assert.match(first.out, new RegExp(`FAIL ${c.id} `));
    assert.match(first.out, new RegExp(`::error file=${path},line=\\d+,title=calign check%3A ${c.id}::CR`));
  }

  const sent = fetches;
  const again = await run(path, "fail-again", "cache-fail");
  assert.equal(fetches, sent, "the rerun was served from the disk cache");
  assert.equal(again.code, 1);
  assert.deepEqual(
    JSON.parse(readFileSync(join(tmp.dir, "fail-again", "check.json"), "utf8")).cases,
    json.cases,
  );
});

test("a bad config exits 2 naming file, line and key, before any request", async () => {
  const path = config("bad.yaml", "thresholds:\n  case:\n    min_cr: 1.5\n");
  const sent = fetches;
  const r = await run(path, "bad", "cache-bad");
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `calign check: ${path}:18: thresholds.case.min_cr: must be <= 1, got 1.5`);
  assert.equal(fetches, sent);

  const typo = join(tmp.dir, "typo.yaml");
  writeFileSync(
    typo,
    readFileSync(config("ok.yaml", ""), "utf8").replace('instruction: "Count', 'instructon: "Count'),
  );
  const t = await run(typo, "typo", "cache-bad");
  assert.equal(t.code, 2);
  assert.match(t.err, new RegExp(`${typo}:12: cases\\[1\\]\\.instructon: unknown key`));
});

test("an unreachable server exits 2, not 1", async () => {
  const path = join(tmp.dir, "down.yaml");
  writeFileSync(path, readFileSync(config("up.yaml", ""), "utf8").replace(serve.url, "http://127.0.0.1:9"));
  const r = await run(path, "down", "cache-down", "--no-cache");
  assert.equal(r.code, 2);
  assert.match(r.err, /127\.0\.0\.1:9\/v1\/completions/);
});
