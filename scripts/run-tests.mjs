// Runs every compiled test file (dist/**/*.test.js) under Node's built-in test runner.
// Node 20's `node --test` takes no glob, so we collect the files here.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { engineEnv } from "./engine-env.mjs";

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, out);
    else if (entry.name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = collect("dist", []).filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
files.sort();
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files], {
  stdio: "inherit",
  env: engineEnv() ?? process.env,
});
process.exit(result.status ?? 1);
