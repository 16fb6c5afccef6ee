// The promptfoo hook: the grouping of promptfoo's results by test across prompts, and the real
// `promptfoo eval` (a pinned dev dependency) running three prompts over two tests against a
// `calign serve` model through promptfoo's OpenAI provider, with the hook printing CR and failing
// the run under CALIGN_MIN_CR.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ServeProcess, startServe } from "../../test/helpers/serve-process.js";
import { promptfooGroups } from "../data/index.js";
import { itemConsistency, pairSums, rougeLSimilarity } from "../metrics/index.js";

const at = { file: "results.json", line: null };
const result = (promptIdx: number, testIdx: number, output: string | null, extra: object = {}) => ({
  promptIdx,
  testIdx,
  prompt: { raw: `prompt ${promptIdx}`, label: `p${promptIdx}` },
  provider: { id: "openai:chat:m", label: "" },
  response: output === null ? undefined : { output },
  testCase: { description: `case ${testIdx}` },
  ...extra,
});

test("promptfoo results group by test across prompts, the first prompt original, errors left out", () => {
  const { groups, errors } = promptfooGroups(
    [
      result(1, 0, "B0"),
      result(0, 0, "A0"),
      result(0, 1, "A1"),
      result(1, 1, null, { error: "timeout" }),
      result(2, 0, "C0"),
    ],
    at,
  );
  assert.equal(errors, 1);
  assert.deepEqual(groups, [
    {
      id: "test-0",
      instruction: "prompt 0",
      input: "",
      variants: [
        { text: "prompt 0", origin: "original", response: "A0" },
        { text: "prompt 1", origin: "p1", response: "B0" },
        { text: "prompt 2", origin: "p2", response: "C0" },
      ],
      references: [],
      meta: { description: "case 0" },
    },
    {
      id: "test-1",
      instruction: "prompt 0",
      input: "",
      variants: [{ text: "prompt 0", origin: "original", response: "A1" }],
      references: [],
      meta: { description: "case 1" },
    },
  ]);
  assert.throws(() => promptfooGroups([{ promptIdx: 0 }], at), /results\.json: results\[0\]\.testIdx/);
});

function promptfooEntry(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("promptfoo")), "entrypoint.js");
  } catch {
    return null;
  }
}

const ENTRY = promptfooEntry();
const HOOK = fileURLToPath(new URL("./hook.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "calign-promptfoo-"));
let serve: ServeProcess;

before(async () => {
  if (ENTRY !== null)
    serve = await startServe(fileURLToPath(new URL("../../../models/base", import.meta.url)));
});
after(async () => {
  await serve?.stop();
  rmSync(work, { recursive: true, force: true });
});

function config(name: string, env: string): string {
  const path = join(work, name);
  writeFileSync(
    path,
    `prompts:
  - "Spell the word cat backwards."
  - "Write the word cat in reverse order."
  - "What is {{word}} spelled backwards?"
providers:
  - id: openai:chat:base
    config: { apiBaseUrl: "${serve.url}/v1", apiKey: none, max_tokens: 12, temperature: 0 }
tests:
  - description: cat
    vars: { word: cat }
  - description: dog
    vars: { word: dog }
extensions:
  - file://${HOOK}:afterAll
${env}`,
  );
  return path;
}

function promptfoo(configPath: string, output: string, env: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    [ENTRY!, "eval", "-c", configPath, "-o", join(work, output), "--no-table", "--no-progress-bar"],
    {
      cwd: work,
      encoding: "utf8",
      env: {
        ...process.env,
        PROMPTFOO_CONFIG_DIR: join(work, "promptfoo-home"),
        PROMPTFOO_DISABLE_TELEMETRY: "1",
        PROMPTFOO_DISABLE_UPDATE: "1",
        ...env,
      },
    },
  );
}

test("promptfoo eval with the hook prints calign's CR and fails the run under CALIGN_MIN_CR", {
  skip: ENTRY === null && "promptfoo is not installed (a dev dependency: npm ci)",
}, async () => {
  // Threshold from the config's env block: 0 passes.
  const pass = promptfoo(config("pass.yaml", "env:\n  CALIGN_MIN_CR: 0\n"), "pass.json");
  assert.equal(pass.status, 0, pass.stdout + pass.stderr);
  assert.match(pass.stdout, /calign: 2 tests across 3 prompts \(similarity rougeL\)/);
  assert.match(pass.stdout, /calign: {3}test-\d \((cat|dog)\): CR /);
  const printed = Number(/calign: CR \(macro\) ([\d.]+)/.exec(pass.stdout)?.[1]);

  // The same figure from promptfoo's own results file: outputs per test in prompt order.
  const file = JSON.parse(readFileSync(join(work, "pass.json"), "utf8"));
  const byTest = new Map<number, { promptIdx: number; response: { output: string } }[]>();
  for (const r of file.results.results) byTest.set(r.testIdx, [...(byTest.get(r.testIdx) ?? []), r]);
  let sum = 0;
  for (const rows of byTest.values()) {
    const outputs = rows.sort((a, b) => a.promptIdx - b.promptIdx).map((r) => r.response.output);
    sum += itemConsistency(await pairSums(outputs, rougeLSimilarity()))!;
  }
  const cr = sum / byTest.size;
  assert.equal(printed, Number(cr.toFixed(3)));
  assert.ok(cr < 1, `the three wordings get different answers (CR ${cr})`);
  assert.match(pass.stdout, /calign: PASS/);

  // Threshold from the environment: 1 fails, and promptfoo still writes its results.
  const fail = promptfoo(config("fail.yaml", ""), "fail.json", { CALIGN_MIN_CR: "1" });
  assert.equal(fail.status, 1, fail.stdout + fail.stderr);
  assert.match(fail.stdout, /calign: FAIL: CR \(macro\) [\d.]+ is below CALIGN_MIN_CR 1/);
  assert.equal(JSON.parse(readFileSync(join(work, "fail.json"), "utf8")).results.results.length, 6);

  const bad = promptfoo(config("bad.yaml", "env:\n  CALIGN_MIN_CR: high\n"), "bad.json");
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout + bad.stderr, /CALIGN_MIN_CR must be a number in \[0, 1\], got high/);
});
