// Data parallelism inside the training loop, as DDP does it: each rank takes its share of every
// micro-batch, the gradients (each already weighted by the whole step's loss units) are summed across
// ranks, and the step's loss, metric sums and stop requests are combined, so every rank applies the
// same update a single process would.
import type { ProcessGroup } from "../distributed/index.js";
import { type Tensor, zeros } from "../engine/index.js";
import type { MetricRecord } from "./metrics-log.js";

/** This rank's share of a micro-batch: every world-th example from its rank (lengths stay balanced). */
export function shardOf(batch: readonly number[], group: ProcessGroup | undefined): number[] {
  if (group === undefined) return [...batch];
  return batch.filter((_, i) => i % group.worldSize === group.rank);
}

/**
 * Sums the parameters' gradients across ranks in place. A rank whose shares were all empty has no
 * gradient yet: it contributes zeros, so every rank reduces the same tensors.
 */
export async function sumGradients(group: ProcessGroup, params: readonly Tensor[]): Promise<void> {
  const grads = params.map((p) => {
    const g = p.grad;
    if (g !== null) return g;
    p.grad = zeros(p.shape, { dtype: p.dtype, device: p.device });
    return p.grad as Tensor;
  });
  try {
    await group.allReduce(grads, "sum");
  } finally {
    for (const g of grads) g.dispose();
  }
}

export interface StepTotals {
  loss: number;
  sums: MetricRecord;
  /** Some rank was asked to stop: all stop after this step, together. */
  stop: boolean;
}

/** The step's loss and metric sums over every rank, and whether any rank was asked to stop. */
export async function combineStep(group: ProcessGroup, local: StepTotals): Promise<StepTotals> {
  // JSON turns NaN and infinities into null: a non-finite value on any rank stays non-finite.
  type Sent = { loss: number | null; sums: Record<string, number | null>; stop: boolean };
  const all = (await group.allGatherJson(local)) as Sent[];
  const sums: MetricRecord = {};
  for (const r of all)
    for (const [k, v] of Object.entries(r.sums)) sums[k] = (sums[k] ?? 0) + (v ?? Number.NaN);
  const loss = all.reduce((a, r) => a + (r.loss ?? Number.NaN), 0);
  return { loss, sums, stop: all.some((r) => r.stop) };
}

/** Every rank resumes from the same checkpoint (the output folder must be shared by all ranks). */
export async function agreeOnCheckpoint(group: ProcessGroup, step: number | null): Promise<void> {
  const steps = await group.allGatherJson(step);
  const other = steps.findIndex((s) => s !== steps[0]);
  if (other >= 0)
    throw new Error(
      `rank ${other} sees checkpoint ${steps[other] ?? "none"} but rank 0 sees ${steps[0] ?? "none"}: every rank must see the same output folder`,
    );
}
