import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { captureOutput } from "../../../test/cli/capture-output.js";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";
import { tensor } from "../../engine/index.js";
import { FIGURES } from "../../metrics/figures.js";
import { UsageError } from "../command.js";
import { metrics } from "./metrics.js";

async function runMetrics(args: string[]) {
  const io = captureOutput();
  const status = await metrics.run(args, io);
  return { status, stdout: io.out.join(""), stderr: io.err.join("") };
}

const variant = (text: string, origin: string, response: string) => ({ text, origin, response });
const A = [
  {
    id: "1",
    instruction: "Capital of France?",
    variants: [
      {
        ...variant("Capital of France?", "original", "Paris"),
        logprobs: [-0.1, -0.5, -2],
        response_tokens: 1,
      },
      {
        ...variant("France's capital?", "model", "The capital is Paris."),
        logprobs: [-3, -0.2, -2.5],
        response_tokens: 5,
      },
      {
        ...variant("Name the French capital.", "model", "Lyon"),
        logprobs: [-0.4, -4, -1],
        response_tokens: 1,
      },
    ],
    references: ["Paris"],
  },
  {
    id: "2",
    instruction: "2+2?",
    variants: [variant("2+2?", "original", "4"), variant("Two plus two?", "model", "4")],
    references: ["4"],
  },
  {
    id: "3",
    instruction: "Say hi",
    variants: [variant("Say hi", "original", "Hello there"), variant("Greet me", "rule", "Hi!")],
  },
];

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "calign-metrics-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, "a.jsonl");
  writeFileSync(a, A.map((g) => JSON.stringify(g)).join("\n"));
  return { dir, a };
}

test("calign metrics: every figure by hand on a small file, JSON and CSV written", async (t) => {
  const { dir, a } = setup(t);
  const r = await runMetrics([a, "--csv", join(dir, "items.csv"), "--bootstrap", "200"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, "a.metrics.json"), "utf8"));
  const value = (k: string) => report.figures[k].value;
  // Stemmed ROUGE-L F1: "Paris" vs "The capital is Paris." = 0.4, the other pairs 0 except item 2.
  assert.equal(value("cr_macro"), (0.4 / 3 + 1 + 0) / 3);
  assert.equal(value("cr_micro"), (0.4 + 1 + 0) / (3 + 1 + 1));
  // CR on correct answers, weighted by each response's quality (ROUGE-L against "Paris": 1, 0.4, 0):
  // item 1's only pair with weight is Paris / The capital is Paris. (0.4 * 1 * 0.4); item 2's "4" / "4"
  // counts 1; item 3 has no references.
  assert.ok(Math.abs(value("cr_correct") - (0.16 / 3 + 1) / 2) < 1e-12);
  assert.equal(value("quality_worst"), (0 + 1) / 2);
  assert.equal(value("pdr"), 1 - (0.2 + 1) / (1 + 1));
  // POSIX of item 1: (3.2 / 1 + 4.1 / 5 + 2.5 / 1) / 6, the only item with log-probs.
  assert.ok(Math.abs(value("posix") - (3.2 + 0.82 + 2.5) / 6) < 1e-12);
  assert.equal(report.figures.posix.items, 1);
  assert.deepEqual(report.settings.bootstrap, { resamples: 200, seed: 0, level: 0.95 });
  for (const f of FIGURES) {
    const e = report.figures[f.key];
    assert.ok(e.ci[0] <= e.value && e.value <= e.ci[1], f.key);
    assert.match(r.stdout, new RegExp(`^${f.key} `, "m"));
  }
  const csv = readFileSync(join(dir, "items.csv"), "utf8").split("\r\n");
  assert.equal(csv[0]!.split(",").slice(0, 4).join(","), "id,variants,cr,cr_correct");
  assert.equal(csv[3], "3,2,0,,,,,,,,,,");
});

test("calign metrics: --references and --compare (a system against itself differs by 0)", async (t) => {
  const { dir, a } = setup(t);
  const refs = join(dir, "refs.jsonl");
  writeFileSync(refs, '{"id":"3","references":["Hello there"],"task_id":"x"}\n');
  const out = join(dir, "m.json");
  const r = await runMetrics([a, "--references", refs, "--compare", a, "--sim", "exact", "-o", out]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(report.figures.quality_mean.items, 1);
  assert.equal(report.figures.quality_mean.value, 0.5);
  assert.equal(report.figures.cr_macro.value, (0 + 1 + 0) / 3);
  assert.equal(report.settings.similarity, "exact");
  assert.equal(report.comparison.paired, 3);
  for (const d of Object.values(report.comparison.figures) as {
    difference: number | null;
    ci: number[] | null;
  }[]) {
    if (d.difference !== null) assert.deepEqual([d.difference, d.ci], [0, [0, 0]]);
  }
});

test("calign metrics: bad data exits 1 with file:line: field and writes nothing", async (t) => {
  const { dir, a } = setup(t);
  const bad = join(dir, "bad.jsonl");
  const group = structuredClone(A[1]!) as { variants: Record<string, unknown>[] };
  delete group.variants[1]!.response;
  writeFileSync(bad, `${JSON.stringify(A[0])}\n${JSON.stringify(group)}\n`);
  const r = await runMetrics([bad]);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    `calign metrics: ${bad}:2: variants[1].response: missing (every variant needs a response)\n`,
  );
  assert.equal(existsSync(join(dir, "bad.metrics.json")), false);
  const missing = await runMetrics([a, "--compare", join(dir, "missing.jsonl")]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /missing\.jsonl: \(file\): cannot read: ENOENT/);
  assert.equal(existsSync(join(dir, "a.metrics.json")), false);
  await assert.rejects(
    runMetrics([a, "--sim", "cosine"]),
    /^ConfigError: --sim: must be one of rougeL, exact, threshold, judge, got 'cosine'/,
  );
  const empty = join(dir, "empty.jsonl");
  writeFileSync(empty, "\n");
  await assert.rejects(runMetrics([empty]), new UsageError(`${empty} has no groups`));
  const other = join(dir, "other.jsonl");
  writeFileSync(other, JSON.stringify({ ...A[1], id: "elsewhere" }));
  await assert.rejects(
    runMetrics([a, "--compare", other]),
    new UsageError(`${a} and ${other} share no item id`),
  );
});

test("calign metrics --help documents every figure with its definition and source", () => {
  const help = metrics.help.replace(/\s+/g, " ");
  for (const f of FIGURES) {
    assert.ok(help.includes(`${f.key} ${f.title}: ${f.definition}. Source: ${f.source}.`), f.key);
  }
});

test("calign metrics --sim judge: CR is the judge model's P(Yes) over P(Yes) + P(No), both orders averaged", async (t) => {
  const { dir } = setup(t);
  const { dir: modelDir, model } = tinyModelDir(3);
  t.after(() => {
    model.dispose();
    rmSync(modelDir, { recursive: true, force: true });
  });
  const file = join(dir, "judged.jsonl");
  const groups = [
    {
      id: "1",
      instruction: "x",
      variants: [variant("x", "original", "Paris"), variant("y", "rule", "Lyon $&")],
    },
    { id: "2", instruction: "z", variants: [variant("z", "original", "4"), variant("w", "rule", "4")] },
  ];
  writeFileSync(file, groups.map((g) => JSON.stringify(g)).join("\n"));
  const r = await runMetrics([file, "--sim", "judge", "--judge", modelDir, "--bootstrap", "50"]);
  assert.equal(r.status, 0, r.stderr);
  // Independently: the byte-level tiny model reads BOS + the prompt's bytes; the completion's
  // log-prob is the sum over its bytes of the full forward pass's log-softmax.
  const logprob = (prompt: string, completion: string) => {
    const p = [256, ...Buffer.from(prompt, "utf8")];
    const c = [...Buffer.from(completion, "utf8")];
    const ids = [...p, ...c];
    const logp = model.forward(tensor(ids, [1, ids.length], { dtype: "int64" })).logSoftmax(-1);
    const rows = logp.toArray();
    const V = model.vocabSize;
    return c.reduce((sum, id, i) => sum + rows[(p.length - 1 + i) * V + id]!, 0);
  };
  const ask = (a: string, b: string) => {
    const q = `Answer A: ${a}\nAnswer B: ${b}\nDo answers A and B say the same thing? Answer Yes or No.`;
    const yes = Math.exp(logprob(q, "Yes"));
    return yes / (yes + Math.exp(logprob(q, "No")));
  };
  const sim = (a: string, b: string) => (ask(a, b) + ask(b, a)) / 2;
  const report = JSON.parse(readFileSync(join(dir, "judged.metrics.json"), "utf8"));
  const expected = (sim("Paris", "Lyon $&") + sim("4", "4")) / 2;
  assert.ok(
    Math.abs(report.figures.cr_macro.value - expected) < 1e-5,
    `${report.figures.cr_macro.value} vs ${expected}`,
  );
  assert.equal(report.settings.similarity, `judge:${modelDir}`);
});

test("calign metrics: judge flags are checked before any work", async (t) => {
  const { a } = setup(t);
  await assert.rejects(runMetrics([a, "--sim", "judge"]), /--sim judge needs --judge TARGET/);
  await assert.rejects(runMetrics([a, "--judge", "models/base"]), /--judge goes with --sim judge/);
  await assert.rejects(
    runMetrics([a, "--sim", "judge", "--judge", "http://127.0.0.1:9/v1#"]),
    /nothing after "#"/,
  );
  await assert.rejects(
    runMetrics([a, "--sim", "judge", "--judge", "http://127.0.0.1:9/v1+ftp://x"]),
    /"ftp:\/\/x" is not an http\(s\) URL/,
  );
  await assert.rejects(
    runMetrics([a, "--sim", "judge", "--judge", "/no/such/model"]),
    /^ModelFileError: \/no\/such\/model: no such model file or folder/,
  );
});

/** Writes groups as calign JSONL in a fresh folder; returns the file and its default report path. */
function writeGroupsFile(t: { after(fn: () => void): void }, groups: object[]) {
  const { dir } = setup(t);
  const file = join(dir, "r.jsonl");
  writeFileSync(file, groups.map((g) => JSON.stringify(g)).join("\n"));
  return { file, reportPath: join(dir, "r.metrics.json") };
}

const near = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);

test("calign metrics: collapse diagnostics, a constant answer at input sensitivity 0 and CR 1", async (t) => {
  // sentiment: a built-in family (2 options) made by the suite (meta.family), answered "yes" whatever
  // the input, under two wordings every item shares. larger-number: a suite family's name, but the
  // groups are not the suite's (no meta.family), so no chance level; answered right except "It is 9",
  // which ROUGE-L credits and exact match does not.
  const sentiment = ["yes", "no", "yes", "no"].map((gold, k) => ({
    id: `s${k}`,
    task: "sentiment",
    instruction: "Is the review positive?",
    input: `review ${k}`,
    variants: [
      variant("Is the review positive?", "held-out", "yes"),
      variant("Positive review?", "held-out", "yes"),
    ],
    references: [gold],
    meta: { family: "sentiment" },
  }));
  const larger = [
    ["7", "7", "7"],
    ["9", "9", "It is 9"],
  ].map(([gold, r1, r2], k) => ({
    id: `n${k}`,
    task: "larger-number",
    instruction: "Which is larger?",
    variants: [variant("Which is larger?", "held-out", r1!), variant("The larger one?", "held-out", r2!)],
    references: [gold],
  }));
  const { file, reportPath } = writeGroupsFile(t, [...sentiment, ...larger]);
  const r = await runMetrics([file, "--bootstrap", "50"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  const [num, sen] = report.collapse.tasks;
  // sentiment: exact-match accuracy 1, 0, 1, 0; the majority answer "yes" (tied with "no", seen first)
  // is right for 2 of 4; chance 1/2. Per wording, the items with different gold answers pair up:
  // {s0, s2} x {s1, s3} = 4 pairs, 8 over both wordings, none with differing responses. Every item's
  // two responses are equal (ROUGE-L 1); on correct answers only s0 and s2 count.
  assert.deepEqual(sen, {
    task: "sentiment",
    items: 4,
    accuracy: 0.5,
    majority: 0.5,
    majorityAnswer: "yes",
    chance: 0.5,
    inputSensitivity: { pairs: 8, changed: 0, value: 0 },
    cr: 1,
    crCorrect: 0.5,
  });
  // larger-number: accuracy n0 1, n1 (1 + 0) / 2; majority 1/2; one pair per wording, both changed;
  // CR n0 1, n1 ROUGE-L("9", "It is 9") = 2 * (1/3 * 1) / (1/3 + 1) = 0.5; CR on correct answers n0 1,
  // n1 0 (its one pair has a wrong answer).
  assert.equal(num.task, "larger-number");
  assert.equal(num.chance, null);
  assert.equal(num.accuracy, 0.75);
  assert.equal(num.majority, 0.5);
  assert.deepEqual(num.inputSensitivity, { pairs: 2, changed: 2, value: 1 });
  near(num.cr, 0.75);
  assert.equal(num.crCorrect, 0.5);
  // Macro: unweighted over the two tasks; no chance level since one task has none (CR, a float sum,
  // checked apart).
  const macro = report.collapse.macro;
  assert.deepEqual(
    { ...macro, cr: null },
    {
      tasks: 2,
      accuracy: (0.5 + 0.75) / 2,
      majority: 0.5,
      chance: null,
      inputSensitivity: 0.5,
      sensitivityPairs: 10,
      cr: null,
      crCorrect: 0.5,
    },
  );
  near(macro.cr, (1 + 0.75) / 2);
  // The figures keep --quality (ROUGE-L): n1's quality is (1 + 0.5) / 2, not its accuracy.
  near(report.figures.quality_mean.value, (1 + 0 + 1 + 0 + 1 + 0.75) / 6);
  assert.deepEqual(report.views, {});
  // Printed: input sensitivity beside CR, in the figure table and in the collapse block.
  assert.match(r.stdout, /^cr_macro .*\(\d+\.\d+%; input_sens 0\.5000\)$/m);
  assert.match(r.stdout, /^task +items +accuracy +majority +chance +pairs +input_sens +cr +cr_correct$/m);
  assert.match(r.stdout, /^macro \(2 tasks\) +6 +0\.6250 +0\.5000 +- +10 +0\.5000 +0\.8750 +0\.5000$/m);
  assert.match(r.stdout, /^sentiment +4 +0\.5000 +0\.5000 +0\.5000 +8 +0\.0000 +1\.0000 +0\.5000$/m);
  assert.match(r.stdout, /^larger-number +2 +0\.7500 +0\.5000 +- +2 +1\.0000 +0\.7500 +0\.5000$/m);
  assert.doesNotMatch(r.stdout, /^view /m);
});

test("calign metrics: per-origin views, each over its own variants, with their collapse", async (t) => {
  // a has a seed and two held-out wordings, b only seed ones, c only a held-out one; one task.
  const groups = [
    {
      id: "a",
      instruction: "W1",
      variants: [variant("W1", "seed", "x"), variant("H1", "held-out", "x"), variant("H2", "held-out", "y")],
      references: ["x"],
    },
    {
      id: "b",
      instruction: "W1",
      variants: [variant("W1", "seed", "x"), variant("W2", "seed", "z")],
      references: ["z"],
    },
    { id: "c", instruction: "H1", variants: [variant("H1", "held-out", "q")], references: ["q"] },
  ];
  const { file, reportPath } = writeGroupsFile(t, groups);
  const r = await runMetrics([file, "--bootstrap", "50"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  assert.deepEqual(Object.keys(report.views), ["seed", "held-out"]);
  const { seed, "held-out": held } = report.views;
  // seed: a keeps W1 ("x", right; no pair), b keeps W1 "x" and W2 "z" (CR 0). W1 pairs a with b
  // (gold x vs z) and both answered "x": input sensitivity 0 over 1 pair.
  assert.equal(seed.items, 2);
  assert.deepEqual([seed.figures.cr_macro.value, seed.figures.cr_macro.items], [0, 1]);
  assert.equal(seed.collapse.macro.accuracy, (1 + 0.5) / 2);
  assert.deepEqual(seed.collapse.tasks[0].inputSensitivity, { pairs: 1, changed: 0, value: 0 });
  // held-out: a keeps H1 "x" and H2 "y" (CR 0, accuracy 1/2), c keeps H1 "q" (right). H1 pairs a
  // with c (gold x vs q), answered "x" and "q": changed.
  assert.equal(held.items, 2);
  assert.equal(held.figures.quality_mean.value, (0.5 + 1) / 2);
  assert.equal(held.collapse.macro.accuracy, (0.5 + 1) / 2);
  assert.deepEqual(held.collapse.tasks[0].inputSensitivity, { pairs: 1, changed: 1, value: 1 });
  assert.equal(held.collapse.macro.cr, 0);
  // Over every variant both pairs count, and a's CR pairs wordings of both origins: sim(x, x) = 1 and
  // the two sim(x, y) = 0, so 1/3.
  assert.deepEqual(report.collapse.tasks[0].inputSensitivity, { pairs: 2, changed: 1, value: 0.5 });
  near(report.collapse.macro.accuracy, (2 / 3 + 0.5 + 1) / 3);
  near(report.figures.cr_macro.value, (1 / 3 + 0) / 2);
  // Printed: a short block per view, in order, with its macro collapse row.
  const views = r.stdout.slice(r.stdout.indexOf("\nview "));
  assert.match(
    views,
    /^view seed \(its variants only\): 2 items, cr_macro 0\.0000.*\n.*\nmacro \(1 task\) +2 +0\.7500 +0\.5000 +- +1 +0\.0000 +0\.0000 +0\.0000$/m,
  );
  assert.match(
    views,
    /^view held-out \(its variants only\): 2 items, cr_macro 0\.0000.*\n.*\nmacro \(1 task\) +2 +0\.7500 +0\.5000 +- +1 +1\.0000 +0\.0000 +0\.0000$/m,
  );
  assert.ok(views.indexOf("view seed") < views.indexOf("view held-out"));
});

test("calign metrics --answer-pattern: figures over the answers inside worked responses", async (t) => {
  const worked = (work: string, answer: string) => `${work}\nAnswer: ${answer}`;
  const { file, reportPath } = writeGroupsFile(t, [
    {
      id: "1",
      instruction: "Which is longer?",
      input: "kiwi, fig",
      variants: [
        variant(
          "Which is longer?",
          "original",
          worked("kiwi has 4 letters and fig has 3, so kiwi is.", "kiwi"),
        ),
        variant("Name the longer word.", "model", worked("kiwi is longer than fig.", "kiwi")),
      ],
      references: ["kiwi"],
    },
    {
      id: "2",
      instruction: "2+2?",
      variants: [
        variant("2+2?", "original", worked("2 + 2 = 4.", "4")),
        variant("Two plus two?", "model", "5"),
      ],
      references: ["4"],
    },
  ]);
  const args = [file, "--quality", "exact", "--sim", "exact", "--bootstrap", "20"];
  const whole = await runMetrics(args);
  assert.equal(whole.status, 0, whole.stderr);
  const w = JSON.parse(readFileSync(reportPath, "utf8"));
  assert.equal(w.figures.quality_mean.value, 0, "no whole response is a reference");
  const r = await runMetrics([...args, "--answer-pattern", "Answer: *(.*)"]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  // Item 1: both answers kiwi; item 2: 4 (worked) and 5 (no match: taken whole).
  assert.equal(report.figures.quality_mean.value, (1 + 0.5) / 2);
  assert.equal(report.figures.cr_macro.value, (1 + 0) / 2);
  assert.equal(report.settings.answer_pattern, "Answer: *(.*)");
  await assert.rejects(
    runMetrics([...args, "--answer-pattern", "Answer: (.*"]),
    /^ConfigError: --answer-pattern: answer_pattern: answer pattern \/Answer: \(\.\*\/: /,
  );
});
