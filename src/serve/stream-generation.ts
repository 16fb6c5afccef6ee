// A generation request answered as server-sent events: text deltas per choice as tokens arrive from
// the batch, a last chunk per choice with its finish reason, then [DONE].
import type { ServerResponse } from "node:http";
import type { Tokenizer } from "../tokenizers/index.js";
import type { Batcher } from "./batcher.js";
import { type ParsedRequest, rowsOf } from "./parse-request.js";
import { finishReason } from "./response-body.js";
import { endEvents, sendEvent, startEvents } from "./sse.js";
import { TextDelta } from "./text-delta.js";

/** A chunk for choice `index`: a text delta, or (with `finish`) the end of the choice. */
export type ChunkOf = (index: number, delta: string | null, finish: "stop" | "length" | null) => unknown;

export async function streamGeneration(
  res: ServerResponse,
  req: ParsedRequest,
  batcher: Batcher,
  tok: Tokenizer,
  chunk: ChunkOf,
  first?: (index: number) => unknown,
): Promise<void> {
  const rows = rowsOf(req);
  const deltas = rows.map(() => new TextDelta(tok, req.params.stop));
  startEvents(res);
  if (first) for (let i = 0; i < rows.length; i++) sendEvent(res, first(i));
  const { results } = await batcher.submit(rows, (row, token) => {
    const d = deltas[row]!.push(token);
    if (d !== "") sendEvent(res, chunk(row, d, null));
  });
  results.forEach((r, i) => {
    const d = deltas[i]!.finish();
    if (d !== "") sendEvent(res, chunk(i, d, null));
    sendEvent(res, chunk(i, null, finishReason(r)));
  });
  endEvents(res);
}
