// The HTML report in a real browser: a tiny pipeline run's report.html opened from disk in headless
// Chromium (Debian's, driven by playwright-core) renders its table, charts, side-by-side responses and
// curves, and the figures per wording origin, with no console error and no request leaving the page; a
// screenshot is saved beside it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";

const CHROMIUM = process.env.CALIGN_CHROMIUM ?? "/usr/bin/chromium";
const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} not found (apt install chromium; scripts/install.sh --dev does)`;
  if (process.env.CI === "true") throw new Error(`CI must run the browser test, but ${why}`);
  return why;
}

test("report.html renders in headless Chromium: table, charts, side by side, curves, no errors", async (t) => {
  const why = chromiumUnavailable();
  if (why) return t.skip(why);
  const { dir, config } = pipelineFixture(31);
  const out = join(dir, "run");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const r = spawnSync(process.execPath, [CLI, "run", config, "--output", out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (req) => {
      if (!req.url().startsWith("file://")) requests.push(req.url());
    });
    await page.goto(`file://${join(out, "report.html")}`);
    assert.equal(await page.locator("#main-table tr").count(), 1 + 4, "a header and one row per system");
    // The fixture's wordings have two origins ("original", "human"): a row per system over each.
    assert.equal(await page.locator("#views-table tr").count(), 2 + 4, "two header rows and one per system");
    assert.match(
      (await page.locator("#views-table tr").first().textContent()) ?? "",
      /original wordings.*human wordings/,
    );
    assert.ok(await page.locator("#task-table th", { hasText: "acc human" }).first().isVisible());
    assert.match((await page.locator("#headline").innerText()).trim(), /CR/);
    assert.ok(
      (await page.locator("#charts svg.chart rect").count()) >= 8,
      "bars of accuracy and CR for 4 systems",
    );
    assert.ok((await page.locator("#task-charts svg.chart").count()) >= 1);
    assert.ok((await page.locator("#side-by-side .example").count()) >= 1);
    assert.equal(await page.locator("#side-by-side .example tr").first().locator("th").count(), 1 + 4);
    assert.ok((await page.locator("#curves svg polyline").count()) >= 3, "loss curves of sft, sft_ia, cat");
    const box = await page.locator("#main-table").boundingBox();
    assert.ok(box !== null && box.width > 100 && box.height > 50, "the table is laid out and visible");
    await page.screenshot({ path: join(out, "report.png"), fullPage: true });
    assert.ok(existsSync(join(out, "report.png")));
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
