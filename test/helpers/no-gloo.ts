// Multi-rank tests run over Gloo. An addon built against a pip torch has none (the wheel ships no gloo
// headers: docs/distributed.md), as on the GPU machine of bench/gpu/run.sh; there they are skipped, saying
// why. CI's build (Debian's libtorch with libgloo-dev) has Gloo, so they run there.
import { collectiveBackends } from "../../src/engine/index.js";

export const NO_GLOO: string | false = collectiveBackends().includes("gloo")
  ? false
  : "this build of the addon has no gloo backend (a pip torch ships no gloo headers)";
