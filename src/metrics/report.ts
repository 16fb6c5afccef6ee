// The metrics report of one system (and optionally its paired comparison with another): every figure
// with its interval, the settings that produced it, and why a figure is absent when it is.
import { type BootstrapOptions, type Estimate, estimateFigures } from "./bootstrap.js";
import { type Comparison, compareSystems } from "./compare.js";
import { FIGURES } from "./figures.js";
import type { ItemResult } from "./item.js";

export interface FigureReport extends Estimate {
  title: string;
  /** Why value is null. */
  missing?: string;
}

export interface MetricsReport {
  file: string;
  items: number;
  settings: Record<string, unknown>;
  figures: Record<string, FigureReport>;
  comparison?: Comparison & { other: string };
}

function whyMissing(key: string, items: number): string {
  if (items > 0) return "undefined: the original variants' quality sums to 0";
  if (key === "cr_correct") return "no item has both references and two or more variants";
  if (key.startsWith("cr_")) return "every item has a single variant";
  if (key === "posix") return "no recorded log-probs (variants[].logprobs and response_tokens)";
  if (key === "pdr") return 'no item with references and both an "original" and another variant';
  return "no item has references (see --references)";
}

/**
 * The metrics report over many items: every figure of FIGURES with its percentile-bootstrap interval,
 * the settings used, and with `other` the paired difference against another run on the same items.
 */
export function buildReport(
  file: string,
  items: readonly ItemResult[],
  settings: Record<string, unknown>,
  bootstrap: BootstrapOptions,
  other?: { file: string; items: readonly ItemResult[] },
): MetricsReport {
  const estimates = estimateFigures(FIGURES, items, bootstrap);
  const figures: Record<string, FigureReport> = {};
  for (const f of FIGURES) {
    const e = estimates[f.key]!;
    figures[f.key] = {
      title: f.title,
      ...e,
      ...(e.value === null ? { missing: whyMissing(f.key, e.items) } : {}),
    };
  }
  const report: MetricsReport = { file, items: items.length, settings: { ...settings, bootstrap }, figures };
  if (other)
    report.comparison = { other: other.file, ...compareSystems(FIGURES, items, other.items, bootstrap) };
  return report;
}
