// Runs long, synchronous compute (training, generation) in a worker thread behind a typed message API,
// so the main thread's event loop stays free for progress output, signals and HTTP. Addon calls block,
// so a stop request travels through shared memory that the worker polls between steps.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/** What a running worker can do besides computing. */
export interface WorkerContext<P> {
  /** Sends a progress event to the main thread (delivered asynchronously). */
  progress(event: P): void;
  /** True once the main thread asked the worker to stop (Ctrl-C): checkpoint and return early. */
  shouldStop(): boolean;
}

type WorkerMessage<R, P> =
  | { type: "progress"; event: P }
  | { type: "result"; value: R }
  | { type: "error"; name: string; message: string; stack?: string };

interface WorkerInput<Q> {
  request: Q;
  stop: SharedArrayBuffer;
}

/**
 * Declares this module as a worker entry. Call it at the top level of a module whose only job is to
 * run fn; when the module is loaded as a worker it runs fn on the request and posts the result.
 */
export function defineWorker<Q, R, P>(fn: (request: Q, ctx: WorkerContext<P>) => R | Promise<R>): void {
  if (isMainThread || parentPort === null) return;
  const port = parentPort;
  const data = workerData as WorkerInput<Q>;
  const stop = new Int32Array(data.stop);
  const post = (m: WorkerMessage<R, P>) => port.postMessage(m);
  const ctx: WorkerContext<P> = {
    progress: (event) => post({ type: "progress", event }),
    shouldStop: () => Atomics.load(stop, 0) === 1,
  };
  Promise.resolve()
    .then(() => fn(data.request, ctx))
    .then(
      (value) => post({ type: "result", value }),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        post({ type: "error", name: e.name, message: e.message, stack: e.stack });
      },
    );
}

export interface RunWorkerOptions<P> {
  onProgress?: (event: P) => void;
  /** Aborting asks the worker to stop (it sees ctx.shouldStop()); the promise still resolves with its result. */
  signal?: AbortSignal;
}

/** Runs the worker entry module at url in a worker thread and resolves with what its function returns. */
export function runWorker<Q, R, P = never>(url: URL, request: Q, opts: RunWorkerOptions<P> = {}): Promise<R> {
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const worker = new Worker(url, { workerData: { request, stop } satisfies WorkerInput<Q> });
  const onAbort = () => Atomics.store(flag, 0, 1);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
      void worker.terminate();
    };
    worker.on("message", (m: WorkerMessage<R, P>) => {
      if (m.type === "progress") opts.onProgress?.(m.event);
      else if (m.type === "result") finish(() => resolve(m.value));
      else {
        // The class does not cross threads; its name does, so callers can tell e.g. a DataError.
        const err = new Error(m.message);
        err.name = m.name;
        if (m.stack) err.stack = m.stack;
        finish(() => reject(err));
      }
    });
    worker.on("error", (err) => finish(() => reject(err)));
    worker.on("exit", (code) =>
      finish(() => reject(new Error(`worker ${url.pathname} exited with code ${code} before returning`))),
    );
  });
}
