// The process environment the libtorch engine wants (see shared notes/engine.md, "gotchas"):
// jemalloc preloaded with decay disabled (glibc malloc fragments to GBs during training), and
// lg_extent_max_active_fit raised from 6 to 10: with decay off, freed activations coalesce into dirty
// extents over 64x the next request, which jemalloc will not split, so it mapped fresh pages every step.
// It must be set before the process starts, so launchers re-exec Node with it.
// OpenBLAS's kernel is chosen from the CPU's features (OPENBLAS_CORETYPE), because OpenBLAS picks it
// from a table of CPU models at load time and falls back to its slowest x86-64 kernel on a model newer
// than its table: Debian's 0.3.21 runs an Intel Xeon of model 207 as "Prescott", float32 gemm 7x slower.
import { existsSync, readFileSync } from "node:fs";

const JEMALLOC_CANDIDATES = [
  "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
  "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
  "/usr/lib64/libjemalloc.so.2",
];

/**
 * The OpenBLAS kernel (an OPENBLAS_CORETYPE name that OpenBLAS 0.3.21 and later accept) for the CPU that
 * /proc/cpuinfo describes: "SkylakeX" where AVX-512 (F, CD, BW, DQ, VL) is there, else "Haswell" (Intel)
 * or "Zen" (AMD) where AVX2 and FMA are; undefined otherwise, leaving the choice to OpenBLAS.
 */
export function openblasCoreType(cpuinfo) {
  const flags = new Set((/^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? "").trim().split(/\s+/));
  if (["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].every((f) => flags.has(f)))
    return "SkylakeX";
  if (!flags.has("avx2") || !flags.has("fma")) return undefined;
  const vendor = /^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1];
  return vendor === "GenuineIntel" ? "Haswell" : vendor === "AuthenticAMD" ? "Zen" : undefined;
}

/** env with OPENBLAS_CORETYPE set from this CPU's features, unless it is set already or unknowable. */
export function withBlasCore(env) {
  if (env.OPENBLAS_CORETYPE || process.platform !== "linux" || process.arch !== "x64") return env;
  let cpuinfo;
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return env;
  }
  const core = openblasCoreType(cpuinfo);
  return core === undefined ? env : { ...env, OPENBLAS_CORETYPE: core };
}

/** Returns env with the engine settings added, or null when env already has them. */
export function engineEnv(env = process.env) {
  if (env.CALIGN_ENGINE_ENV === "1") return null;
  const out = { ...withBlasCore(env), CALIGN_ENGINE_ENV: "1" };
  const jemalloc = JEMALLOC_CANDIDATES.find((p) => existsSync(p));
  if (jemalloc && !String(env.LD_PRELOAD ?? "").includes("jemalloc") && env.CALIGN_NO_JEMALLOC !== "1") {
    out.LD_PRELOAD = env.LD_PRELOAD ? `${jemalloc}:${env.LD_PRELOAD}` : jemalloc;
    out.MALLOC_CONF = env.MALLOC_CONF ?? "dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10";
  }
  return out;
}
