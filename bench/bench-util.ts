// What every benchmark launcher does the same way: the engine's environment for calign's child
// processes and PyTorch's, running one child that prints its sample as the last line of JSON, and medians.
import { spawnSync } from "node:child_process";

// Plain JavaScript outside the compiled tree (the launcher needs it before any build).
export const { engineEnv, withBlasCore } = (await import(
  new URL("../../scripts/engine-env.mjs", import.meta.url).href
)) as {
  engineEnv(): NodeJS.ProcessEnv | null;
  withBlasCore(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};

/** The PyTorch references' environment: calign's OpenBLAS kernel, so a ratio compares code, not kernels. */
export const torchEnv = withBlasCore(process.env);

/**
 * Runs cmd with args and parses the last line of its standard output as JSON; a failure throws with
 * the command (its first `shownArgs` arguments) and its standard error.
 */
export function runJson<T>(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  shownArgs = args.length,
): T {
  const r = spawnSync(cmd, args, { encoding: "utf8", env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, shownArgs).join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as T;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
