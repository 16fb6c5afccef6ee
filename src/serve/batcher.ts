// Batching of concurrent generation requests: requests queue while a batch runs and the next batch
// takes every queued request that fits (up to maxRows rows), so a busy server runs full batches
// without waiting for a batch to fill. Each row keeps its own sampling parameters and seed
// (backends/row-generate.ts), so a request's result does not depend on its neighbours. A request that
// waits longer than the queue timeout leaves the queue with a 503 (a running batch always finishes).
import type { ModelWorker } from "../backends/model-worker.js";
import type { GenRow, RowResult } from "../backends/row-generate.js";
import { RequestError } from "./request-error.js";

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
  timer: NodeJS.Timeout;
}

export class Batcher {
  private readonly queue: Job[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly worker: ModelWorker,
    /** Most rows (prompts × n) per batch; a larger request runs alone. */
    readonly maxRows: number,
    /** Most milliseconds a request waits in the queue before it is refused. */
    private readonly queueTimeoutMs: number,
  ) {}

  submit(rows: GenRow[], onToken?: (row: number, token: number) => void): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      const job: Job = {
        rows,
        resolve,
        reject,
        timer: setTimeout(() => this.expire(job), this.queueTimeoutMs),
      };
      if (onToken !== undefined) job.onToken = onToken;
      this.queue.push(job);
      // setImmediate: requests parsed in the same turn of the event loop join the same batch.
      if (this.running === null) this.running = new Promise((r) => setImmediate(r)).then(() => this.loop());
    });
  }

  /** Resolves once the queue is empty and no batch runs. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private expire(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at < 0) return;
    this.queue.splice(at, 1);
    const s = this.queueTimeoutMs / 1000;
    job.reject(new RequestError(503, `the request waited ${s} s for a batch (--queue-timeout); retry later`));
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
      for (const j of jobs) clearTimeout(j.timer);
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
