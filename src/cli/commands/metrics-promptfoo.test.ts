// `calign metrics --promptfoo results.json`: promptfoo's `-o` output read as paraphrase groups, with
// every figure checked against values worked out by hand.
//
// The file below has the shape of promptfoo's `OutputFile` ("File exported as --output option") from
// promptfoo/promptfoo src/types/index.ts (commit 0011eb02da99d740eed49f71fb74611157fe6564):
// { evalId, results: EvaluateSummaryV3 { version: 3, timestamp, results: EvaluateResult[], prompts:
// CompletedPrompt[], stats: EvaluateStats }, config, shareableUrl, metadata }, with each EvaluateResult
// { id, promptIdx, testIdx, testCase, promptId, provider: {id, label}, prompt: {raw, label}, vars,
// response: {output}, error, failureReason, success, score, latencyMs, gradingResult, namedScores }.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { captureOutput } from "../../../test/cli/capture-output.js";
import { tempDir } from "../../../test/fixtures.js";
import { metrics } from "./metrics.js";

const tmp = tempDir();
after(() => tmp.remove());

const PROMPTS = ["Answer briefly: {{question}}", "{{question}} Reply in one word.", "Q: {{question}}\nA:"];
const TESTS = [
  {
    description: "capital",
    vars: { question: "What is the capital of France?" },
    assert: [{ type: "icontains", value: "paris" }],
  },
  { vars: { question: "What is 2+2?" } },
  { vars: { question: "Is water wet?" } },
];
// outputs[test][prompt]; null = the provider failed; scores only where the test has assertions.
const OUTPUTS = [
  ["Paris", "Paris", "paris."],
  ["4", "four", "4"],
  ["yes", null, "Yes"],
];
const SCORES = [[1, 1, 0.5], null, null];

function result(t: number, p: number) {
  const question = TESTS[t]!.vars.question;
  const raw = PROMPTS[p]!.replace("{{question}}", question);
  const output = OUTPUTS[t]![p];
  const graded = SCORES[t] !== null;
  const score = graded ? SCORES[t]![p]! : 1;
  return {
    id: `r-${t}-${p}`,
    promptIdx: p,
    testIdx: t,
    testCase: TESTS[t],
    promptId: `p${p}`,
    provider: { id: "openai:chat:tiny", label: "" },
    prompt: { raw, label: PROMPTS[p] },
    vars: TESTS[t]!.vars,
    ...(output === null
      ? { error: "API error: 500 Internal Server Error", failureReason: 2, success: false, score: 0 }
      : {
          response: { output, tokenUsage: { total: 3, prompt: 2, completion: 1 } },
          error: null,
          failureReason: score >= 0.5 ? 0 : 1,
          success: score >= 0.5,
          score,
        }),
    latencyMs: 12,
    // promptfoo grades a test without assertions { pass: true, score: 1, reason: "No assertions" }
    // (AssertionsResult.noAssertsResult): that score must not count as the output's quality.
    gradingResult: graded
      ? { pass: score >= 0.5, score, reason: "icontains" }
      : { pass: true, score: 1, reason: "No assertions", tokensUsed: { total: 0, prompt: 0, completion: 0 } },
    namedScores: {},
    cost: 0,
  };
}

const OUTPUT_FILE = {
  evalId: "eval-abc-2026-01-01T00:00:00",
  results: {
    version: 3,
    timestamp: "2026-01-01T00:00:00.000Z",
    results: TESTS.flatMap((_, t) => PROMPTS.map((_, p) => result(t, p))),
    prompts: PROMPTS.map((raw) => ({ raw, label: raw, provider: "openai:chat:tiny" })),
    stats: {
      successes: 8,
      failures: 0,
      errors: 1,
      tokenUsage: { total: 24, prompt: 16, completion: 8, cached: 0 },
    },
  },
  config: { prompts: PROMPTS, providers: ["openai:chat:tiny"], tests: TESTS },
  shareableUrl: null,
  metadata: {
    promptfooVersion: "0.120.0",
    nodeVersion: "v20",
    platform: "linux",
    arch: "x64",
    exportedAt: "2026-01-01",
  },
};

test("promptfoo results: outputs grouped by test across prompts, every figure as worked out by hand", async () => {
  const file = join(tmp.dir, "results.json");
  writeFileSync(file, JSON.stringify(OUTPUT_FILE));
  const io = captureOutput();
  const status = await metrics.run(["--promptfoo", file, "--sim", "exact", "--bootstrap", "50"], io);
  assert.equal(status, 0, io.err.join(""));
  assert.match(io.err.join(""), /1 outputs left out/);
  const report = JSON.parse(readFileSync(join(tmp.dir, "results.metrics.json"), "utf8"));
  const value = (k: string) => report.figures[k].value as number | null;
  assert.equal(report.items, 3);
  // Exact match after normalisation: test 0 all agree (CR 1); test 1 agrees on 1 of 3 pairs; test 2
  // keeps two outputs ("yes", "Yes") that agree.
  assert.ok(Math.abs(value("cr_macro")! - (1 + 1 / 3 + 1) / 3) < 1e-12);
  assert.ok(Math.abs(value("cr_micro")! - (3 + 1 + 1) / (3 + 3 + 1)) < 1e-12);
  // Quality is promptfoo's score, for test 0 only: [1, 1, 0.5].
  assert.equal(report.figures.quality_mean.items, 1);
  assert.ok(Math.abs(value("quality_mean")! - 2.5 / 3) < 1e-12);
  assert.equal(value("quality_worst"), 0.5);
  assert.equal(value("quality_best"), 1);
  assert.equal(value("quality_gap"), 0.5);
  assert.ok(Math.abs(value("pss")! - 1 / 3) < 1e-12);
  // PDR: the first prompt is the original (1), the others average 0.75.
  assert.ok(Math.abs(value("pdr")! - 0.25) < 1e-12);
  assert.equal(value("posix"), null);
  assert.equal(report.settings.quality, "promptfoo score");
  // No references, tasks or wordings shared across tests, and each prompt is its own origin: no
  // collapse diagnostics and no per-origin views, in the JSON or printed.
  assert.equal(report.collapse, null);
  assert.deepEqual(report.views, {});
  assert.doesNotMatch(io.out.join(""), /collapse|input_sens|^view /m);
});

test("--promptfoo rejects --quality and a positional file, and names a malformed result's field", async () => {
  const file = join(tmp.dir, "bad.json");
  const bad = structuredClone(OUTPUT_FILE);
  (bad.results.results[4] as Record<string, unknown>).promptIdx = "1";
  writeFileSync(file, JSON.stringify(bad));
  const io = captureOutput();
  assert.equal(await metrics.run(["--promptfoo", file, "-o", join(tmp.dir, "bad.metrics.json")], io), 1);
  assert.match(io.err.join(""), /bad\.json: results\.results\[4\]\.promptIdx: /);
  await assert.rejects(
    metrics.run(["--promptfoo", file, "--quality", "exact"], captureOutput()),
    /--quality/,
  );
  await assert.rejects(metrics.run(["x.jsonl", "--promptfoo", file], captureOutput()), /one or the other/);
});
