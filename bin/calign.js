#!/usr/bin/env node
// The calign launcher: re-executes Node once with the engine's allocator settings, then runs the CLI.
import { spawnSync } from "node:child_process";
import { engineEnv } from "../scripts/engine-env.mjs";

const env = engineEnv();
if (env !== null) {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env,
  });
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
