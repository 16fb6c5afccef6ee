// The device the device-generic tests run on: CALIGN_TEST_DEVICE (default "cpu"), so the same suite
// runs on "cuda" on a GPU machine (bench/gpu/run.sh) and on the CPU in CI. Resolved as --device is
// ("cuda" → "cuda:0", the name tensors report); a device this libtorch lacks ("cuda" on a CPU-only
// build) or one that cannot compute ("meta") stops the test file at import with the engine's error,
// never a silent run on the CPU. Models, inputs and trainers go to TEST_DEVICE; what a test compares
// with a CPU reference (PyTorch, fixtures) comes back to the host through .data() / .item(), which
// copy from any device.
import { checkMatmulDtype, resolveDevice } from "../../src/engine/index.js";

export const TEST_DEVICE = resolveDevice(process.env.CALIGN_TEST_DEVICE ?? "cpu");

/**
 * How far a GPU's results may be from a CPU reference, by dtype. cuBLAS and the CUDA reductions sum in
 * other orders with other kernels: about 1e-5 relative per float32 op (issue 11 measured ≤ 1.7e-5 on
 * composite ops with gradients), growing through a model's layers; float64 keeps about 1e-15 per op
 * (the losses' tests), a few orders more after exp/log chains; bfloat16 matmuls (8 bits of mantissa)
 * may pick other kernels for other batch shapes, so two bf16 forwards of the same rows differ more.
 */
const GPU_FLOOR = { float32: 1e-4, float64: 1e-12, bfloat16: 1e-3 } as const;

/**
 * The tolerance of a comparison, with a CPU reference or between two ways of computing the same value
 * (merged vs separate LoRA weights, say): on the CPU, the test's own `onCpu` (the reference's kernels,
 * so it stays tight); on a GPU, at least GPU_FLOOR for the dtype compared. The one place per-device
 * tolerances are decided.
 */
export function tolerance(onCpu: number, dtype: keyof typeof GPU_FLOOR = "float32"): number {
  return TEST_DEVICE === "cpu" ? onCpu : Math.max(onCpu, GPU_FLOOR[dtype]);
}

/** Why a test of float16's refusal on the CPU is skipped: this libtorch multiplies it there (false: it runs). */
export function cpuHalfSkip(): string | false {
  try {
    checkMatmulDtype("float16", "cpu");
    return "this libtorch multiplies float16 on the CPU";
  } catch {
    return false;
  }
}
