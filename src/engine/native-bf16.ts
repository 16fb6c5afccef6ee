// Whether a device computes bfloat16 matmuls in hardware, so that bf16 mixed precision makes training
// faster rather than slower: on a CPU with avx512_bf16 or amx_bf16 oneDNN's bf16 kernels about halve a
// step of the demo's model (measured: 20.8 s → 10.8 s for 40 SFT steps on 2 Zen 5 cores), while on
// an AVX-512 CPU without them the same steps took 25% longer than float32. GPUs are taken to have it
// (bf16 tensor cores since Ampere; on an older GPU, --sft.bf16 false --cat.bf16 false keep float32).
import { readFileSync } from "node:fs";

/** The CPU flags (from /proc/cpuinfo's text) include an instruction set that computes bf16 dot products. */
export function cpuinfoHasBf16(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(avx512_bf16|amx_bf16)\b/m.test(cpuinfo);
}

/** For a resolved device ("cpu", "cuda:N"); a CPU whose flags cannot be read (not Linux) counts as no. */
export function computesBf16Natively(device: string): boolean {
  if (device.startsWith("cuda")) return true;
  try {
    return cpuinfoHasBf16(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}
