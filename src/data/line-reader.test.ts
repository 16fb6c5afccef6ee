import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DataError } from "./errors.js";
import { type Line, readLines } from "./line-reader.js";
import { fileSource, memorySource, type Source } from "./source.js";

async function lines(source: Source, max?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of readLines(source, max)) out.push(l);
  return out;
}

test("line reader: CRLF, BOM, missing final newline, and lines split across any chunk size", async () => {
  const text = "\uFEFFfirst\r\nsecond é\n\nthird — 中文";
  for (const size of [1, 2, 3, 7, 1 << 16]) {
    const got = await lines(memorySource("m", text, size));
    assert.deepEqual(got, [
      { text: "first", line: 1 },
      { text: "second é", line: 2 },
      { text: "", line: 3 },
      { text: "third — 中文", line: 4 },
    ]);
  }
});

test("line reader: invalid UTF-8 names the line", async () => {
  const bytes = Buffer.concat([Buffer.from("ok\nbad "), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]);
  await assert.rejects(lines(memorySource("bad.jsonl", bytes)), (err: unknown) => {
    assert.ok(err instanceof DataError);
    assert.equal(err.message, "bad.jsonl:2: (line): invalid UTF-8");
    return true;
  });
});

test("line reader: a line over the cap fails as soon as the cap is passed", async () => {
  let produced = 0;
  const endless: Source = {
    name: "endless",
    async *chunks() {
      // A line that never ends: only the cap stops the reader.
      for (;;) {
        produced += 4096;
        yield Buffer.alloc(4096, 0x61);
      }
    },
  };
  await assert.rejects(
    lines(endless, 100_000),
    /^DataError: endless:1: \(line\): line is longer than 100000 bytes$/,
  );
  assert.ok(produced < 200_000, `read ${produced} bytes`);
});

test("line reader: a 2 GB line in a file is rejected without being read into memory", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-line-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "huge.jsonl");
  // A sparse file: 2 GiB of one line after a valid first line, no disk blocks used.
  const fd = openSync(path, "w");
  writeSync(fd, '{"ok":1}\n');
  writeSync(fd, "x", 2 ** 31);
  closeSync(fd);
  const before = process.memoryUsage().rss;
  await assert.rejects(lines(fileSource(path)), (err: unknown) => {
    assert.ok(err instanceof DataError);
    assert.equal(err.line, 2);
    assert.match(err.message, /huge\.jsonl:2: \(line\): line is longer than 64 MiB/);
    return true;
  });
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 512 * 2 ** 20, `resident memory grew by ${grown} bytes`);
});

test("line reader: an unreadable file is a DataError naming it", async () => {
  await assert.rejects(
    lines(fileSource("/nonexistent/calign.jsonl")),
    /^DataError: \/nonexistent\/calign\.jsonl: \(file\): cannot read: ENOENT/,
  );
});
