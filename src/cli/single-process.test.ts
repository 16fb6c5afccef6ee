// A command that does not distribute yet, started as one of 2 ranks, exits 1 saying so and writes nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { localRankEnv } from "../../test/helpers/dist-ranks.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("commands that do not shard refuse to start as one of several ranks", () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-single-"));
  try {
    for (const argv of [["pairs", "--input", "in.jsonl", "--output", join(dir, "out.jsonl")]]) {
      const r = spawnSync(process.execPath, [CLI, ...argv], {
        encoding: "utf8",
        env: localRankEnv(1, 2, 29999),
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`calign ${argv[0]} does not run data-parallel yet \\(launched as one of 2 ranks\\)`),
      );
    }
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
