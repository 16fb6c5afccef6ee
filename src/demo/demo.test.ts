// `calign demo --quick` end to end on the committed base model and the built-in task suite: every
// stage runs, the report opens with the table over seeds and the headline, and the three trained
// models are kept in the output folder. (Quality is not asserted here: the README reports measured
// figures; a test must not depend on how well a few minutes of CPU training happen to do.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("calign demo --quick runs every stage and writes the report and the three models", () => {
  const out = mkdtempSync(join(tmpdir(), "calign-demo-"));
  try {
    const r = spawnSync(process.execPath, [CLI, "demo", "--quick", "--out", out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^SFT\(IA\) vs SFT: CR [+-]\d+\.\d, accuracy [+-]\d+\.\d pts; SFT\(IA\)\+CAT vs SFT\(IA\): CR/m,
    );
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    assert.deepEqual(
      report.seedSummary.systems.map((s: { name: string }) => s.name),
      ["sft", "sft_ia", "cat"],
    );
    assert.equal(report.perTask.length, 27);
    for (const s of ["sft", "sft_ia", "cat"]) {
      assert.ok(existsSync(join(out, "seed-0", s, "model", "model.safetensors")), s);
      // Every trained model carries the chat template its training used.
      const cfg = JSON.parse(readFileSync(join(out, "seed-0", s, "model", "tokenizer_config.json"), "utf8"));
      assert.equal(typeof cfg.chat_template, "string", s);
    }
    assert.ok(readFileSync(join(out, "report.html"), "utf8").includes('id="seed-table"'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
