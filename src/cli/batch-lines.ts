// The JSONL output of generate and score, computed batch by batch: alone, or across the ranks of a launch
// (each batch computed whole by one rank, distributed/batch-shards.ts, so every line is what one process
// writes); rank 0 gathers the lines in input order, shows the progress and writes them.
import { gatherResults, ownsBatch, ProcessGroup } from "../distributed/index.js";
import { progressBar } from "./progress.js";
import { writeLines } from "./write-output.js";

export interface BatchLines {
  /** The progress bar's label. */
  label: string;
  /** Each batch's item indices (0 to count − 1, each in exactly one batch), in the order batches run. */
  batches: readonly (readonly number[])[];
  count: number;
  /** One line per item of the batch, in the batch's order. */
  lines(batch: readonly number[]): string[];
  /** --output FILE (written atomically), or standard output. */
  output: string | undefined;
  /** Launched as several ranks: seconds to wait for the others (--dist-timeout). */
  distTimeout: number;
}

export async function writeBatchLines(spec: BatchLines): Promise<void> {
  const group = await ProcessGroup.fromEnv({ timeoutMs: spec.distTimeout * 1000, backend: "gloo" });
  const isMain = group?.isMain ?? true;
  const bar = isMain ? progressBar(spec.label, spec.count) : undefined;
  const mine: [number, string][] = [];
  let reached = 0;
  for (const [b, batch] of spec.batches.entries()) {
    reached += batch.length;
    if (!ownsBatch(group, b)) continue;
    for (const [k, line] of spec.lines(batch).entries()) mine.push([batch[k]!, line]);
    bar?.update(reached);
  }
  bar?.finish();
  const lines = group === undefined ? new Map(mine) : await gatherResults(group, mine);
  await group?.destroy();
  if (isMain)
    await writeLines(
      spec.output,
      Array.from({ length: spec.count }, (_, i) => lines.get(i)!),
    );
}
