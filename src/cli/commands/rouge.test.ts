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
  await assert.rejects(runRouge(["--frobnicate"]), /^UsageError: Unknown option '--frobnicate'/);
  // Through the real binary: bad data exits 1 with file:line: field.
  const viaBin = calign(
    ["rouge", "--jsonl"],
    '{"target":"a","prediction":"a"}\n{"targets":[],"prediction":"b"}\n',
  );
  assert.equal(viaBin.status, 1);
  assert.equal(viaBin.stderr, "calign rouge: <stdin>:2: targets: must not be empty\n");
});
