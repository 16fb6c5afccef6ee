// Sweeps as in the paper's ablations: one run per value of one config key (λ = cat.sft_weight, or the
// number of paraphrases augment.n), each in its own directory under the run directory.
import { join } from "node:path";
import { ConfigError } from "../config/index.js";

export interface Sweep {
  key: string;
  values: string[];
}

export function parseSweep(spec: string): Sweep {
  const eq = spec.indexOf("=");
  const key = spec.slice(0, eq);
  const values = spec
    .slice(eq + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (eq <= 0 || values.length === 0) throw new ConfigError("--sweep", spec, "expected KEY=V1,V2,...");
  return { key, values };
}

/** The runs of a sweep (or the single run): their directories, extra flags and sweep values. */
export function expandSweep(
  runDir: string,
  sweep: Sweep | null,
): { dir: string; flags: string[]; value: string | null }[] {
  if (sweep === null) return [{ dir: runDir, flags: [], value: null }];
  return sweep.values.map((v) => ({
    dir: join(runDir, `${sweep.key}=${v}`),
    flags: ["--set", `${sweep.key}=${v}`],
    value: v,
  }));
}
