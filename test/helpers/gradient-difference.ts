// The gradient-parity tests compare every parameter's gradient with a reference's (PyTorch's, by HF
// name): the same parameters, the same sizes, and the largest absolute difference over all of them.
import assert from "node:assert/strict";
import type { Tensor } from "../../src/engine/index.js";

export function largestGradientDifference(
  params: ReadonlyMap<string, Tensor>,
  reference: Record<string, number[]>,
): number {
  assert.equal(params.size, Object.keys(reference).length);
  let worst = 0;
  for (const [name, p] of params) {
    const ours = p.grad?.toArray() ?? [];
    const theirs = reference[name] ?? [];
    assert.equal(ours.length, theirs.length, name);
    ours.forEach((g, i) => {
      worst = Math.max(worst, Math.abs(g - (theirs[i] as number)));
    });
  }
  return worst;
}
