// The worker-thread side of ModelWorker: loads a model and its tokenizer once, then runs generation,
// scoring and prompt log-probs one request at a time, streaming generated tokens back as they come.
// Addon calls block, so this keeps them off the main thread's event loop (HTTP, signals).
import { parentPort, workerData } from "node:worker_threads";
import { rankDevice } from "../distributed/index.js";
import type { DType } from "../engine/index.js";
import { loadModel, scoreTokens, type TokenScoreItem } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { promptLogprobs } from "./prompt-logprobs.js";
import { type GenRow, generateRows } from "./row-generate.js";

export interface HostData {
  path: string;
  dtype: DType;
  /** auto | cpu | cuda | cuda:N. */
  device: string;
}

export interface ModelInfo {
  maxPositions: number;
  vocabSize: number;
}

export type HostRequest =
  | { id: number; op: "generate"; rows: GenRow[] }
  | { id: number; op: "score"; items: TokenScoreItem[]; batchSize: number }
  | { id: number; op: "promptLogprobs"; sequences: number[][]; k: number };

export type HostMessage =
  | { type: "ready"; info: ModelInfo }
  | { type: "token"; id: number; row: number; token: number }
  | { type: "result"; id: number; value: unknown }
  /** A failure, with its class's name (the class does not cross threads; a ModelFileError stays one). */
  | { type: "error"; id: number | null; name: string; message: string };

function nameAndMessage(err: unknown): { name: string; message: string } {
  return err instanceof Error
    ? { name: err.name, message: err.message }
    : { name: "Error", message: String(err) };
}

if (parentPort !== null) {
  const port = parentPort;
  const post = (m: HostMessage) => port.postMessage(m);
  const { path, dtype, device } = workerData as HostData;
  try {
    const tok = loadTokenizer(path);
    const model = loadModel(path, { dtype, device: rankDevice(device) });
    const eosTokenIds = model.eosTokenIds.length > 0 ? model.eosTokenIds : [tok.eosId ?? -1];
    const decode = (ids: number[]) => tok.decode(ids, { skipSpecialTokens: true });
    const run = (req: HostRequest): unknown => {
      if (req.op === "score") return scoreTokens(model, req.items, { batchSize: req.batchSize });
      if (req.op === "promptLogprobs") return promptLogprobs(model, req.sequences, req.k);
      return generateRows(model, req.rows, {
        eosTokenIds,
        decode,
        onToken: (row, t) => post({ type: "token", id: req.id, row, token: t.token }),
      });
    };
    port.on("message", (req: HostRequest) => {
      try {
        post({ type: "result", id: req.id, value: run(req) });
      } catch (err) {
        post({ type: "error", id: req.id, ...nameAndMessage(err) });
      }
    });
    post({ type: "ready", info: { maxPositions: model.maxPositions, vocabSize: model.vocabSize } });
  } catch (err) {
    post({ type: "error", id: null, ...nameAndMessage(err) });
  }
}
