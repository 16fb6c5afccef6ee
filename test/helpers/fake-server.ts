// A scripted HTTP server on a loopback port for client tests: each request is recorded and answered
// by the handler (status, JSON body, headers), or left hanging to test timeouts. A given port lets a
// test bring a "restarted" server back where the client expects it.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  headers: IncomingMessage["headers"];
}

export type FakeAnswer = { status?: number; body?: unknown; headers?: Record<string, string> } | "hang";

export interface FakeServer {
  /** http://127.0.0.1:port/v1 */
  baseURL: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function fakeServer(
  answer: (r: FakeRequest, i: number) => FakeAnswer,
  port = 0,
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    const r: FakeRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>),
      headers: req.headers,
    };
    requests.push(r);
    const a = answer(r, requests.length - 1);
    if (a === "hang") return;
    res.writeHead(a.status ?? 200, { "content-type": "application/json", ...a.headers });
    res.end(JSON.stringify(a.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
