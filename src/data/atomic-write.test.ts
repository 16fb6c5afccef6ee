import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeAtomic, writeFileAtomic } from "./atomic-write.js";
import { writeCsv } from "./csv.js";

test("atomic write: a failure part-way leaves the old file untouched and no temporary file", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-atomic-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "out.jsonl");
  writeFileSync(path, "old\n");
  await assert.rejects(
    writeAtomic(path, async (out) => {
      for (let i = 0; i < 10_000; i++) await out.write(`line ${i}\n`);
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(readFileSync(path, "utf8"), "old\n");
  assert.deepEqual(readdirSync(dir), ["out.jsonl"]);
  await writeFileAtomic(path, "new\n");
  assert.equal(readFileSync(path, "utf8"), "new\n");
  assert.deepEqual(readdirSync(dir), ["out.jsonl"]);
});

test("csv: RFC 4180 quoting, empty cells for missing values", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-csv-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "r.csv");
  await writeCsv(
    path,
    ["id", "text", "score"],
    [
      { id: "a", text: 'say "hi", then\nleave', score: 0.5 },
      { id: "b", text: "plain", score: null },
    ],
  );
  assert.equal(
    readFileSync(path, "utf8"),
    'id,text,score\r\na,"say ""hi"", then\nleave",0.5\r\nb,plain,\r\n',
  );
});
