// The device the device-generic tests run on: CALIGN_TEST_DEVICE (default "cpu"), so the same suite
// runs on "cuda" on a GPU machine (bench/gpu/run.sh) and on the CPU in CI. Resolved as --device is
// ("cuda" → "cuda:0", the name tensors report); a device this libtorch lacks ("cuda" on a CPU-only
// build) or one that cannot compute ("meta") stops the test file at import with the engine's error,
// never a silent run on the CPU. Models, inputs and trainers go to TEST_DEVICE; what a test compares
// with a CPU reference (PyTorch, fixtures) comes back to the host through .data() / .item(), which
// copy from any device.
import { resolveDevice } from "../../src/engine/index.js";

export const TEST_DEVICE = resolveDevice(process.env.CALIGN_TEST_DEVICE ?? "cpu");

/**
 * Float32 results differ from a CPU reference by more on a GPU: cuBLAS and the CUDA reductions sum in
 * other orders with other kernels, about 1e-5 relative per op (issue 11 measured ≤ 1.7e-5 on composite
 * ops with gradients), growing through a model's layers. So a comparison allows at least this there.
 */
const GPU_FLOAT32_TOLERANCE = 1e-4;

/**
 * The tolerance of a float32 comparison, with a CPU reference or between two ways of computing the same
 * value (merged vs separate LoRA weights, say): on the CPU, the test's own `onCpu` (the reference's
 * kernels, so it stays tight); on a GPU, at least GPU_FLOAT32_TOLERANCE. The one place per-device
 * tolerances are decided.
 */
export function tolerance(onCpu: number): number {
  return TEST_DEVICE === "cpu" ? onCpu : Math.max(onCpu, GPU_FLOAT32_TOLERANCE);
}

/** The device as a trainer or command takes it (`--device`, a config's `device:`). */
export const TEST_DEVICE_FLAGS = ["--device", TEST_DEVICE] as const;
