// Batching of concurrent generation requests: requests queue while a batch runs and the next batch
// takes every queued request that fits (up to maxRows rows), so a busy server runs full batches
// without waiting for a batch to fill. Each row keeps its own sampling parameters and seed
// (backends/row-generate.ts), so a request's result does not depend on its neighbours.
import type { ModelWorker } from "../backends/model-worker.js";
import type { GenRow, RowResult } from "../backends/row-generate.js";

export interface BatchOutcome {
  results: RowResult[];
  /** Requests that shared the forward passes (reported to clients as x-calign-batch-size). */
  batchSize: number;
}

interface Job {
  rows: GenRow[];
  onToken?: (row: number, token: number) => void;
  resolve: (o: BatchOutcome) => void;
  reject: (e: Error) => void;
}

export class Batcher {
  private readonly queue: Job[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly worker: ModelWorker,
    /** Most rows (prompts × n) per batch; a larger request runs alone. */
    readonly maxRows: number,
  ) {}

  submit(rows: GenRow[], onToken?: (row: number, token: number) => void): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject, ...(onToken === undefined ? {} : { onToken }) });
      // setImmediate: requests parsed in the same turn of the event loop join the same batch.
      if (this.running === null) this.running = new Promise((r) => setImmediate(r)).then(() => this.loop());
    });
  }

  /** Resolves once the queue is empty and no batch runs. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0) {
      const jobs = [this.queue.shift()!];
      let rows = jobs[0]!.rows.length;
      while (this.queue.length > 0 && rows + this.queue[0]!.rows.length <= this.maxRows) {
        const j = this.queue.shift()!;
        rows += j.rows.length;
        jobs.push(j);
      }
      await this.run(jobs);
    }
    this.running = null;
  }

  private async run(jobs: Job[]): Promise<void> {
    const owner: [Job, number][] = jobs.flatMap((j) => j.rows.map((_, r): [Job, number] => [j, r]));
    try {
      const results = await this.worker.generate(
        jobs.flatMap((j) => j.rows),
        (row, token) => {
          const [job, r] = owner[row]!;
          job.onToken?.(r, token);
        },
      );
      let at = 0;
      for (const j of jobs) {
        j.resolve({ results: results.slice(at, at + j.rows.length), batchSize: jobs.length });
        at += j.rows.length;
      }
    } catch (err) {
      for (const j of jobs) j.reject(err as Error);
    }
  }
}
