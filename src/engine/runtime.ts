// Facts about the loaded libtorch and its thread settings.
import { native } from "./native.js";

export interface EngineInfo {
  torchVersion: string;
  /** The CUDA runtime the libtorch was built with ("12.4"), or "none" for a CPU-only libtorch. */
  cudaVersion: string;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  /** The visible GPUs' names, by index (empty without CUDA). */
  gpuNames: string[];
  /** Whether libtorch's fused scaled_dot_product_attention is bound (libtorch >= 2.1). */
  fusedAttention: boolean;
  intraOpThreads: number;
  /** The kernel OpenBLAS runs ("SkylakeX", chosen by scripts/engine-env.mjs), or "" for another BLAS. */
  blasCore: string;
  /** Whether jemalloc was preloaded by the calign launcher (see scripts/engine-env.mjs). */
  jemalloc: boolean;
}

export function engineInfo(): EngineInfo {
  const i = native.info();
  const cuda = native.cudaInfo();
  return {
    torchVersion: i.torchVersion,
    cudaVersion: cuda.cudaVersion,
    cudaAvailable: i.cudaAvailable,
    cudaDeviceCount: i.cudaDeviceCount,
    gpuNames: cuda.gpuNames,
    fusedAttention: i.fusedAttention,
    intraOpThreads: native.numThreads(),
    blasCore: i.blasCore,
    jemalloc: (process.env.LD_PRELOAD ?? "").includes("jemalloc"),
  };
}

/** torch's intra-op threads; calign keeps 1 and lets OpenBLAS use the cores (see notes/engine.md). */
export function setNumThreads(n: number): void {
  native.numThreads(n);
}

/**
 * The most bytes of tensors the CUDA caching allocator has held on `device` ("cuda:N") since the last
 * reset, then reset when asked (torch.cuda.max_memory_allocated); null on the CPU, and where the
 * libtorch cannot tell (older than 2.9).
 */
export function peakDeviceMemory(device: string, reset = false): number | null {
  const m = /^cuda:(\d+)$/.exec(device);
  return m === null ? null : native.cudaPeakAllocated(Number(m[1]), reset);
}
