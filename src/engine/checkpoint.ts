// Gradient checkpointing, as torch.utils.checkpoint: checkpoint(fn, x) runs fn without recording
// activations and returns its output as a fresh leaf; when a backward pass reaches that leaf, fn is
// run again on x with grad (under the same autocast) and backpropagated with the leaf's gradient,
// which flows on into x and fn's parameters. Memory: one block's activations at a time instead of
// every block's, for one extra forward. Dropout inside fn draws the same masks again: the generators
// it draws from are set back to their states of the first run (it must name one: F.dropout's gen).
// The recompute is a deferred backward segment (deferred-backward.ts).
import { autocastDtype, withAutocast } from "./autocast.js";
import { deferBackward } from "./deferred-backward.js";
import type { DType } from "./dtype.js";
import { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
import { native } from "./native.js";
import type { Generator, Tensor } from "./tensor.js";

interface Segment {
  fn: (x: Tensor) => Tensor;
  x: Tensor;
  autocast: DType | null;
  /** The generators fn drew from, with their states before its first run. */
  draws: Map<Generator, Uint8Array>;
}

/** The draws of the segment being run for the first time, or null outside one. */
let recording: Map<Generator, Uint8Array> | null = null;

/** Called before a random draw inside a forward pass (F.dropout), so a recompute can repeat it. */
export function noteDraw(gen: Generator | null): void {
  if (recording === null) return;
  if (gen === null) throw new Error("checkpoint: a random draw inside a checkpoint needs its own Generator");
  if (!recording.has(gen)) recording.set(gen, gen.getState());
}

export function checkpoint(fn: (x: Tensor) => Tensor, x: Tensor): Tensor {
  if (!isGradEnabled()) return fn(x);
  const draws = new Map<Generator, Uint8Array>();
  const outer = recording;
  recording = draws;
  let out: Tensor;
  try {
    out = noGrad(() => fn(x)).setRequiresGrad(true);
  } finally {
    recording = outer;
  }
  const s: Segment = { fn, x, autocast: autocastDtype(), draws };
  // The recompute's gradient flows on into x, which may be the previous segment's output leaf.
  return deferBackward(out, [x], (grad) => native.backward(recompute(s).handle, grad.handle, false));
}

/** fn's recompute with the generators it drew from at their first-run states, then put back. */
function recompute(s: Segment): Tensor {
  const current = [...s.draws.keys()].map((g) => [g, g.getState()] as const);
  for (const [g, state] of s.draws) g.setState(state);
  try {
    return withAutocast(s.autocast, () => enableGrad(() => s.fn(s.x)));
  } finally {
    for (const [g, state] of current) g.setState(state);
  }
}
