// The few statistics the metrics need, with the conventions stated: population standard deviation
// (numpy's default, ddof = 0), linearly interpolated quantiles (numpy's default, Hyndman-Fan type 7),
// and the Student-t interval over a few runs (sample standard deviation, ddof = 1).

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("mean of no values");
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** The mean of the values present (nulls left out); null when none is. */
export function meanOrNull(xs: readonly (number | null)[]): number | null {
  const present = xs.filter((x): x is number => x !== null);
  return present.length === 0 ? null : mean(present);
}

/** Population standard deviation (divides by n, not n - 1). */
export function std(xs: readonly number[]): number {
  const m = mean(xs);
  let sum = 0;
  for (const x of xs) sum += (x - m) * (x - m);
  return Math.sqrt(sum / xs.length);
}

/** The q-quantile of ascending-sorted values, interpolating between order statistics. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of no values");
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Sample standard deviation (divides by n - 1): the spread of a few runs around their mean. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) throw new RangeError("sample standard deviation of fewer than two values");
  const m = mean(xs);
  let sum = 0;
  for (const x of xs) sum += (x - m) * (x - m);
  return Math.sqrt(sum / (xs.length - 1));
}

/** Student-t quantile 0.975 for 1..10 degrees of freedom; more values use 10's (a slightly wider interval). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** The two-sided 95% Student-t interval for the mean of at least two values. */
export function tInterval95(xs: readonly number[]): [number, number] {
  const n = xs.length;
  const m = mean(xs);
  const t = T975[Math.min(n - 2, T975.length - 1)] as number;
  const half = (t * sampleStd(xs)) / Math.sqrt(n);
  return [m - half, m + half];
}
