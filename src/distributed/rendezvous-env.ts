// Where a rank learns its place in the job: the variables torchrun, `calign launch` and Kubernetes'
// PyTorchJob set (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT), or, when
// those are absent, SLURM's (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, the node list's first host).
// torchrun's static rendezvous hosts the TCPStore in its agent, with each attempt's keys under
// `/worker/attempt_<restart count>` (torch.distributed.rendezvous._create_c10d_store): every rank is a
// client there; everywhere else rank 0 hosts the store.
import { firstSlurmHost } from "./slurm-nodelist.js";

export const DEFAULT_MASTER_PORT = 29500;

export interface Rendezvous {
  rank: number;
  worldSize: number;
  /** This rank's index on its node (picks its GPU). */
  localRank: number;
  masterAddr: string;
  masterPort: number;
  /** Whether this rank starts the TCPStore server. */
  hostStore: boolean;
  /** Key prefix inside an agent-hosted store. */
  prefix?: string;
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`environment variable ${name}='${raw}' is not an integer ≥ ${min}`);
  return n;
}

function required(env: Env, name: string, min: number): number {
  const n = intVar(env, name, min);
  if (n === undefined)
    throw new Error(`environment variable ${name} is not set (a distributed launch sets it)`);
  return n;
}

function port(env: Env): number {
  const p = intVar(env, "MASTER_PORT", 1) ?? DEFAULT_MASTER_PORT;
  if (p > 65535)
    throw new Error(`environment variable MASTER_PORT='${env.MASTER_PORT}' is not a port (1-65535)`);
  return p;
}

function checked(r: Rendezvous): Rendezvous {
  if (r.rank >= r.worldSize) throw new Error(`rank ${r.rank} is not below the world size ${r.worldSize}`);
  return r;
}

/** The rendezvous the environment describes, or undefined when this process was not launched as a rank. */
export function rendezvousFromEnv(env: Env = process.env): Rendezvous | undefined {
  if (env.RANK !== undefined || env.WORLD_SIZE !== undefined) {
    const agentStore = env.TORCHELASTIC_USE_AGENT_STORE === "True";
    const rank = required(env, "RANK", 0);
    return checked({
      rank,
      worldSize: required(env, "WORLD_SIZE", 1),
      localRank: intVar(env, "LOCAL_RANK", 0) ?? 0,
      masterAddr: env.MASTER_ADDR || "127.0.0.1",
      masterPort: port(env),
      hostStore: !agentStore && rank === 0,
      ...(agentStore ? { prefix: `/worker/attempt_${required(env, "TORCHELASTIC_RESTART_COUNT", 0)}` } : {}),
    });
  }
  if (env.SLURM_PROCID !== undefined) {
    const rank = required(env, "SLURM_PROCID", 0);
    const nodelist = env.SLURM_JOB_NODELIST ?? env.SLURM_NODELIST;
    if (!env.MASTER_ADDR && nodelist === undefined)
      throw new Error("under SLURM, MASTER_ADDR or SLURM_JOB_NODELIST must be set");
    return checked({
      rank,
      worldSize: required(env, "SLURM_NTASKS", 1),
      localRank: intVar(env, "SLURM_LOCALID", 0) ?? 0,
      masterAddr: env.MASTER_ADDR || firstSlurmHost(nodelist ?? ""),
      masterPort: port(env),
      hostStore: rank === 0,
    });
  }
  return undefined;
}
