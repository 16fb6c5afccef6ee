// A process group over PyTorch's c10d, as torch.distributed offers it to a training script: join from the
// launcher's environment (or explicit options), broadcast parameters from rank 0, all-reduce gradients in
// DDP-sized buckets, gather results, barrier. Calls are queued so every rank issues them in the same
// order even when callers do not await; after one fails the group refuses further calls with that error.
import {
  type CollectiveBackend,
  CollectiveGroup,
  collectiveBackends,
  engineInfo,
  type ReduceOp,
  type Tensor,
} from "../engine/index.js";
import { DEFAULT_MASTER_PORT, type Rendezvous, rendezvousFromEnv } from "./rendezvous-env.js";

/** DDP's default bucket cap (torch.nn.parallel.DistributedDataParallel's bucket_cap_mb = 25). */
export const DEFAULT_BUCKET_BYTES = 25 * 1024 * 1024;
/** torch.distributed's default collective timeout (30 minutes); tests pass far less. */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

export interface ProcessGroupOptions {
  rank: number;
  worldSize: number;
  localRank?: number;
  masterAddr?: string;
  masterPort?: number;
  /** Limit on the rendezvous and on each collective (default 30 minutes, as torch.distributed). */
  timeoutMs?: number;
  /** Default: NCCL when this build has it and CUDA is available, else Gloo. */
  backend?: CollectiveBackend;
  /** Default: rank 0 hosts the TCPStore. */
  hostStore?: boolean;
  prefix?: string;
}

/** The backend torch.distributed would pick for this process's tensors: NCCL on GPUs, Gloo on CPUs. */
export function defaultBackend(): CollectiveBackend {
  return collectiveBackends().includes("nccl") && engineInfo().cudaAvailable ? "nccl" : "gloo";
}

/** A rendezvous or collective that failed (a lost or hung peer, a timeout): the job's, not calign's bug. */
export class CollectiveError extends Error {
  override name = "CollectiveError";
}

const collectiveError = (err: unknown) =>
  new CollectiveError(err instanceof Error ? err.message : String(err));

export class ProcessGroup {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private nested = 0;

  private constructor(
    private readonly group: CollectiveGroup,
    private readonly joined: Rendezvous,
    readonly backend: CollectiveBackend,
  ) {}

  get rank(): number {
    return this.joined.rank;
  }
  get worldSize(): number {
    return this.joined.worldSize;
  }
  get localRank(): number {
    return this.joined.localRank;
  }

  /** Joins the group the options describe; resolves when every rank has joined. */
  static async init(options: ProcessGroupOptions): Promise<ProcessGroup> {
    const backend = options.backend ?? defaultBackend();
    if (!collectiveBackends().includes(backend))
      throw new Error(
        `this build of the addon has no ${backend} backend (it has: ${collectiveBackends().join(", ") || "none"})`,
      );
    const joined: Rendezvous = {
      rank: options.rank,
      worldSize: options.worldSize,
      localRank: options.localRank ?? 0,
      masterAddr: options.masterAddr ?? "127.0.0.1",
      masterPort: options.masterPort ?? DEFAULT_MASTER_PORT,
      hostStore: options.hostStore ?? options.rank === 0,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    };
    const group = await CollectiveGroup.join({
      ...joined,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      backend,
      // A rank's GPU is its local rank's (distributed/rank-device.ts).
      deviceIndex: joined.localRank,
    }).catch((err: unknown) => {
      throw collectiveError(err);
    });
    return new ProcessGroup(group, joined, backend);
  }

  /**
   * Where the same ranks can join another group (a trainer's, in a worker thread) while this one lives:
   * the same store, every rank a client, keys under a prefix of their own (`<this prefix>/<name>.<n>`),
   * as torchrun's agent store serves each attempt. Two groups never share a key, and no second store
   * is started on the port (a fast rank could otherwise reach the old one). Every rank must ask in the
   * same order, so the n agree.
   */
  nestedRendezvous(name: string): Rendezvous {
    this.nested++;
    return { ...this.joined, hostStore: false, prefix: `${this.joined.prefix ?? ""}/${name}.${this.nested}` };
  }

  /**
   * Joins the group the launcher's environment describes (torchrun, `calign launch`, SLURM, PyTorchJob);
   * undefined when this process is not one of several ranks.
   */
  static async fromEnv(
    options: { timeoutMs?: number; backend?: CollectiveBackend } = {},
    env: Record<string, string | undefined> = process.env,
  ): Promise<ProcessGroup | undefined> {
    const r: Rendezvous | undefined = rendezvousFromEnv(env);
    if (r === undefined || r.worldSize === 1) return undefined;
    return ProcessGroup.init({ ...r, ...options });
  }

  /** Rank 0 writes files (metrics, checkpoints, outputs); the others only compute. */
  get isMain(): boolean {
    return this.rank === 0;
  }

  /** Every rank's tensors take `root`'s values (parameters at the start of training). */
  broadcastParameters(params: Tensor[], root = 0, bucketBytes = DEFAULT_BUCKET_BYTES): Promise<void> {
    return this.queue(() => this.group.broadcast(params, root, bucketBytes));
  }

  /** Reduces tensors across ranks in place, in flattened buckets; "avg" is a sum divided by the world size. */
  allReduce(tensors: Tensor[], op: ReduceOp, bucketBytes = DEFAULT_BUCKET_BYTES): Promise<void> {
    return this.queue(() => this.group.allReduce(tensors, op, bucketBytes));
  }

  /**
   * Reduces the parameters' gradients across ranks in place (DDP's step): "avg" when each rank's loss is a
   * mean over its own share, "sum" when the trainer already divides by the global count. Every rank must
   * pass the same parameters, each with a gradient.
   */
  allReduceGradients(
    params: Tensor[],
    op: "avg" | "sum" = "avg",
    bucketBytes = DEFAULT_BUCKET_BYTES,
  ): Promise<void> {
    const grads = params.map((p, i) => {
      const g = p.grad;
      if (g === null)
        throw new Error(`allReduceGradients: parameter ${i} has no gradient on rank ${this.rank}`);
      return g;
    });
    return this.allReduce(grads, op, bucketBytes);
  }

  /** Every rank's bytes, in rank order. */
  allGatherBytes(bytes: Uint8Array): Promise<Uint8Array[]> {
    return this.queue(() => this.group.allGatherBytes(bytes));
  }

  /** Every rank's value (JSON-serializable), in rank order: how sharded results come back together. */
  async allGatherJson<T>(value: T): Promise<T[]> {
    const parts = await this.allGatherBytes(new TextEncoder().encode(JSON.stringify(value)));
    const decoder = new TextDecoder();
    return parts.map((p) => JSON.parse(decoder.decode(p)) as T);
  }

  /** Resolves once every rank has reached it. */
  barrier(): Promise<void> {
    return this.queue(() => this.group.barrier());
  }

  /** Waits for queued calls, then releases the backend and the store connection. */
  async destroy(): Promise<void> {
    await this.tail;
    this.group.destroy();
    this.failure ??= new Error("the process group was destroyed");
  }

  private queue<T>(call: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => {
      if (this.failure) throw this.failure;
      return call().catch((err: unknown) => {
        this.failure = collectiveError(err);
        throw this.failure;
      });
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}
