// fn(x) for a function that acts on each row of x alone, (B, T, C) to (B, T), such as an LM head's
// log-probability of each position's target, run over `chunk` columns of dim 1 at a time (fn gets each
// chunk and the column it starts at).
// Under grad the plain pass would keep every chunk's intermediates for backward (a float32
// (B, chunk, V) log-softmax each: 3.9 GB for 8 × 960 tokens of a 128k vocabulary). Instead:
// - fn's parameters frozen (LoRA): each chunk is differentiated as soon as it is computed, and freed.
//   Output (b, t) depends on x[b, t, :] alone, so its gradient is g[b, t] · J[b, t, :] with
//   J = d fn(x) / dx, (B, T, C) and kept instead; the backward (a deferred segment) only scales J and
//   passes it on into x. Same arithmetic as the plain pass, no recompute; as Liger Kernel's fused
//   linear cross-entropy, for any upstream gradient.
// - a parameter that requires grad (a fully fine-tuned head; its gradient needs g, unknown in the
//   forward): with `recompute`, each chunk is run again in backward, as a gradient checkpoint, for one
//   more forward of fn; without, the chunks take the plain pass.
// subtle: x must reach the loss only through fn(x), as a checkpoint's input does; fn draws nothing
// random (a recompute would draw anew).
import { autocastDtype, withAutocast } from "./autocast.js";
import { deferBackward } from "./deferred-backward.js";
import { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
import { native } from "./native.js";
import { tidy } from "./scope.js";
import { cat, type Tensor } from "./tensor.js";

type RowFn = (rows: Tensor, start: number) => Tensor;

export interface RowLocalOptions {
  /** When fn has parameters that require grad, recompute each chunk in backward (gradient checkpointing). */
  recompute?: boolean;
}

export function rowLocal(fn: RowFn, x: Tensor, chunk: number, opts: RowLocalOptions = {}): Tensor {
  const T = x.size(1);
  const starts = Array.from({ length: Math.ceil(T / chunk) }, (_, i) => i * chunk);
  const rowsAt = (s: number) => x.narrow(1, s, Math.min(chunk, T - s));
  const fnOf = (rows: Tensor, s: number) => checkedRows(fn(rows, s), rows);
  const plain = () => joined(starts.map((s) => tidy(() => fnOf(rowsAt(s), s))));
  if (!(isGradEnabled() && x.requiresGrad())) return plain();
  if (!trainsParameters(fn, x)) return withJacobian(fnOf, x, rowsAt, starts);
  return opts.recompute ? recomputed(fnOf, x, rowsAt, starts) : plain();
}

/** Frozen fn: each chunk's values and J, then backward g ↦ g · J into x. */
function withJacobian(fnOf: RowFn, x: Tensor, rowsAt: (s: number) => Tensor, starts: number[]): Tensor {
  const parts = starts.map((s) =>
    tidy(() => {
      const rows = rowsAt(s).detach().setRequiresGrad(true);
      const y = fnOf(rows, s);
      native.backward(y.sum().handle, null, false);
      return { y: y.detach(), jacobian: rows.grad as Tensor };
    }),
  );
  const out = joined(parts.map((p) => p.y)).setRequiresGrad(true);
  const jacobian = joined(parts.map((p) => p.jacobian)); // (B, T, C), x's dtype
  return deferBackward(out, [x, jacobian], (grad) =>
    native.backward(x.handle, jacobian.mul(grad.unsqueeze(-1)).to(x.dtype).handle, false),
  );
}

/** Trained fn: values without a graph; backward reruns each chunk under the forward's autocast. */
function recomputed(fnOf: RowFn, x: Tensor, rowsAt: (s: number) => Tensor, starts: number[]): Tensor {
  const out = noGrad(() => joined(starts.map((s) => tidy(() => fnOf(rowsAt(s), s))))).setRequiresGrad(true);
  const autocast = autocastDtype();
  return deferBackward(out, [x], (grad) => {
    const gradX = starts.map((s) =>
      tidy(() => {
        const rows = rowsAt(s).detach().setRequiresGrad(true);
        const y = withAutocast(autocast, () => enableGrad(() => fnOf(rows, s)));
        native.backward(y.handle, grad.narrow(1, s, y.size(1)).contiguous().handle, false);
        return rows.grad as Tensor;
      }),
    );
    native.backward(x.handle, joined(gradX).handle, false);
  });
}

/** Whether fn's output requires grad for an input that does not: one column is enough to tell. */
function trainsParameters(fn: RowFn, x: Tensor): boolean {
  return tidy(() => enableGrad(() => fn(x.narrow(1, 0, 1).detach(), 0).requiresGrad()));
}

/** y, checked to be one value per row of `rows`. */
function checkedRows(y: Tensor, rows: Tensor): Tensor {
  if (y.shape.length !== 2 || y.size(0) !== rows.size(0) || y.size(1) !== rows.size(1))
    throw new RangeError(`rowLocal: fn must map (B, n, C) to (B, n); it returned (${y.shape.join(", ")})`);
  return y;
}

/** The chunks joined along dim 1, their parts freed. */
function joined(parts: Tensor[]): Tensor {
  if (parts.length === 1) return parts[0]!;
  const all = cat(parts, 1);
  for (const p of parts) p.dispose();
  return all;
}
