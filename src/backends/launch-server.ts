// An inference server calign starts itself from a command template (for example
// `vllm serve {model} --port {port}`): run with the model path and a free port in a process group of
// its own, ready once `GET /v1/models` answers, and stopped with its whole group (vLLM's engine
// processes included) on stop(), when calign exits, and on SIGINT / SIGTERM, so no server outlives
// the run that started it. A server that exits early or is not ready in time fails with its log's tail.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { BackendSetupError } from "./backend-errors.js";

export interface LaunchOptions {
  /** A shell command with {port} and usually {model} and {host}, which are filled in quoted. */
  command: string;
  /** The model path (or name) for {model}. */
  modelPath: string;
  /** The address the server listens on, for {host} (default 127.0.0.1). */
  host?: string;
  /** How long loading may take before the server counts as failed (default 600 s). */
  readyTimeoutMs?: number;
  /** How long a stopping server may take before its group is killed (default 15 s). */
  stopTimeoutMs?: number;
  /** Sent as a bearer key while waiting for /v1/models (a server started with --api-key). */
  apiKey?: string | null;
  /** The server's environment (default: calign's). */
  env?: NodeJS.ProcessEnv;
}

export interface LaunchedServer {
  /** http://host:port/v1 */
  baseURL: string;
  /** Its process group's id. */
  pid: number;
  /** The last lines it wrote (standard output and error). */
  logTail(): string;
  /** SIGTERM to its group, SIGKILL after the stop timeout; resolves once the group is gone. */
  stop(): Promise<void>;
}

const LOG_TAIL_CHARS = 4000;
/** Servers still running, killed with their groups when calign exits or is interrupted. */
const running = new Set<ChildProcess>();

export async function launchServer(o: LaunchOptions): Promise<LaunchedServer> {
  if (!o.command.includes("{port}"))
    throw new BackendSetupError(
      `server command ${JSON.stringify(o.command)}: has no {port} placeholder, so calign cannot tell where it listens`,
    );
  const host = o.host ?? "127.0.0.1";
  const port = await freePort(host);
  const values: Record<string, string> = { model: o.modelPath, port: String(port), host };
  const command = o.command.replace(/\{(model|port|host)\}/g, (_, k: string) => shellQuote(values[k]!));
  const child = spawn("/bin/sh", ["-c", command], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: o.env ?? process.env,
  });
  let log = "";
  const append = (d: Buffer) => {
    log = (log + d.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once("spawn", () => resolve(true));
    child.once("error", () => resolve(false));
  });
  if (!spawned || child.pid === undefined)
    throw new BackendSetupError(`server command ${JSON.stringify(command)}: could not be started`);
  const pid = child.pid;
  running.add(child);
  watchProcessEnd();
  const baseURL = `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`;
  const server: LaunchedServer = {
    baseURL,
    pid,
    logTail: () => log,
    stop: async () => {
      if (!running.delete(child)) return;
      signalGroup(pid, "SIGTERM");
      const deadline = Date.now() + (o.stopTimeoutMs ?? 15_000);
      while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
      signalGroup(pid, "SIGKILL");
      while (groupAlive(pid)) await sleep(20);
    },
  };
  const failure = await waitReady(baseURL, o, exited);
  if (failure === null) return server;
  await server.stop();
  throw new BackendSetupError(
    `server command ${JSON.stringify(command)}: ${failure}; the last of its log:\n${log.trimEnd() || "(nothing)"}`,
  );
}

/** null once `GET /v1/models` answers 200, else why the server will not be ready. */
async function waitReady(baseURL: string, o: LaunchOptions, exited: Promise<string>): Promise<string | null> {
  const timeoutMs = o.readyTimeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  let exit: string | null = null;
  void exited.then((how) => {
    exit = how;
  });
  const headers: Record<string, string> = o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {};
  while (Date.now() < deadline) {
    if (exit !== null) return `exited with ${exit} before it was ready`;
    try {
      const res = await fetch(`${baseURL}/models`, { headers, signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return null;
    } catch {}
    await Promise.race([sleep(250), exited]);
  }
  return exit !== null
    ? `exited with ${exit} before it was ready`
    : `was not ready (GET ${baseURL}/models) within ${timeoutMs / 1000} s`;
}

let watching = false;

/** Once per process: servers die with calign, however it ends short of SIGKILL. */
function watchProcessEnd(): void {
  if (watching) return;
  watching = true;
  process.on("exit", () => {
    for (const c of running) signalGroup(c.pid!, "SIGKILL");
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = () => {
      // Alone, this handler would swallow the signal: stop the servers and die of it as usual. Beside
      // another handler (a command that saves and stops on Ctrl-C), that one decides, and close() or
      // the exit hook stops the servers.
      if (process.listenerCount(sig) > 1) return;
      for (const c of running) signalGroup(c.pid!, "SIGKILL");
      running.clear();
      process.off(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {}
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
