// One linear projection of a model, the place adapters attach: nn.Linear's (out, in) weight, or
// GPT-2's Conv1D with its weight stored (in, out). Without an adapter the output is the projection
// exactly as before; with one, the adapter's term is added to it (LoRA: x Aᵀ Bᵀ · scaling).
import { autocastDtype, F, type Tensor } from "../engine/index.js";

export interface LinearAdapter {
  /** The term added to the projection of x: (..., out). */
  delta(x: Tensor): Tensor;
}

export class LinearLayer {
  adapter: LinearAdapter | null = null;

  constructor(
    readonly weight: Tensor,
    readonly bias: Tensor | null,
    /** True for Conv1D: weight is (in, out) and the projection is x W + b. */
    readonly fanInFanOut = false,
  ) {}

  get inFeatures(): number {
    return this.weight.size(this.fanInFanOut ? 0 : 1);
  }

  get outFeatures(): number {
    return this.weight.size(this.fanInFanOut ? 1 : 0);
  }

  forward(x: Tensor): Tensor {
    const y = this.project(x);
    return this.adapter === null ? y : y.add(this.adapter.delta(x));
  }

  /** x W (+ b), in the autocast dtype when one is set (the result back in x's dtype). */
  private project(x: Tensor): Tensor {
    const dt = autocastDtype();
    const cast = dt !== null && dt !== this.weight.dtype;
    const xc = cast ? x.to(dt) : x;
    const w = cast ? this.weight.to(dt) : this.weight;
    const b = cast && this.bias !== null ? this.bias.to(dt) : this.bias;
    // Conv1D through F.linear too (as a transposed view), so one-row inputs get its gemv path.
    const y = F.linear(xc, this.fanInFanOut ? w.transpose(0, 1) : w, b);
    return cast ? y.to(x.dtype) : y;
  }
}

/** The linear layers of a model by module name (its weight's HF name without ".weight"). */
export type LinearLayers = ReadonlyMap<string, LinearLayer>;
