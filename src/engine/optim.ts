// Optimizers: PyTorch's own AdamW and SGD (libtorch C++), with parameter groups, a learning rate that
// schedulers set per step, and state that checkpoints save and restore byte for byte.
import { type NativeOptimizer, native } from "./native.js";
import type { Tensor } from "./tensor.js";

export interface AdamWGroup {
  params: Tensor[];
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** Decoupled weight decay (Loshchilov & Hutter); PyTorch's default 0.01. */
  weightDecay?: number;
  amsgrad?: boolean;
}

export interface SGDGroup {
  params: Tensor[];
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

abstract class Optimizer {
  protected readonly native: NativeOptimizer;
  readonly groupCount: number;

  protected constructor(kind: "adamw" | "sgd", groups: object[]) {
    this.native = new native.Optimizer(kind, groups);
    this.groupCount = groups.length;
  }
  step(): void {
    this.native.step();
  }
  /** Sets every gradient to none (PyTorch's set_to_none=True). */
  zeroGrad(): void {
    this.native.zeroGrad();
  }
  setLr(lr: number, group?: number): void {
    if (group !== undefined) this.native.setLr(group, lr);
    else for (let g = 0; g < this.groupCount; g++) this.native.setLr(g, lr);
  }
  getLr(group = 0): number {
    return this.native.getLr(group);
  }
  /** Moments and step counts, as libtorch's serialized archive. */
  saveState(): Uint8Array {
    return this.native.saveState();
  }
  loadState(state: Uint8Array): void {
    this.native.loadState(state);
  }
}

export class AdamW extends Optimizer {
  constructor(groups: AdamWGroup[]) {
    super(
      "adamw",
      groups.map((g) => ({
        params: g.params.map((p) => p.handle),
        lr: g.lr,
        beta1: g.betas?.[0],
        beta2: g.betas?.[1],
        eps: g.eps,
        weightDecay: g.weightDecay,
        amsgrad: g.amsgrad,
      })),
    );
  }
}

export class SGD extends Optimizer {
  constructor(groups: SGDGroup[]) {
    super(
      "sgd",
      groups.map((g) => ({
        params: g.params.map((p) => p.handle),
        lr: g.lr,
        momentum: g.momentum,
        dampening: g.dampening,
        weightDecay: g.weightDecay,
        nesterov: g.nesterov,
      })),
    );
  }
}

/** Scales gradients so their global norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(params: Tensor[], maxNorm: number, normType = 2): number {
  return native.clipGradNorm(
    params.map((p) => p.handle),
    maxNorm,
    normType,
  );
}
