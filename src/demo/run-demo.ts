// `calign demo`: the paper's experiment on the embedded default. The built-in task suite and the
// committed base model go through the whole pipeline (SFT baseline, SFT(IA), SFT(IA)+CAT) once per
// seed; the systems are evaluated on held-out instances under held-out wordings and under the seed
// wordings; the report opens with the targets (met or missed), every seed's collapse flags, the
// paper-style table on held-out wordings (accuracy, ROUGE-L, CR, CR on correct answers, input
// sensitivity; mean and 95% t-interval over seeds), the same on seed wordings with the gap, and one line
// saying what changed. Each seed's run directory keeps its three trained models. Launched as several
// ranks, every rank runs every seed's pipeline (training data-parallel, sampling and evaluation shared)
// and rank 0 alone writes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SystemMetricsFile, ViewMetrics } from "../align/evaluate.js";
import { rulesSource } from "../align/paraphrase-rules-source.js";
import { type PipelineEvent, runPipeline } from "../align/pipeline.js";
import { RUN_SCHEMA } from "../align/run-schema.js";
import { loadConfig, saveEffectiveConfig } from "../config/index.js";
import type { ProcessGroup } from "../distributed/index.js";
import {
  type FigureName,
  type SeedFigures,
  type SeedSummary,
  summarizeGap,
  summarizeSeeds,
} from "../metrics/seed-summary.js";
import { renderHtml } from "../report/render-html.js";
import {
  buildReportData,
  meanTaskRows,
  type ReportData,
  type SeedViews,
  type Target,
} from "../report/report-data.js";
import { writeReport } from "../report/write-report.js";
import { ORIGIN } from "../tasks/index.js";
import { writeAll, writeFileAtomicSync, writeJsonAtomicSync } from "../util/atomic-write.js";
import { withFolderLock } from "../util/folder-lock.js";
import { type DemoSizes, demoFiles, writeDemoData } from "./demo-data.js";
import { demoTargets, signedPoints } from "./targets.js";

export const DEMO_SYSTEMS = ["sft", "sft_ia", "cat"];

export interface DemoPreset {
  sizes: DemoSizes;
  seeds: number[];
  /** Pipeline settings as `calign run` flags. */
  flags: string[];
  /** Training items target worked answers (`calign demo --worked`; presets.ts, withWorkedAnswers). */
  worked?: boolean;
}

export interface DemoOptions {
  out: string;
  baseModel: string;
  preset: DemoPreset;
  /** Extra `calign run` flags from the user (override the preset). */
  overrides: string[];
  onEvent?: (seed: number, e: PipelineEvent) => void;
  signal?: AbortSignal;
  /** Launched as several ranks: the group they form (rank 0 writes every file). */
  group?: ProcessGroup;
}

const pointEstimates = (m: ViewMetrics): Record<FigureName, number> => ({
  accuracy: m.accuracy.figures.quality_mean?.value ?? Number.NaN,
  rougeL: m.rougeL.figures.quality_mean?.value ?? Number.NaN,
  cr: m.rougeL.figures.cr_macro?.value ?? Number.NaN,
  crCorrect: m.accuracy.figures.cr_correct?.value ?? Number.NaN,
  inputSensitivity: m.collapse.macro.inputSensitivity ?? Number.NaN,
});

/** One seed's figures per wording origin (seed wordings, held-out wordings): view → system → figure. */
function seedFigures(runDir: string): Record<string, SeedFigures> {
  const out: Record<string, SeedFigures> = { [ORIGIN.seed]: {}, [ORIGIN.heldOut]: {} };
  for (const s of DEMO_SYSTEMS) {
    const file = join(runDir, "eval", `${s}.metrics.json`);
    const m = JSON.parse(readFileSync(file, "utf8")) as SystemMetricsFile;
    for (const [origin, figures] of Object.entries(out)) {
      const view = m.views[origin];
      if (view === undefined) throw new Error(`${file}: no view of the ${origin} wordings`);
      figures[s] = pointEstimates(view);
    }
  }
  return out;
}

/** One line: what each step changed on held-out wordings, with the interval over seeds. */
export function demoHeadline(s: SeedSummary): string {
  const title: Record<string, string> = { sft: "SFT", sft_ia: "SFT(IA)", cat: "SFT(IA)+CAT" };
  return s.differences
    .map((d) => {
      const part = (f: FigureName, name: string) => {
        const e = d.figures[f];
        const ci = e.ci ? ` [${signedPoints(e.ci[0])}, ${signedPoints(e.ci[1])}]` : "";
        return `${name} ${signedPoints(e.mean)}${ci}`;
      };
      return `${title[d.a] ?? d.a} vs ${title[d.b] ?? d.b}: ${part("cr", "CR")}, ${part("accuracy", "accuracy")} pts`;
    })
    .join("; ");
}

export interface DemoResult {
  /** On held-out wordings: the headline's and the targets' table. */
  summary: SeedSummary;
  headline: string;
  targets: Target[];
}

/** The demo's result; null on every rank but rank 0, which alone reads the runs and writes the report. */
export function runDemo(o: DemoOptions): Promise<DemoResult | null> {
  const main = o.group === undefined || o.group.isMain;
  // Rank 0 alone writes the folder, so it alone holds the lock.
  return main ? withFolderLock(o.out, "calign demo", () => demoIn(o, true)) : demoIn(o, false);
}

async function demoIn(o: DemoOptions, main: boolean): Promise<DemoResult | null> {
  const files = main ? await writeDemoData(o.out, o.preset.sizes, 0, o.preset.worked) : demoFiles(o.out);
  await o.group?.barrier();
  const perSeed: Record<string, SeedFigures>[] = [];
  // Every seed's collapse flags open the report, not only the first seed's.
  const flags: ReportData["flags"] = [];
  const pairs: ReportData["pairs"] = [];
  const perTask: ReportData["perTask"][] = [];
  for (const seed of o.preset.seeds) {
    const runDir = join(o.out, `seed-${seed}`);
    const loaded = loadConfig(RUN_SCHEMA, [
      "--model",
      o.baseModel,
      "--train",
      files.train,
      "--prompts",
      files.prompts,
      "--eval",
      files.eval,
      "--augment.pool",
      files.pool,
      "--systems",
      DEMO_SYSTEMS.join(","),
      ...o.preset.flags,
      "--augment.seed",
      String(seed),
      "--sft.seed",
      String(seed),
      "--sample.seed",
      String(seed),
      "--cat.seed",
      String(seed),
      ...o.overrides,
    ]);
    const pipeline = () =>
      runPipeline({
        runDir,
        config: loaded.values,
        sources: loaded.sources,
        rules: rulesSource,
        ...(o.onEvent ? { onEvent: (e: PipelineEvent) => o.onEvent?.(seed, e) } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.group ? { group: o.group } : {}),
      });
    if (!main) {
      await pipeline();
      continue;
    }
    const report = await withFolderLock(runDir, "calign demo", async () => {
      saveEffectiveConfig(runDir, loaded, "demo");
      await pipeline();
      return writeReport(runDir);
    });
    perSeed.push(seedFigures(runDir));
    flags.push(...report.flags.map((f) => ({ ...f, seed })));
    pairs.push(...report.pairs.map((p) => ({ ...p, seed })));
    perTask.push(report.perTask);
  }
  if (!main) return null;
  const over = (origin: string) => perSeed.map((run) => run[origin]!);
  const seedViews: SeedViews = {
    views: Object.fromEntries(
      [ORIGIN.seed, ORIGIN.heldOut].map((v) => [v, summarizeSeeds(o.preset.seeds, DEMO_SYSTEMS, over(v))]),
    ),
    gap: {
      later: ORIGIN.heldOut,
      earlier: ORIGIN.seed,
      systems: summarizeGap(DEMO_SYSTEMS, over(ORIGIN.heldOut), over(ORIGIN.seed)),
    },
  };
  const summary = seedViews.views[ORIGIN.heldOut]!;
  const headline = demoHeadline(summary);
  const targets = demoTargets(summary);
  const first = join(o.out, `seed-${o.preset.seeds[0]}`);
  const data: ReportData = {
    ...(await buildReportData(first, JSON.parse(readFileSync(join(first, "manifest.json"), "utf8")))),
    perTask: meanTaskRows(perTask),
    seedSummary: summary,
    seedViews,
    targets,
    flags,
    pairs,
    headline,
  };
  writeJsonAtomicSync(join(o.out, "report.json"), data);
  const html = Buffer.from(renderHtml(data), "utf8");
  writeFileAtomicSync(join(o.out, "report.html"), (fd) => writeAll(fd, html));
  return { summary, headline, targets };
}
