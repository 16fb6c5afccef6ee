// Writes report.json and report.html into a run directory (each atomically).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeAll, writeFileAtomicSync, writeJsonAtomicSync } from "../util/atomic-write.js";
import { renderHtml } from "./render-html.js";
import { buildReportData, type ReportData } from "./report-data.js";

export async function writeReport(runDir: string): Promise<ReportData> {
  const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
  const data = await buildReportData(runDir, manifest);
  writeJsonAtomicSync(join(runDir, "report.json"), data);
  const html = Buffer.from(renderHtml(data), "utf8");
  writeFileAtomicSync(join(runDir, "report.html"), (fd) => writeAll(fd, html));
  return data;
}
