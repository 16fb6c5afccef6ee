import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { captureOutput } from "../../../test/cli/capture-output.js";
import { rouge } from "./rouge.js";

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));

/** Spawns the real binary: the only way to feed standard input. */
function calign(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8" });
}

async function runRouge(args: string[]) {
  const io = captureOutput();
  const status = await rouge.run(args, io);
  return { status, stdout: io.out.join(""), stderr: io.err.join("") };
}

test("calign rouge: rouge-score's README example, to the digit", async () => {
  const r = await runRouge([
    "The quick brown fox jumps over the lazy dog",
    "The quick brown dog jumps on the log.",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // rouge-score README: RougeScorer(['rouge1', 'rougeL'], use_stemmer=True).score(...)
  assert.deepEqual(out.rouge1, { precision: 0.75, recall: 0.6666666666666666, f1: 0.7058823529411765 });
  assert.deepEqual(out.rougeL, { precision: 0.625, recall: 0.5555555555555556, f1: 0.5882352941176471 });
  assert.deepEqual(Object.keys(out), ["rouge1", "rouge2", "rougeL", "rougeLsum"]);
});

test("calign rouge --jsonl: one line out per line in; options; bad lines exit 1 naming line and field", async (t) => {
  const input =
    '{"target":"Привет мир","prediction":"привет мир"}\n{"targets":["x","running dogs"],"prediction":"run dog"}\n';
  const r = calign(["rouge", "--jsonl", "--tokenizer", "unicode"], input);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].rougeL.f1, 1);
  assert.equal(lines[1].rouge1.f1, 1);

  const dir = mkdtempSync(join(tmpdir(), "calign-rouge-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pairs = join(dir, "pairs.jsonl");
  writeFileSync(pairs, input);
  const noStem = await runRouge(["--jsonl", pairs, "--no-stem"]);
  assert.equal(JSON.parse(noStem.stdout.trim().split("\n")[1]!).rouge1.f1, 0);
  const out = join(dir, "scores.jsonl");
  writeFileSync(pairs, `${input}{"target":"a"}\n`);
  const bad = await runRouge(["--jsonl", pairs, "-o", out]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `calign rouge: ${pairs}:3: prediction: missing\n`);
  assert.equal(existsSync(out), false, "no partial output");
  await assert.rejects(runRouge(["--frobnicate"]), /^ConfigError: --frobnicate: unknown option/);
  // Through the real binary: bad data exits 1 with file:line: field.
  const viaBin = calign(
    ["rouge", "--jsonl"],
    '{"target":"a","prediction":"a"}\n{"targets":[],"prediction":"b"}\n',
  );
  assert.equal(viaBin.status, 1);
  assert.equal(viaBin.stderr, "calign rouge: <stdin>:2: targets: must not be empty\n");
});

test("issue 16 item 8: rouge on 200k-token texts is refused before any work, naming the line and --max-text-tokens", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-rouge-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const long = "alpha beta gamma delta ".repeat(50_000);
  const pairs = join(dir, "pairs.jsonl");
  const out = join(dir, "scores.jsonl");
  writeFileSync(
    pairs,
    `${JSON.stringify({ target: "a b", prediction: "a b" })}\n${JSON.stringify({ target: "x", prediction: long })}\n`,
  );
  const r = await runRouge(["--jsonl", pairs, "-o", out]);
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr,
    `calign rouge: ${pairs}:2: prediction: 200000 tokens, over the limit of 50000 (ROUGE-L's time grows with the product of the two lengths); raise it with --max-text-tokens\n`,
  );
  assert.equal(existsSync(out), false, "no partial output");

  // The limit is the option's: at it a text scores, one token over it is refused, on either side.
  writeFileSync(pairs, `${JSON.stringify({ targets: ["a b c", "a b c d"], prediction: "a b c" })}\n`);
  const over = await runRouge(["--jsonl", pairs, "--max-text-tokens", "3"]);
  assert.equal(over.status, 1);
  assert.match(over.stderr, new RegExp(`^calign rouge: ${pairs}:1: targets: 4 tokens, over the limit of 3 `));
  const at = await runRouge(["a b c", "a b c", "--max-text-tokens", "3"]);
  assert.equal(JSON.parse(at.stdout).rougeLsum.f1, 1);
  await assert.rejects(
    runRouge(["a b c d", "a", "--max-text-tokens", "3"]),
    /^UsageError: target: 4 tokens, over/,
  );
  await assert.rejects(
    runRouge(["a", "a", "--max-text-tokens", "0"]),
    /^ConfigError: --max-text-tokens: must be >= 1, got 0/,
  );
});

test("issue 16 item 11: rouge on an input with no pair is an error, with no output file", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-rouge-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "scores.jsonl");
  for (const text of ["", "\n  \n"]) {
    const pairs = join(dir, "pairs.jsonl");
    writeFileSync(pairs, text);
    const r = await runRouge(["--jsonl", pairs, "-o", out]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `calign rouge: ${pairs}: (file): no pairs\n`);
    assert.equal(existsSync(out), false);
  }
  const viaStdin = calign(["rouge", "--jsonl"], "");
  assert.equal(viaStdin.status, 1);
  assert.equal(viaStdin.stderr, "calign rouge: <stdin>: (file): no pairs\n");
  assert.equal(viaStdin.stdout, "");
});
