// Backward steps libtorch's autograd does not run itself. A deferred segment's output is a fresh leaf,
// so libtorch's pass stops there and accumulates its gradient; Tensor.backward then runs each reached
// segment's own backward with that gradient, last registered first, which may reach the output leaf
// of an earlier segment (a checkpointed block feeding another). Gradient checkpointing
// (checkpoint.ts) and row-local functions (row-local.ts) are such segments.
// The backward must run inside the scope that ran the forward (calign's trainers do).
import { native } from "./native.js";
import { tidy } from "./scope.js";
import type { Tensor } from "./tensor.js";

interface Segment {
  out: Tensor;
  /** The tensors backward reads; the segment is dropped once any is disposed (its forward was never backpropagated). */
  uses: readonly Tensor[];
  backward: (grad: Tensor) => void;
}

/** Segments whose backward is still to run, in forward order. */
const pending: Segment[] = [];

/** Registers out (a leaf that requires grad) to run backward(out's gradient) when a backward pass reaches it. */
export function deferBackward(
  out: Tensor,
  uses: readonly Tensor[],
  backward: (grad: Tensor) => void,
): Tensor {
  pending.push({ out, uses, backward });
  return out;
}

/** Backpropagates from root through libtorch's graph, then through every reached segment, last first. */
export function backwardFrom(root: Tensor, grad: Tensor | null, retainGraph: boolean): void {
  native.backward(root.handle, grad?.handle ?? null, retainGraph);
  while (pending.length > 0) {
    const s = pending.pop() as Segment;
    if (s.out.isDisposed() || s.uses.some((t) => t.isDisposed())) continue;
    const g = s.out.grad;
    if (g === null) continue;
    tidy(() => s.backward(g));
  }
}
