// Position ids and attention masks for batched, left-padded sequences, as transformers derives them:
// a row's positions count its real tokens only, and each query sees real keys at or before itself.
import { arange, type DType, type Tensor } from "../engine/index.js";

/**
 * The most negative finite value of dtype, added to masked scores: they stay finite, so all-padding
 * rows give no NaN (a float32 -3.4e38 overflows bfloat16 and float16).
 */
export function maskedScore(dtype: DType): number {
  if (dtype === "bfloat16") return -3.3895313892515355e38;
  if (dtype === "float16") return -65504;
  return -3.4028234663852886e38;
}

/** S, the key positions after a step of T new tokens on `past` cached ones; a mask must cover all S. */
export function keyLength(model: string, T: number, past: number, mask: Tensor | null): number {
  const S = past + T;
  if (mask !== null && mask.size(1) !== S)
    throw new RangeError(`${model}: attention mask covers ${mask.size(1)} positions, expected ${S}`);
  return S;
}

/** Position ids (B, T) on `device` of a step's tokens: from the mask when there is one, else S - T .. S - 1. */
export function stepPositionIds(
  mask: Tensor | null,
  B: number,
  T: number,
  S: number,
  device: string,
): Tensor {
  return mask === null
    ? arange(S - T, S, 1, { device })
        .view(1, T)
        .expand(B, T)
    : positionIds(mask, T);
}

/** Position ids (B, T) of the last T columns of mask (B, S): cumsum - 1, padding at 1 as HF. */
export function positionIds(mask: Tensor, T: number): Tensor {
  const pos = mask.to("int64").cumsum(1).sub(1).maskedFill(mask.eq(0), 1); // (B, S)
  return pos.narrow(1, pos.size(1) - T, T);
}

/**
 * Which scores to mask (B, 1, T, S) for T queries at the end of S positions: future keys and padding
 * keys, on `device`. mask is (B, S), 1 for real tokens and 0 for padding; null means no padding.
 */
export function blockedKeys(mask: Tensor | null, T: number, S: number, device: string): Tensor | null {
  const past = S - T;
  const future = arange(0, S, 1, { device })
    .view(1, S)
    .gt(arange(past, S, 1, { device }).view(T, 1))
    .view(1, 1, T, S);
  if (mask === null) return T === 1 ? null : future;
  // The maximum of booleans is their OR; unlike logical_or it runs on libtorch 1.13's meta device.
  return future.maximum(mask.eq(0).view(-1, 1, 1, S));
}
