// Two float32 results of the same sums taken in another order (other matrix shapes: one row runs as
// gemv, a chunk of columns as a smaller gemm; another OpenBLAS kernel): they differ by some ulps of the
// largest value, so the bound scales with it (1.2e-6 at 2.7, 2.1e-5 at 22 on a Xeon's SkylakeX kernels).

/** Whether every |a[i] - b[i]| is below `bound` times the largest |b[i]| (or times 1, if that is less). */
export function closeAtScale(a: ArrayLike<number>, b: ArrayLike<number>, bound: number): boolean {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return a.length === b.length && diff < bound * scale;
}
