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

/** perSeed[s][system][figure] = that seed's point estimate. */
export function summarizeSeeds(
  seeds: readonly number[],
  systems: readonly string[],
  perSeed: readonly Record<string, Record<FigureName, number>>[],
): SeedSummary {
  const fig = (get: (run: Record<string, Record<FigureName, number>>, f: FigureName) => number) =>
    Object.fromEntries(FIGURE_NAMES.map((f) => [f, overSeeds(perSeed.map((run) => get(run, f)))])) as Record<
      FigureName,
      SeedEstimate
    >;
  return {
    seeds: [...seeds],
    systems: systems.map((name) => ({ name, figures: fig((run, f) => run[name]?.[f] ?? Number.NaN) })),
    differences: systems.slice(1).map((a, i) => {
      const b = systems[i] as string;
      return { a, b, figures: fig((run, f) => (run[a]?.[f] ?? Number.NaN) - (run[b]?.[f] ?? Number.NaN)) };
    }),
  };
}
