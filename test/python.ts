// Debian's Python with numpy and PyTorch (/usr/bin/python3, package python3-torch) as an independent
// reference. Not the pyenv python3 on PATH, which has neither.
import { spawnSync } from "node:child_process";

export const DEBIAN_PYTHON = "/usr/bin/python3";

let cached: string | false | undefined;

/** `false` when Debian's python3 has numpy and torch, else a skip message. */
export function skipUnlessPythonTorch(): string | false {
  if (cached === undefined) {
    const r = spawnSync(DEBIAN_PYTHON, ["-c", "import numpy, torch"], { encoding: "utf8" });
    cached =
      r.status === 0
        ? false
        : `${DEBIAN_PYTHON} with numpy and torch is absent (apt-get install python3-torch)`;
  }
  return cached;
}

/** Runs a Python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = [], input?: string): string {
  const r = spawnSync(DEBIAN_PYTHON, ["-c", script, ...args], {
    encoding: "utf8",
    input,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
