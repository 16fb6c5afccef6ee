// Starts the ranks of a distributed test as separate processes with the variables `calign launch` and
// torchrun set, on a fresh port, and collects each rank's JSON line, exit status and standard error.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "../../src/distributed/free-port.js";
import { rankEnv } from "../../src/distributed/launch-ranks.js";

export const DIST_RANK = fileURLToPath(new URL("./dist-rank.js", import.meta.url));

export interface RankResult {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The rank's JSON line, if it printed one. */
  result: Record<string, unknown> | undefined;
  stderr: string;
}

/** The whole environment of rank `rank` of `worldSize` on this machine, as `calign launch` sets it. */
export function localRankEnv(rank: number, worldSize: number, port: number): NodeJS.ProcessEnv {
  const plan = { command: "", args: [], nprocPerNode: worldSize, nnodes: 1, nodeRank: 0 };
  return { ...process.env, ...rankEnv({ ...plan, masterAddr: "127.0.0.1", masterPort: port }, rank) };
}

function runRank(rank: number, worldSize: number, port: number, args: string[]): Promise<RankResult> {
  const env = localRankEnv(rank, worldSize, port);
  const child = spawn(process.execPath, [DIST_RANK, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      const line = out.trim().split("\n").at(-1);
      resolve({ rank, code, signal, result: line ? JSON.parse(line) : undefined, stderr: err });
    }),
  );
}

/** Runs dist-rank.js's scenario on `worldSize` ranks; resolves when all have exited. */
export async function runRanks(worldSize: number, args: string[]): Promise<RankResult[]> {
  const port = await freePort();
  return Promise.all(Array.from({ length: worldSize }, (_, r) => runRank(r, worldSize, port, args)));
}

const CLI = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));

/** Runs a calign command (argv after `calign`) as 2 ranks under `calign launch`; asserts it exits 0. */
export async function launchTwoRanks(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  const port = await freePort();
  const launcher = [CLI, "launch", "--nproc-per-node", "2", "--master-port", String(port), "--"];
  const r = spawnSync(process.execPath, [...launcher, ...argv], { encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  return { stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts both ranks of a calign command without calign launch (which would stop the survivor), kills
 * rank 1 (SIGKILL) once `folder` holds a checkpoint-N, and resolves with how rank 0 ended.
 */
export async function killRankOneAtCheckpoint(
  args: string[],
  folder: string,
): Promise<{ code: number | null; stderr: string }> {
  const port = await freePort();
  const [rank0, rank1] = [0, 1].map((rank) => {
    // CALIGN_ENGINE_ENV: bin/calign.js runs the command itself, so a kill reaches the rank, not a wrapper.
    const env = { ...localRankEnv(rank, 2, port), CALIGN_ENGINE_ENV: "1" };
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    return { child, stderr: () => err };
  }) as [Started, Started];
  const poll = setInterval(() => {
    if (existsSync(folder) && readdirSync(folder).some((n) => /^checkpoint-\d+$/.test(n))) {
      clearInterval(poll);
      rank1.child.kill("SIGKILL");
    }
  }, 5);
  const [survivor, killed] = await Promise.all([exited(rank0.child), exited(rank1.child)]);
  clearInterval(poll);
  assert.equal(killed.signal, "SIGKILL", "rank 1 finished before it could be killed");
  return { code: survivor.code, stderr: rank0.stderr() };
}

interface Started {
  child: ChildProcess;
  stderr: () => string;
}

const exited = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    c.once("exit", (code, signal) => resolve({ code, signal })),
  );
