// Keys and values of past positions, per layer, for incremental decoding. Buffers are allocated once
// at full length (B, nKv, maxLen, hd) and each step writes its slice in place, so a decode step costs
// no reallocation. Only for inference (written under noGrad).
import { type DType, F, keep, noGrad, type Tensor, tensor, tidy, zeros } from "../engine/index.js";

export class KVCache {
  /** Positions already stored (the same for every layer once a forward pass completes). */
  length = 0;

  private constructor(
    private readonly keys: Tensor[],
    private readonly values: Tensor[],
    readonly maxLen: number,
  ) {}

  /** An empty cache of `batch` rows and `maxLen` positions per layer. */
  static allocate(
    layers: number,
    batch: number,
    kvHeads: number,
    headDim: number,
    maxLen: number,
    dtype: DType = "float32",
    device = "cpu",
  ): KVCache {
    const buf = () => keep(zeros([batch, kvHeads, maxLen, headDim], { dtype, device }));
    return new KVCache(Array.from({ length: layers }, buf), Array.from({ length: layers }, buf), maxLen);
  }

  get batch(): number {
    return this.keys[0]?.size(0) ?? 0;
  }

  /**
   * A new cache whose row i is a copy of this cache's row rows[i], with the same positions stored:
   * rows that share a prompt share its prefill (n samples of one prompt).
   */
  selectRows(rows: readonly number[]): KVCache {
    return tidy(() =>
      noGrad(() => {
        const device = this.keys[0]?.device ?? "cpu";
        const index = tensor([...rows], [rows.length], { dtype: "int64", device });
        const pick = (t: Tensor) => keep(t.indexSelect(0, index));
        const out = new KVCache(this.keys.map(pick), this.values.map(pick), this.maxLen);
        out.length = this.length;
        return out;
      }),
    );
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
