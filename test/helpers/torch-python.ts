// Runs reference computations in Debian's PyTorch (/usr/bin/python3 with python3-torch), the independent
// reference for the engine's parity tests. When it is missing, tests skip and say why.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const PYTHON = process.env.CALIGN_TORCH_PYTHON ?? "/usr/bin/python3";

let cached: string | null | undefined;

/** null when PyTorch is usable; otherwise the reason the parity tests skip. */
export function torchUnavailable(): string | null {
  if (cached !== undefined) return cached;
  if (!existsSync(PYTHON)) {
    cached = `${PYTHON} not found (apt install python3-torch; scripts/install.sh does)`;
  } else {
    const r = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
    cached =
      r.status === 0 ? null : `PyTorch does not import under ${PYTHON}: ${r.stderr.trim().split("\n").pop()}`;
  }
  if (cached !== null && process.env.CI === "true") {
    throw new Error(`CI must run the PyTorch parity tests, but ${cached}`);
  }
  return cached;
}

/** Runs a Python script (source text) that reads JSON on stdin and prints JSON on stdout. */
export function runPython<T>(script: string, input: unknown): T {
  return run<T>(["-c", script], input);
}

/** The same for a script file (which may import its neighbours). */
export function runPythonFile<T>(path: string, input: unknown): T {
  return run<T>([path], input);
}

function run<T>(args: string[], input: unknown): T {
  const r = spawnSync(PYTHON, args, {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, OMP_NUM_THREADS: "1" },
  });
  if (r.status !== 0) throw new Error(`python reference failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
