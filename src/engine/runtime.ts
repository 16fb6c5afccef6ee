// Facts about the loaded libtorch and its thread settings.
import { native } from "./native.js";

export interface EngineInfo {
  torchVersion: string;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  intraOpThreads: number;
  /** Whether jemalloc was preloaded by the calign launcher (see scripts/engine-env.mjs). */
  jemalloc: boolean;
}

export function engineInfo(): EngineInfo {
  const i = native.info();
  return {
    torchVersion: i.torchVersion,
    cudaAvailable: i.cudaAvailable,
    cudaDeviceCount: i.cudaDeviceCount,
    intraOpThreads: native.numThreads(),
    jemalloc: (process.env.LD_PRELOAD ?? "").includes("jemalloc"),
  };
}

/** torch's intra-op threads; calign keeps 1 and lets OpenBLAS use the cores (see notes/engine.md). */
export function setNumThreads(n: number): void {
  native.numThreads(n);
}
