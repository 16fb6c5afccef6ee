// calign's OpenAI-compatible HTTP server (node:http, no framework) over the embedded backend:
// /v1/models, /v1/completions, /v1/chat/completions, and the server-level /tokenize, /detokenize
// (vLLM's shapes) and /apply-template (llama.cpp's) that the HTTP backend uses for exact scoring.
// Model requests beyond --max-queue get 429; generation joins the shared batches of the Batcher.
// Every limit (limits.ts) holds before work is spent: slow clients time out, the body's size and JSON
// depth are checked before it is parsed, counts and tokens before anything is queued.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmbeddedBackend } from "../backends/embedded-backend.js";
import { type ChatMessage, encodeChat, renderChatTemplate } from "../tokenizers/index.js";
import { Batcher } from "./batcher.js";
import { chatCompletions, completions, type Reply, type ServeContext } from "./completions.js";
import { jsonDeeperThan } from "./json-depth.js";
import type { ServeLimits } from "./limits.js";
import { badField, RequestError } from "./request-error.js";
import { type Body, optionalBoolean } from "./request-fields.js";

export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Clients must send `Authorization: Bearer <key>` (not for /health); null = open. */
  apiKey: string | null;
  limits: ServeLimits;
}

export interface RunningServer {
  server: Server;
  /** http://host:port */
  url: string;
  /** Stops accepting, finishes the requests in flight, frees the model. */
  shutdown(): Promise<void>;
}

/** Statuses that tell the client the server is busy, not that the request is wrong. */
const RETRY_LATER = new Set([429, 503]);

export async function startServer(backend: EmbeddedBackend, opts: ServeOptions): Promise<RunningServer> {
  const { limits } = opts;
  const ctx: ServeContext = {
    backend,
    limits,
    batcher: new Batcher(backend.worker, limits["max-batch"], limits["queue-timeout"] * 1000),
    info: {
      id: backend.modelId,
      tokenizer: backend.tokenizer,
      maxContext: backend.worker.info.maxPositions,
      vocabSize: backend.worker.info.vocabSize,
    },
  };
  let modelRequests = 0;
  let closing = false;
  const inFlight = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply: Reply = (status, body, headers = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/health") return reply(200, { status: closing ? "shutting down" : "ok" });
      if (closing) throw new RequestError(503, "the server is shutting down");
      if (opts.apiKey !== null && req.headers.authorization !== `Bearer ${opts.apiKey}`)
        throw new RequestError(401, "missing or wrong API key (send Authorization: Bearer <key>)");
      const route = ROUTES[path];
      if (route === undefined) throw new RequestError(404, `no such endpoint: ${path}`);
      if (req.method !== route.method)
        throw new RequestError(405, `${path} takes ${route.method}, not ${req.method}`, null);
      const body = route.method === "POST" ? await readBody(req, limits) : {};
      if ("json" in route) return reply(200, route.json(ctx, body));
      if (modelRequests >= limits["max-queue"])
        throw new RequestError(429, `the queue is full (${limits["max-queue"]} requests); retry later`);
      modelRequests++;
      try {
        await route.generate(ctx, body, res, reply);
      } finally {
        modelRequests--;
      }
    } catch (err) {
      const e = err instanceof RequestError ? err : new RequestError(500, (err as Error).message);
      if (e.status === 500) process.stderr.write(`calign serve: ${(err as Error).stack ?? e.message}\n`);
      if (res.headersSent) res.destroy();
      else reply(e.status, e.body(), RETRY_LATER.has(e.status) ? { "retry-after": "1" } : {});
    }
  };

  // Slow clients: Node answers 408 and closes once the headers or the whole request take too long;
  // it checks every connectionsCheckingInterval ms, so that is kept well below both timeouts.
  const server = createServer({
    headersTimeout: limits["headers-timeout"] * 1000,
    requestTimeout: Math.max(limits["headers-timeout"], limits["body-timeout"]) * 1000,
    connectionsCheckingInterval: Math.min(1000, (limits["headers-timeout"] * 1000) / 4),
  });
  server.on("request", (req, res) => {
    const p = handle(req, res);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${host}:${port}`,
    async shutdown() {
      closing = true;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      await ctx.batcher.idle();
      server.closeAllConnections();
      await closed;
      await backend.close();
    },
  };
}

/** A JSON answer computed at once, or generation (queued, counted against --max-queue). */
type Route =
  | { method: "GET" | "POST"; json: (ctx: ServeContext, body: Body) => unknown }
  | { method: "POST"; generate: typeof completions };

const ROUTES: Record<string, Route> = {
  "/v1/models": {
    method: "GET",
    json: (ctx) => ({
      object: "list",
      data: [
        {
          id: ctx.info.id,
          object: "model",
          created: 0,
          owned_by: "calign",
          max_model_len: ctx.info.maxContext,
        },
      ],
    }),
  },
  "/v1/completions": { method: "POST", generate: completions },
  "/v1/chat/completions": { method: "POST", generate: chatCompletions },
  "/tokenize": { method: "POST", json: tokenize },
  "/detokenize": { method: "POST", json: detokenize },
  "/apply-template": {
    method: "POST",
    json: (ctx, body) => ({
      prompt: renderChatTemplate(ctx.info.tokenizer, messagesOf(ctx, body), generationPrompt(body)),
    }),
  },
};

function tokenize(ctx: ServeContext, body: Body) {
  const tok = ctx.info.tokenizer;
  let tokens: number[];
  if (body.messages !== undefined) tokens = encodeChat(tok, messagesOf(ctx, body), generationPrompt(body));
  else if (typeof body.prompt === "string") {
    tokens = tok.encode(body.prompt, { addSpecialTokens: optionalBoolean(body, "add_special_tokens", true) });
  } else throw badField("prompt", 'expected a string (or give "messages")');
  return { tokens, count: tokens.length, max_model_len: ctx.info.maxContext };
}

function detokenize(ctx: ServeContext, body: Body) {
  const t = body.tokens;
  if (!Array.isArray(t) || !t.every((x) => Number.isInteger(x) && x >= 0 && x < ctx.info.vocabSize))
    throw badField("tokens", `expected a list of token ids in 0..${ctx.info.vocabSize - 1}`);
  return { prompt: ctx.info.tokenizer.decode(t as number[]) };
}

function messagesOf(ctx: ServeContext, body: Body): ChatMessage[] {
  if (ctx.info.tokenizer.chatTemplate === undefined)
    throw new RequestError(400, `the model ${ctx.info.id} has no chat template`, "messages");
  const m = body.messages;
  if (!Array.isArray(m) || !m.every((x) => typeof x?.role === "string" && typeof x?.content === "string"))
    throw badField("messages", "expected a list of {role, content} strings");
  return m as ChatMessage[];
}

function generationPrompt(body: Body): { addGenerationPrompt: boolean } {
  return { addGenerationPrompt: optionalBoolean(body, "add_generation_prompt", true) };
}

/** The body as a JSON object: its size checked as it arrives, its depth before it is parsed. */
async function readBody(req: IncomingMessage, limits: ServeLimits): Promise<Body> {
  const max = limits["max-body-bytes"];
  const tooLarge = () => new RequestError(413, `the body exceeds ${max} bytes (--max-body-bytes)`, "body");
  if (Number(req.headers["content-length"] ?? 0) > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > max) throw tooLarge();
      chunks.push(c as Buffer);
    }
  } catch (err) {
    if (err instanceof RequestError) throw err;
    // The client went away mid-body: nobody is left to answer, and nothing is wrong with the server.
    throw new RequestError(400, "body: the client closed the connection before sending all of it", "body");
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (jsonDeeperThan(text, limits["max-json-depth"]))
    throw new RequestError(
      400,
      `body: nested deeper than the server's limit of ${limits["max-json-depth"]} (--max-json-depth)`,
      "body",
    );
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RequestError(400, "body: not valid JSON", "body");
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new RequestError(400, "body: expected a JSON object", "body");
  return v as Body;
}
