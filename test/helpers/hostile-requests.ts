// Requests a well-behaved client would not send, for the serve limits test and the soak test: bodies
// too big, too deep or too long-listed, a body cut off by a disconnect, a body that never ends, and
// the server's resident memory read from /proc.
import { readFileSync } from "node:fs";
import { connect } from "node:net";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export async function post(url: string, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A JSON text nested `depth` arrays deep. */
export const deepJson = (depth: number) => `{"prompt": ${"[".repeat(depth)}${"]".repeat(depth)}}`;

/**
 * A POST whose headers promise `declared` bytes but which sends only `sent` of them, then either hangs
 * up (`hangUp`) or waits for whatever the server says. Resolves with the raw answer ("" if none).
 */
export function partialBody(port: number, declared: number, sent: number, hangUp: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
    socket.on("connect", () => {
      socket.write(
        `POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      socket.write(`{"prompt": "${"a".repeat(Math.max(0, sent - 13))}`);
      if (hangUp) socket.destroy();
    });
  });
}

/** Resident set size of a Linux process, in bytes (VmRSS of /proc/PID/status). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (m === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
