// A killed writer's temporary files are swept; a live writer's (and any other file) are left alone.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sweepDeadTemps, tempPathBeside } from "./temp-path.js";

test("issue 16 item 10: temporary files of dead writers are swept, in subfolders too", () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-sweep-"));
  try {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    mkdirSync(join(dir, "sft"));
    const gone = [
      join(dir, `.data.jsonl.${dead}.0badcafe.tmp`),
      join(dir, "sft", `.model.safetensors.${dead}.12345678.tmp`),
    ];
    const kept = [
      tempPathBeside(join(dir, "samples.jsonl")),
      join(dir, "samples.jsonl"),
      join(dir, ".x.tmp"),
    ];
    for (const f of [...gone, ...kept]) writeFileSync(f, "x");
    assert.deepEqual(sweepDeadTemps(dir).sort(), gone.sort());
    for (const f of gone) assert.equal(existsSync(f), false, f);
    for (const f of kept) assert.equal(existsSync(f), true, f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
