// The report at a sweep's root, from a real `calign run --sweep` on the tiny pipeline: one row per value
// and system, each the figures of that value's own evaluation (every wording, then per origin).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";
import type { SystemMetricsFile } from "../align/evaluate.js";
import { EVERY_WORDING, type SweepReport } from "./sweep-report.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const calign = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("a whole sweep writes at its root one row per value and system, the figures of each value's evaluation", () => {
  const { dir, config } = pipelineFixture(15);
  try {
    const out = join(dir, "sweep");
    const r = calign("run", config, "--output", out, "--sweep", "cat.sft_weight=0,1");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sweep\/report\.html \(the sweep\)$/m);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as SweepReport;
    assert.equal(report.key, "cat.sft_weight");
    const systems = ["base", "sft", "sft_ia", "cat"];
    assert.deepEqual(
      report.rows.map((row) => `${row.value} ${row.system}`),
      ["0", "1"].flatMap((v) => systems.map((s) => `${v} ${s}`)),
    );
    for (const row of report.rows) {
      const file = join(out, `cat.sft_weight=${row.value}`, "eval", `${row.system}.metrics.json`);
      const m = JSON.parse(readFileSync(file, "utf8")) as SystemMetricsFile;
      // The fixture's wordings are "original" and "human": every wording, then each origin.
      assert.deepEqual(Object.keys(row.views), [EVERY_WORDING, "original", "human"]);
      assert.deepEqual(row.views.human, {
        accuracy: m.views.human!.accuracy.figures.quality_mean,
        cr: m.views.human!.rougeL.figures.cr_macro,
        inputSensitivity: m.views.human!.collapse.macro.inputSensitivity,
      });
      assert.equal(row.views[EVERY_WORDING]!.cr.value, m.rougeL.figures.cr_macro!.value);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    assert.equal(html.slice(html.indexOf('id="sweep-table"')).split("<tr>").length - 1, 2 + 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
