#!/usr/bin/env node
// The calign launcher: re-executes Node once with the engine's allocator settings (jemalloc must be
// preloaded before the process starts), then runs the CLI. The launcher forwards signals to the real
// process and exits with its status, so Ctrl-C and `kill` reach the work and leave no orphan.
import { spawn } from "node:child_process";
import { engineEnv } from "../scripts/engine-env.mjs";

const env = engineEnv();
if (env !== null) {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env,
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  // Output piped into a reader that stops early (calign ... | head) ends the command quietly.
  process.stdout.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
  const { main } = await import("../dist/src/cli/main.js");
  process.exitCode = await main(process.argv.slice(2));
}
