import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeCsv } from "./csv.js";

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
