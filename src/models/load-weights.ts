// Copies a checkpoint's tensors into engine memory one at a time, straight onto the device from the
// memory-mapped file where the format stores them as is (never two full copies of the weights, never
// the whole model on the host first), checking every name and shape against what the architecture
// expects.
import { checkMatmulDtype, type DType, keep, type Tensor } from "../engine/index.js";
import { loadTensor } from "../io/engine-tensor.js";
import { ModelFileError, type TensorSource } from "../io/index.js";
import type { ParameterShapes } from "./causal-lm.js";

export interface LoadOptions {
  /** Parameter dtype (default: as the checkpoint stores it; the commands default to float32). */
  dtype?: DType;
  /** Where the weights go, one tensor at a time ("cpu", "cuda:0"; default cpu). */
  device?: string;
}

/** Checkpoint tensors that are buffers, not parameters (recomputed by the model). */
const BUFFERS = /(^|\.)(rotary_emb\.inv_freq|attn\.bias|attn\.masked_bias)$/;

/** Names a checkpoint may use for an HF parameter: GPT2Model files lack the "transformer." prefix. */
function candidates(name: string): string[] {
  return name.startsWith("transformer.") ? [name, name.slice("transformer.".length)] : [name];
}

export function loadWeights(
  source: TensorSource,
  shapes: ParameterShapes,
  opts: LoadOptions = {},
): Map<string, Tensor> {
  // Before any tensor is read: a dtype the device cannot compute in is refused at once.
  if (opts.dtype !== undefined) checkMatmulDtype(opts.dtype, opts.device ?? "cpu");
  const params = new Map<string, Tensor>();
  const used = new Set<string>();
  try {
    for (const [name, shape] of shapes) {
      const stored = candidates(name).find((n) => source.has(n));
      if (stored === undefined) throw new ModelFileError(source.path, "missing from the checkpoint", name);
      used.add(stored);
      let t = loadTensor(source, stored, opts.device);
      if (t.shape.join() !== shape.join()) {
        const got = t.shape;
        t.dispose();
        throw new ModelFileError(source.path, `shape [${got}] where the config implies [${shape}]`, stored);
      }
      if (opts.dtype !== undefined && t.dtype !== opts.dtype) {
        const cast = t.to(opts.dtype);
        t.dispose();
        t = cast;
      }
      params.set(name, keep(t));
    }
  } catch (err) {
    for (const t of params.values()) t.dispose();
    throw err;
  }
  // A tied checkpoint may still carry lm_head.weight (a copy of the embedding).
  const extra = source
    .list()
    .map((t) => t.name)
    .filter((n) => !used.has(n) && !BUFFERS.test(n) && n !== "lm_head.weight");
  if (extra.length > 0) {
    for (const t of params.values()) t.dispose();
    throw new ModelFileError(
      source.path,
      `tensors the config does not use: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", ..." : ""}`,
    );
  }
  return params;
}
