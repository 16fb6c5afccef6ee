// A model loaded in a worker thread (model-host.ts), called with promises: the main thread stays free
// for HTTP and signals while the worker computes. Requests run one at a time in the order sent.
import { Worker } from "node:worker_threads";
import type { DType } from "../engine/index.js";
import type { TokenScoreItem, TokenScores } from "../models/index.js";
import type { HostData, HostMessage, HostRequest, ModelInfo } from "./model-host.js";
import type { PromptTokenLogprob } from "./prompt-logprobs.js";
import type { GenRow, RowResult } from "./row-generate.js";

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onToken?: (row: number, token: number) => void;
};

/** The host's error as an Error of the same name. */
function hostError(m: { name: string; message: string }): Error {
  const err = new Error(m.message);
  err.name = m.name;
  return err;
}

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

export class ModelWorker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelInfo,
  ) {
    worker.on("message", (m: HostMessage) => {
      if (m.type === "ready" || m.id === null) return;
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      if (m.type === "token") p.onToken?.(m.row, m.token);
      else {
        this.pending.delete(m.id);
        if (m.type === "result") p.resolve(m.value);
        else p.reject(hostError(m));
      }
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`model worker exited (code ${code})`)));
  }

  /** Loads the model (HF folder or GGUF) in a new worker; rejects with the loader's message. */
  static start(path: string, dtype: DType = "float32", device = "auto"): Promise<ModelWorker> {
    const worker = new Worker(new URL("./model-host.js", import.meta.url), {
      workerData: { path, dtype, device } satisfies HostData,
    });
    return new Promise((resolve, reject) => {
      const onMessage = (m: HostMessage) => {
        worker.off("message", onMessage);
        if (m.type === "ready") resolve(new ModelWorker(worker, m.info));
        else {
          reject(m.type === "error" ? hostError(m) : new Error("model worker sent no ready message"));
          void worker.terminate();
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  }

  generate(rows: GenRow[], onToken?: (row: number, token: number) => void): Promise<RowResult[]> {
    return this.call({ op: "generate", rows }, onToken) as Promise<RowResult[]>;
  }

  score(items: TokenScoreItem[], batchSize = 8): Promise<TokenScores[]> {
    return this.call({ op: "score", items, batchSize }) as Promise<TokenScores[]>;
  }

  promptLogprobs(sequences: number[][], k: number): Promise<PromptTokenLogprob[][]> {
    return this.call({ op: "promptLogprobs", sequences, k }) as Promise<PromptTokenLogprob[][]>;
  }

  async close(): Promise<void> {
    this.failure ??= new Error("model worker closed");
    await this.worker.terminate();
  }

  private call(req: WithoutId<HostRequest>, onToken?: Pending["onToken"]): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onToken === undefined ? {} : { onToken }) });
      this.worker.postMessage({ ...req, id });
    });
  }
}
