#!/usr/bin/env node
// The calign launcher: re-executes Node once with the engine's allocator settings (jemalloc must be
// preloaded before the process starts), then runs the CLI. The launcher forwards signals to the real
// process and exits with its status, so Ctrl-C and `kill` reach the work. The two live and die
// together: the worker holds the read end of a pipe whose only write end is the launcher's, so when
// the launcher dies by any means (kill -9 included) the worker reads end-of-file and exits, instead
// of finishing the run as an orphan beside a rerun.
import { spawn } from "node:child_process";
import { Socket } from "node:net";
import { engineEnv } from "../scripts/engine-env.mjs";

/** The worker's end of the launcher's lifeline (see above). */
const LIFELINE_FD = 3;

const env = engineEnv();
if (env !== null) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "pipe"],
    env: { ...env, CALIGN_LIFELINE_FD: String(LIFELINE_FD) },
  });
  // Nothing is ever written; the pipe must not keep the launcher's event loop alive by itself.
  child.stdio[LIFELINE_FD].unref();
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  const lifeline = process.env.CALIGN_LIFELINE_FD;
  if (lifeline !== undefined) {
    // Commands this process starts are not the launcher's workers.
    delete process.env.CALIGN_LIFELINE_FD;
    const pipe = new Socket({ fd: Number(lifeline), readable: true, writable: false });
    // As abrupt as the launcher's end: no waiting for a worker thread's step; every file calign
    // writes is atomic, and a rerun takes over the lock and sweeps the temporary files left behind.
    const orphaned = () => process.kill(process.pid, "SIGKILL");
    pipe.on("end", orphaned).on("error", orphaned).unref();
    pipe.resume();
  }
  // Output piped into a reader that stops early (calign ... | head) ends the command quietly.
  process.stdout.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
  const { main } = await import("../dist/src/cli/main.js");
  process.exitCode = await main(process.argv.slice(2));
}
