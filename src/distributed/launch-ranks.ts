// What `calign launch` does on one node, as torchrun's agent does: starts this node's ranks with the
// variables torch.distributed reads, forwards SIGINT/SIGTERM/SIGHUP to them, and when one fails stops
// the others and reports which rank it was.
import { spawn } from "node:child_process";
import { availableParallelism, constants } from "node:os";

export interface LaunchPlan {
  /** The program and its arguments, run once per rank. */
  command: string;
  args: string[];
  nprocPerNode: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
}

/** How long stopped ranks get after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/** The environment of one rank: torchrun's names, so any torch.distributed-style program can join. */
export function rankEnv(plan: LaunchPlan, localRank: number): Record<string, string> {
  return {
    RANK: String(plan.nodeRank * plan.nprocPerNode + localRank),
    LOCAL_RANK: String(localRank),
    WORLD_SIZE: String(plan.nnodes * plan.nprocPerNode),
    LOCAL_WORLD_SIZE: String(plan.nprocPerNode),
    GROUP_RANK: String(plan.nodeRank),
    MASTER_ADDR: plan.masterAddr,
    MASTER_PORT: String(plan.masterPort),
  };
}

/**
 * The ranks share the node's cores: unless the user chose, each rank's BLAS threads (OMP_NUM_THREADS,
 * which OpenBLAS reads too) get cores / ranks, so N ranks do not run N × cores threads (torchrun sets 1).
 */
export function threadEnv(
  nprocPerNode: number,
  env: NodeJS.ProcessEnv = process.env,
  cores = availableParallelism(),
): Record<string, string> {
  if (nprocPerNode === 1 || env.OMP_NUM_THREADS !== undefined || env.OPENBLAS_NUM_THREADS !== undefined)
    return {};
  return { OMP_NUM_THREADS: String(Math.max(1, Math.floor(cores / nprocPerNode))) };
}

export interface LaunchOutcome {
  /** 0 when every rank exited 0. */
  code: number;
  /** Why the launch failed, naming the first rank that did. */
  failure?: string;
}

/** Runs the plan's ranks to completion; resolves with the outcome (it never throws for a rank's failure). */
export function launchRanks(
  plan: LaunchPlan,
  log: (line: string) => void = () => {},
): Promise<LaunchOutcome> {
  const base = { ...process.env, ...threadEnv(plan.nprocPerNode) };
  // A rank's own view comes from the launch, not from an outer torchrun or SLURM step.
  for (const k of ["TORCHELASTIC_USE_AGENT_STORE", "TORCHELASTIC_RESTART_COUNT"]) delete base[k];
  const children = Array.from({ length: plan.nprocPerNode }, (_, local) =>
    spawn(plan.command, plan.args, { stdio: "inherit", env: { ...base, ...rankEnv(plan, local) } }),
  );
  let failure: string | undefined;
  let stopping = false;
  const stopOthers = () => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
  };
  // A signal the launcher forwarded: the ranks stopped as asked, so the launch ends as they do, with the
  // shell's 128 + signal (Ctrl-C: 130), not as a failure.
  let interrupted: NodeJS.Signals | undefined;
  const forward = (sig: NodeJS.Signals) => {
    interrupted ??= sig;
    stopping = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(sig);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, forward);
  return new Promise((resolve) => {
    let left = children.length;
    children.forEach((child, local) => {
      const rank = plan.nodeRank * plan.nprocPerNode + local;
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if ((code !== 0 || signal !== null) && failure === undefined && !stopping) {
          failure = `rank ${rank} (local rank ${local}) ${signal ? `was killed by ${signal}` : `exited with status ${code}`}`;
          log(`${failure}; stopping the other ranks`);
          stopOthers();
        }
        if (--left === 0) {
          for (const s of signals) process.off(s, forward);
          const statuses = children.map((c) => c.exitCode ?? 1);
          const stopped = interrupted === undefined ? 1 : 128 + constants.signals[interrupted];
          const code = failure !== undefined ? 1 : statuses.some((s) => s !== 0) ? stopped : 0;
          resolve(failure === undefined ? { code } : { code, failure });
        }
      };
      child.once("close", done);
      child.once("error", (err) => {
        failure ??= `rank ${rank} could not start ${plan.command}: ${err.message}`;
        stopOthers();
      });
    });
  });
}
