// The check config's cases from a promptfoo config: prompts filled with each test's vars, the first
// prompt the original, references from `equals` assertions, lines kept for annotations; what calign
// cannot render the way promptfoo would (filters, a missing var) is refused with its line; a path
// target's device and dtype; the answer pattern, with whole responses kept beside the answers.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { tempDir } from "../../test/fixtures.js";
import { readCheckConfig } from "./check-config.js";
import { checkHtml } from "./check-html.js";
import { checkTable } from "./check-table.js";
import { junitXml } from "./junit.js";
import { runCheck } from "./run-check.js";

const tmp = tempDir();
after(() => tmp.remove());

function write(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

const PROMPTFOO = `prompts:
  - "Answer briefly: {{ question }}"
  - raw: "{{question}} Reply in one word."
    label: one-word
defaultTest:
  vars: {question: "unused"}
tests:
  - description: capital
    vars: {question: "What is the capital of France?"}
    assert:
      - type: equals
        value: Paris
      - type: icontains
        value: par
  - vars: {question: 4}
`;

test("a promptfoo config's tests become cases, its prompts their wordings", async () => {
  write("promptfooconfig.yaml", PROMPTFOO);
  const config = await readCheckConfig(
    write("check.yaml", "system: {mock: x}\npromptfoo: promptfooconfig.yaml\n"),
  );
  assert.deepEqual(
    config.cases.map((c) => [c.id, c.line, c.instruction, c.variants, c.references]),
    [
      [
        "capital",
        8,
        "Answer briefly: What is the capital of France?",
        [{ text: "What is the capital of France? Reply in one word.", origin: "one-word" }],
        ["Paris"],
      ],
      ["test-2", 15, "Answer briefly: 4", [{ text: "4 Reply in one word.", origin: "one-word" }], []],
    ],
  );
});

test("Nunjucks beyond {{ var }} and a missing var are refused with their line", async () => {
  write("filters.yaml", PROMPTFOO.replace("{{question}} Reply", "{{ question | upper }} Reply"));
  await assert.rejects(
    readCheckConfig(write("c1.yaml", "system: {mock: x}\npromptfoo: filters.yaml\n")),
    /filters\.yaml:3: prompts\[1\]: only \{\{ var \}\} substitution/,
  );
  write(
    "novar.yaml",
    PROMPTFOO.replace('defaultTest:\n  vars: {question: "unused"}\n', "").replace(
      "  - vars: {question: 4}\n",
      "  - vars: {other: 4}\n",
    ),
  );
  await assert.rejects(
    readCheckConfig(write("c2.yaml", "system: {mock: x}\npromptfoo: novar.yaml\n")),
    /novar\.yaml:13: tests\[1\]: no var "question"/,
  );
});

test("thresholds that need references are refused for a case without them, naming its line", async () => {
  const path = write(
    "refs.yaml",
    "system: {mock: x}\ncases:\n  - id: a\n    instruction: i\n    variants: [j]\nthresholds:\n  case: {max_gap: 0.2}\n",
  );
  await assert.rejects(
    readCheckConfig(path),
    /refs\.yaml:3: case a: references: min_worst_quality and max_gap need references/,
  );
});

test("device and dtype go with a path target: float32 on auto unless given, refused beside url or mock", async () => {
  const cases = "cases: [{ instruction: i, variants: [j] }]\n";
  const system = async (target: string) =>
    (await readCheckConfig(write("engine.yaml", `system: ${target}\n${cases}`))).system.target;
  assert.deepEqual(await system("{path: m}"), {
    kind: "path",
    path: join(tmp.dir, "m"),
    device: "auto",
    dtype: "float32",
  });
  assert.deepEqual(await system("{path: m, device: cpu, dtype: bfloat16}"), {
    kind: "path",
    path: join(tmp.dir, "m"),
    device: "cpu",
    dtype: "bfloat16",
  });
  await assert.rejects(system("{mock: x, device: cpu}"), /engine\.yaml:1: system\.device: goes with path/);
  await assert.rejects(
    system("{path: m, dtype: float64}"),
    /engine\.yaml:1: system\.dtype: must be one of float32, bfloat16, float16, got 'float64'/,
  );
  await assert.rejects(
    system("{path: m, device: gpu}"),
    /engine\.yaml:1: system\.device: device 'gpu' is not one of/,
  );
});

test("answer_pattern: the check measures the answers inside worked responses; a bad one is refused with its line", async () => {
  const text = (pattern: string) =>
    `system: {mock: "Paris is the capital of France.\\nAnswer: Paris"}\nquality: exact\n${pattern}cases:\n  - {id: a, instruction: "Capital of France?", variants: ["France's capital?"], references: [Paris]}\nthresholds:\n  case: {min_worst_quality: 1}\n`;
  const whole = await runCheck(await readCheckConfig(write("whole.yaml", text(""))), { cacheDir: null });
  assert.equal(whole.passed, false, "no whole response is the reference");
  const answered = await runCheck(
    await readCheckConfig(write("answer.yaml", text('answer_pattern: "Answer: *(.*)"\n'))),
    { cacheDir: null },
  );
  assert.equal(answered.passed, true);
  const worked = "Paris is the capital of France.\nAnswer: Paris";
  assert.deepEqual(
    answered.cases[0]!.variants.map((v) => [v.response, v.answer]),
    [
      [worked, "Paris"],
      [worked, "Paris"],
    ],
    "each variant keeps its whole response beside the answer compared",
  );
  assert.equal(whole.cases[0]!.variants[0]!.answer, undefined);
  // A failing case's reports show the whole responses and the answers found in them.
  const failing = await runCheck(
    await readCheckConfig(
      write("fail.yaml", text('answer_pattern: "Answer: *(.*)"\n').replace("[Paris]", "[Lyon]")),
    ),
    { cacheDir: null },
  );
  assert.equal(failing.passed, false);
  const junit = junitXml(failing);
  assert.match(junit, /-&gt; Paris is the capital of France\.\n {5}Answer: Paris\n {2}answer: Paris\n/);
  assert.match(checkTable(failing), /answer: Paris +\| answer: Paris/);
  assert.match(checkHtml(failing), /<th>answer<\/th>.*<td><pre>Paris<\/pre><\/td><\/tr>/s);
  assert.doesNotMatch(checkHtml(whole), /<th>answer<\/th>/);
  await assert.rejects(
    readCheckConfig(write("bad.yaml", text('answer_pattern: "Answer: (.*"\n'))),
    /bad\.yaml:3: answer_pattern: answer pattern \/Answer: \(\.\*\/: /,
  );
});
