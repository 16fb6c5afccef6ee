// Position ids and attention masks for batched, left-padded sequences, as transformers derives them:
// a row's positions count its real tokens only, and each query sees real keys at or before itself.
import { arange, type Tensor } from "../engine/index.js";

/** The most negative float32: masked scores stay finite, so all-padding rows give no NaN. */
export const MASKED = -3.4028234663852886e38;

/** S, the key positions after a step of T new tokens on `past` cached ones; a mask must cover all S. */
export function keyLength(model: string, T: number, past: number, mask: Tensor | null): number {
  const S = past + T;
  if (mask !== null && mask.size(1) !== S)
    throw new RangeError(`${model}: attention mask covers ${mask.size(1)} positions, expected ${S}`);
  return S;
}

/** Position ids (B, T) of a step's tokens: from the mask when there is one, else S - T .. S - 1. */
export function stepPositionIds(mask: Tensor | null, B: number, T: number, S: number): Tensor {
  return mask === null
    ? arange(S - T, S)
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
 * keys. mask is (B, S), 1 for real tokens and 0 for padding; null means no padding.
 */
export function blockedKeys(mask: Tensor | null, T: number, S: number): Tensor | null {
  const past = S - T;
  const future = arange(0, S).view(1, S).gt(arange(past, S).view(T, 1)).view(1, 1, T, S);
  if (mask === null) return T === 1 ? null : future;
  return future.logicalOr(mask.eq(0).view(-1, 1, 1, S));
}
