// c10d collectives on engine tensors: the addon's process group (native/src/distributed.cc) with typed
// arguments. Every call resolves off the main thread; distributed/ builds the process group API on it.
import { type NativeGroup, type NativeGroupOptions, native } from "./native.js";
import type { Tensor } from "./tensor.js";

export type CollectiveBackend = "gloo" | "nccl";
export type ReduceOp = "sum" | "avg" | "max" | "min";

/** The process group's settings (documented on the addon's NativeGroupOptions), with a typed backend. */
export type GroupOptions = Omit<NativeGroupOptions, "backend"> & { backend: CollectiveBackend };

/** The backends this build of the addon has (Gloo needs gloo's headers, NCCL a CUDA libtorch). */
export function collectiveBackends(): CollectiveBackend[] {
  return native.distBackends() as CollectiveBackend[];
}

/** A joined process group's raw collectives; calls must be issued in the same order on every rank. */
export class CollectiveGroup {
  private constructor(private readonly g: NativeGroup) {}

  /** Rendezvous with the other ranks; resolves once all of them have joined (or rejects at the timeout). */
  static async join(options: GroupOptions): Promise<CollectiveGroup> {
    return new CollectiveGroup(await native.distInit(options));
  }

  /** Tensors take `root`'s values, in place, moved in flattened buckets of about `bucketBytes`. */
  broadcast(tensors: Tensor[], root: number, bucketBytes: number): Promise<void> {
    return native.distBroadcast(
      this.g,
      tensors.map((t) => t.handle),
      root,
      bucketBytes,
    );
  }

  /** Reduces tensors across ranks in place, in flattened buckets of about `bucketBytes`. */
  allReduce(tensors: Tensor[], op: ReduceOp, bucketBytes: number): Promise<void> {
    return native.distAllReduce(
      this.g,
      tensors.map((t) => t.handle),
      op,
      bucketBytes,
    );
  }

  /** Every rank's payload, in rank order (payloads may differ in length). */
  allGatherBytes(bytes: Uint8Array): Promise<Uint8Array[]> {
    return native.distAllGatherBytes(this.g, bytes);
  }

  barrier(): Promise<void> {
    return native.distBarrier(this.g);
  }

  destroy(): void {
    native.distDestroy(this.g);
  }
}
