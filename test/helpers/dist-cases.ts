// The inputs of the distributed collective tests: each rank's tensors come from `rankValue`, so a test
// computes what each collective must give from these definitions alone.
import type { DType } from "../../src/engine/index.js";

/** The tensors every rank reduces: mixed dtypes (interleaved, to exercise per-dtype buckets) and shapes. */
export const CASES: { dtype: DType; shape: number[] }[] = [
  { dtype: "float32", shape: [3, 4] },
  { dtype: "int64", shape: [7] },
  { dtype: "float64", shape: [2, 3, 5] },
  { dtype: "float32", shape: [] },
  { dtype: "int32", shape: [0, 3] },
  { dtype: "float32", shape: [300] },
  { dtype: "int64", shape: [1, 1] },
];

/** Element i of case k on rank r: distinct per rank, exact in every dtype used. */
export function rankValue(rank: number, k: number, i: number): number {
  return (rank + 1) * (k + 2) + (i % 13) * (rank % 2 === 0 ? 1 : -2);
}
