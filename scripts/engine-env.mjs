// The process environment the libtorch engine wants (see shared notes/engine.md, "gotchas"):
// jemalloc preloaded with decay disabled (glibc malloc fragments to GBs during training), and
// lg_extent_max_active_fit raised from 6 to 10: with decay off, freed activations coalesce into dirty
// extents over 64x the next request, which jemalloc will not split, so it mapped fresh pages every step.
// It must be set before the process starts, so launchers re-exec Node with it.
import { existsSync } from "node:fs";

const JEMALLOC_CANDIDATES = [
  "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
  "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
  "/usr/lib64/libjemalloc.so.2",
];

/** Returns env with the engine settings added, or null when env already has them. */
export function engineEnv(env = process.env) {
  if (env.CALIGN_ENGINE_ENV === "1") return null;
  const out = { ...env, CALIGN_ENGINE_ENV: "1" };
  const jemalloc = JEMALLOC_CANDIDATES.find((p) => existsSync(p));
  if (jemalloc && !String(env.LD_PRELOAD ?? "").includes("jemalloc") && env.CALIGN_NO_JEMALLOC !== "1") {
    out.LD_PRELOAD = env.LD_PRELOAD ? `${jemalloc}:${env.LD_PRELOAD}` : jemalloc;
    out.MALLOC_CONF = env.MALLOC_CONF ?? "dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10";
  }
  return out;
}
