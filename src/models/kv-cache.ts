// Keys and values of past positions, per layer, for incremental decoding. Buffers are allocated once
// at full length (B, nKv, maxLen, hd) and each step writes its slice in place, so a decode step costs
// no reallocation. Only for inference (written under noGrad).
import { type DType, F, keep, noGrad, type Tensor, zeros } from "../engine/index.js";

export class KVCache {
  /** Positions already stored (the same for every layer once a forward pass completes). */
  length = 0;
  private readonly keys: Tensor[];
  private readonly values: Tensor[];

  constructor(
    layers: number,
    readonly batch: number,
    kvHeads: number,
    headDim: number,
    readonly maxLen: number,
    dtype: DType = "float32",
    device = "cpu",
  ) {
    const buf = () => keep(zeros([batch, kvHeads, maxLen, headDim], { dtype, device }));
    this.keys = Array.from({ length: layers }, buf);
    this.values = Array.from({ length: layers }, buf);
  }

  /** Stores this step's k, v (B, nKv, T, hd) for one layer; returns all keys and values so far. */
  append(layer: number, k: Tensor, v: Tensor): [Tensor, Tensor] {
    const T = k.size(2);
    const end = this.length + T;
    if (end > this.maxLen) throw new RangeError(`KVCache: ${end} positions exceed its length ${this.maxLen}`);
    return noGrad((): [Tensor, Tensor] => [
      F.appendInPlace(this.keys[layer]!, 2, this.length, k),
      F.appendInPlace(this.values[layer]!, 2, this.length, v),
    ]);
  }

  /** Marks T more positions as stored; the model calls it after its last layer. */
  advance(T: number): void {
    this.length += T;
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t.dispose();
  }
}
