// Mixed precision as torch.autocast does it for matmuls: inside withAutocast("bfloat16", fn), layers
// that opt in run their matrix products in bfloat16 on bfloat16 copies of float32 weights, so the
// float32 master weights receive the gradients (through the cast) and the optimizer updates them.
// Reductions, norms and log-softmax stay in float32.
import type { DType } from "./dtype.js";

let current: DType | null = null;

/** The dtype matmuls should compute in, or null for the tensors' own. */
export function autocastDtype(): DType | null {
  return current;
}

export function withAutocast<R>(dtype: DType | null, fn: () => R): R {
  const prev = current;
  current = dtype;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
