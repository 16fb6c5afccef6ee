import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  streamTextAtomic,
  writeAll,
  writeFileAtomicSync,
  writeJsonAtomicSync,
  writeTextAtomic,
} from "./atomic-write.js";

test("async text write: a failure part-way leaves the old file untouched and no temporary file", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-atomic-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "out.jsonl");
  writeFileSync(path, "old\n");
  await assert.rejects(
    streamTextAtomic(path, async (out) => {
      for (let i = 0; i < 10_000; i++) await out.write(`line ${i}\n`);
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(readFileSync(path, "utf8"), "old\n");
  assert.deepEqual(readdirSync(dir), ["out.jsonl"]);
  await writeTextAtomic(path, "new\n");
  assert.equal(readFileSync(path, "utf8"), "new\n");
  assert.deepEqual(readdirSync(dir), ["out.jsonl"]);
});

test("sync write: a failure inside the filler leaves the old file untouched and no temporary file", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-atomic-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "model.bin");
  writeFileSync(path, "old");
  assert.throws(
    () =>
      writeFileAtomicSync(path, (fd) => {
        writeAll(fd, Buffer.from("partial"));
        throw new Error("boom");
      }),
    /boom/,
  );
  assert.equal(readFileSync(path, "utf8"), "old");
  assert.deepEqual(readdirSync(dir), ["model.bin"]);
  writeJsonAtomicSync(path, { a: [1, 2] });
  assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), { a: [1, 2] });
  assert.deepEqual(readdirSync(dir), ["model.bin"]);
});
