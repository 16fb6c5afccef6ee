// Holding figures against `calign check`'s thresholds: one message per threshold missed. A figure
// that cannot be computed (a case with one variant has no CR) misses its threshold, never passes it.
import type { Thresholds } from "./check-config.js";

export interface CheckedFigures {
  cr: number | null;
  worstQuality: number | null;
  gap: number | null;
}

const show = (v: number) => v.toFixed(3);

export function verdict(t: Thresholds, f: CheckedFigures): string[] {
  const out: string[] = [];
  const check = (name: string, value: number | null, limit: number | null, atLeast: boolean) => {
    if (limit === null) return;
    if (value === null) out.push(`${name} is undefined (needs ${atLeast ? ">=" : "<="} ${show(limit)})`);
    else if (atLeast ? value < limit : value > limit)
      out.push(`${name} ${show(value)} ${atLeast ? "<" : ">"} ${atLeast ? "min" : "max"} ${show(limit)}`);
  };
  check("CR", f.cr, t.minCr, true);
  check("worst-variant quality", f.worstQuality, t.minWorstQuality, true);
  check("worst-best gap", f.gap, t.maxGap, false);
  return out;
}
