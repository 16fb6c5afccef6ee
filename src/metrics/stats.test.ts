// The Student-t interval checked against the t distribution itself: the density integrated numerically
// up to each tabulated quantile must give 0.975, and an interval computed by hand from its definition.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleStd, tInterval95 } from "./stats.js";

/** Γ(k / 2) for a positive integer k, exactly by the recurrence from Γ(1/2) = √π and Γ(1) = 1. */
function gammaHalf(k: number): number {
  let g = k % 2 === 0 ? 1 : Math.sqrt(Math.PI);
  for (let z = k % 2 === 0 ? 1 : 0.5; z < k / 2 - 0.25; z++) g *= z;
  return g;
}

/** P(T ≤ q) for Student's t with ν degrees of freedom, by Simpson's rule on [0, q]. */
function tCdf(q: number, nu: number): number {
  const c = gammaHalf(nu + 1) / (Math.sqrt(nu * Math.PI) * gammaHalf(nu));
  const pdf = (x: number) => c * (1 + (x * x) / nu) ** (-(nu + 1) / 2);
  const steps = 4000;
  const h = q / steps;
  let sum = pdf(0) + pdf(q);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * pdf(i * h);
  return 0.5 + (sum * h) / 3;
}

test("the 95% interval's t quantile is the 0.975 quantile for 1 to 10 degrees of freedom", () => {
  for (let nu = 1; nu <= 10; nu++) {
    // Two values with sample sd 1 (0 and √2): the half width is t / √2, so t comes back out.
    const xs = Array.from({ length: nu + 1 }, (_, i) => (i === 0 ? -1 : i === 1 ? 1 : 0));
    const [lo, hi] = tInterval95(xs);
    const t = ((hi - lo) / 2 / sampleStd(xs)) * Math.sqrt(xs.length);
    assert.ok(Math.abs(tCdf(t, nu) - 0.975) < 2e-5, `ν = ${nu}: t = ${t}, P = ${tCdf(t, nu)}`);
  }
});

test("interval for 1, 2, 3, 4: mean 2.5 ± t(3) · sd / 2 with the sample sd √(5/3)", () => {
  assert.ok(Math.abs(sampleStd([1, 2, 3, 4]) - Math.sqrt(5 / 3)) < 1e-15);
  const [lo, hi] = tInterval95([1, 2, 3, 4]);
  const half = (3.182 * Math.sqrt(5 / 3)) / 2;
  assert.ok(Math.abs(lo - (2.5 - half)) < 1e-12 && Math.abs(hi - (2.5 + half)) < 1e-12, `${lo} ${hi}`);
  assert.throws(() => sampleStd([1]), RangeError);
});
