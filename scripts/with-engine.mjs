// Runs a Node script under the engine environment (jemalloc etc.): node scripts/with-engine.mjs file.js [args]
import { spawnSync } from "node:child_process";
import { engineEnv } from "./engine-env.mjs";

const [script, ...args] = process.argv.slice(2);
if (!script) {
  process.stderr.write("usage: node scripts/with-engine.mjs <script.js> [args...]\n");
  process.exit(2);
}
const r = spawnSync(process.execPath, [script, ...args], {
  stdio: "inherit",
  env: engineEnv() ?? process.env,
});
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 1);
