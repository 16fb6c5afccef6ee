// Percentile bootstrap over items (seeded, so a report is reproducible) for every figure, and the paired
// version for two systems on the same items: each replicate resamples items once and recomputes every
// figure for both systems from the same resample, so the difference's interval reflects the pairing.

import { createRng } from "../util/random.js";
import type { Figure } from "./figures.js";
import type { ItemResult } from "./item.js";
import { quantileSorted } from "./stats.js";

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples: number;
  /** Seed of the resampling (default 0). */
  seed: number;
  /** Confidence level of the interval (default 0.95). */
  level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 0, level: 0.95 };

/** One figure's item contributions as columns; included[i] = 0 where the item is left out. */
interface Columns {
  num: Float64Array;
  den: Float64Array;
  included: Uint8Array;
  count: number;
}

function columns(figure: Figure, items: readonly ItemResult[]): Columns {
  const n = items.length;
  const c: Columns = {
    num: new Float64Array(n),
    den: new Float64Array(n),
    included: new Uint8Array(n),
    count: 0,
  };
  items.forEach((item, i) => {
    const part = figure.contribution(item);
    if (part === null) return;
    [c.num[i], c.den[i]] = part;
    c.included[i] = 1;
    c.count++;
  });
  return c;
}

/** The figure over items weighted by multiplicity (all ones for the point estimate). */
function evaluate(figure: Figure, c: Columns, weights: Uint32Array): number | null {
  let num = 0;
  let den = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0 || c.included[i] === 0) continue;
    num += w * c.num[i]!;
    den += w * c.den[i]!;
  }
  if (den === 0) return null;
  return figure.finish ? figure.finish(num / den) : num / den;
}

function interval(values: number[], level: number): [number, number] | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return [quantileSorted(values, (1 - level) / 2), quantileSorted(values, (1 + level) / 2)];
}

/** Draws every resample's multiplicities, calling back once per replicate. */
function resample(n: number, options: BootstrapOptions, replicate: (weights: Uint32Array) => void): void {
  const rng = createRng(options.seed);
  const weights = new Uint32Array(n);
  for (let b = 0; b < options.resamples; b++) {
    weights.fill(0);
    for (let k = 0; k < n; k++) weights[rng.int(n)]!++;
    replicate(weights);
  }
}

function checkOptions(options: BootstrapOptions): void {
  if (!(Number.isInteger(options.resamples) && options.resamples >= 1))
    throw new RangeError("resamples must be a positive integer");
  if (!(options.level > 0 && options.level < 1)) throw new RangeError("level must be in (0, 1)");
}

export interface Estimate {
  /** Null when no item contributes (e.g. no references for a quality figure). */
  value: number | null;
  /** Percentile bootstrap interval; null when value is null. */
  ci: [number, number] | null;
  /** Items contributing to the figure. */
  items: number;
}

export function estimateFigures(
  figures: readonly Figure[],
  items: readonly ItemResult[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<string, Estimate> {
  checkOptions(options);
  const cols = figures.map((f) => columns(f, items));
  const ones = new Uint32Array(items.length).fill(1);
  const samples: number[][] = figures.map(() => []);
  resample(items.length, options, (w) => {
    figures.forEach((f, k) => {
      const v = evaluate(f, cols[k]!, w);
      if (v !== null) samples[k]!.push(v);
    });
  });
  return Object.fromEntries(
    figures.map((f, k) => {
      const value = evaluate(f, cols[k]!, ones);
      const ci = value === null ? null : interval(samples[k]!, options.level);
      return [f.key, { value, ci, items: cols[k]!.count }];
    }),
  );
}

export interface Difference {
  a: number | null;
  b: number | null;
  /** a - b; null when either side is. */
  difference: number | null;
  ci: [number, number] | null;
  /** Paired items contributing to both sides. */
  items: number;
}

/** Paired comparison: a[i] and b[i] must be the same item. */
export function compareFigures(
  figures: readonly Figure[],
  a: readonly ItemResult[],
  b: readonly ItemResult[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<string, Difference> {
  checkOptions(options);
  if (a.length !== b.length || a.some((item, i) => item.id !== b[i]!.id)) {
    throw new RangeError("paired comparison needs the same items in the same order");
  }
  const colsA = figures.map((f) => columns(f, a));
  const colsB = figures.map((f) => columns(f, b));
  const ones = new Uint32Array(a.length).fill(1);
  const samples: number[][] = figures.map(() => []);
  resample(a.length, options, (w) => {
    figures.forEach((f, k) => {
      const va = evaluate(f, colsA[k]!, w);
      const vb = evaluate(f, colsB[k]!, w);
      if (va !== null && vb !== null) samples[k]!.push(va - vb);
    });
  });
  return Object.fromEntries(
    figures.map((f, k) => {
      const va = evaluate(f, colsA[k]!, ones);
      const vb = evaluate(f, colsB[k]!, ones);
      const difference = va === null || vb === null ? null : va - vb;
      const both = colsA[k]!.included.reduce((n, x, i) => n + (x & colsB[k]!.included[i]!), 0);
      return [
        f.key,
        {
          a: va,
          b: vb,
          difference,
          ci: difference === null ? null : interval(samples[k]!, options.level),
          items: both,
        },
      ];
    }),
  );
}
