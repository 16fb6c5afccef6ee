// Server-sent events as OpenAI streams them: `data: <json>` blocks, then `data: [DONE]`.
import type { ServerResponse } from "node:http";

export function startEvents(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...headers,
  });
}

export function sendEvent(res: ServerResponse, data: unknown): void {
  // A client that went away leaves a destroyed socket: nothing to write to.
  if (!res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
}

export function endEvents(res: ServerResponse): void {
  if (!res.destroyed) res.end("data: [DONE]\n\n");
}
