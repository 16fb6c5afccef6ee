// Figures over several seeds (each seed: its own data order, sampling, paraphrase draw and training):
// the mean and a 95% Student-t interval over seeds, for each system and for the differences between
// consecutive systems (computed per seed, then summarised), as the paper reports spread over runs.
import { mean, tInterval95 } from "./stats.js";

export interface SeedEstimate {
  mean: number;
  /** null with a single seed. */
  ci: [number, number] | null;
  values: number[];
}

export function overSeeds(values: readonly number[]): SeedEstimate {
  return { mean: mean(values), ci: values.length < 2 ? null : tInterval95(values), values: [...values] };
}

/** cr: CR with ROUGE-L similarity; crCorrect: CR on correct answers; inputSensitivity: macro over tasks. */
export type FigureName = "accuracy" | "rougeL" | "cr" | "crCorrect" | "inputSensitivity";
export const FIGURE_NAMES: readonly FigureName[] = [
  "accuracy",
  "rougeL",
  "cr",
  "crCorrect",
  "inputSensitivity",
];

export interface SeedSummary {
  seeds: number[];
  systems: { name: string; figures: Record<FigureName, SeedEstimate> }[];
  differences: { a: string; b: string; figures: Record<FigureName, SeedEstimate> }[];
}

/** One seed's point estimates: run[system][figure]. */
export type SeedFigures = Record<string, Record<FigureName, number>>;

/** Each figure over `runs` seeds, from its value at seed k. */
const overSeedsPerFigure = (runs: number, at: (k: number, f: FigureName) => number) =>
  Object.fromEntries(
    FIGURE_NAMES.map((f) => [f, overSeeds(Array.from({ length: runs }, (_, k) => at(k, f)))]),
  ) as Record<FigureName, SeedEstimate>;

const value = (run: SeedFigures | undefined, system: string, f: FigureName) =>
  run?.[system]?.[f] ?? Number.NaN;

/** perSeed[s][system][figure] = that seed's point estimate. */
export function summarizeSeeds(
  seeds: readonly number[],
  systems: readonly string[],
  perSeed: readonly SeedFigures[],
): SeedSummary {
  const n = perSeed.length;
  return {
    seeds: [...seeds],
    systems: systems.map((name) => ({
      name,
      figures: overSeedsPerFigure(n, (k, f) => value(perSeed[k], name, f)),
    })),
    differences: systems.slice(1).map((a, i) => {
      const b = systems[i] as string;
      return {
        a,
        b,
        figures: overSeedsPerFigure(n, (k, f) => value(perSeed[k], a, f) - value(perSeed[k], b, f)),
      };
    }),
  };
}

/**
 * Per system, (later − earlier) taken per seed, then its mean and interval over seeds: two measurements
 * of the same runs, e.g. the figures on held-out wordings minus those on the seed wordings.
 */
export function summarizeGap(
  systems: readonly string[],
  later: readonly SeedFigures[],
  earlier: readonly SeedFigures[],
): SeedSummary["systems"] {
  if (later.length !== earlier.length)
    throw new RangeError("summarizeGap: one measurement per seed on each side");
  return systems.map((name) => ({
    name,
    figures: overSeedsPerFigure(
      later.length,
      (k, f) => value(later[k], name, f) - value(earlier[k], name, f),
    ),
  }));
}
