// Builds the libtorch addon with node-gyp against this Node's own headers (no header download),
// skipping the build when the sources and LIBTORCH are unchanged since the last one.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { resolveLibtorch } from "./libtorch-location.mjs";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const native = join(root, "native");
const out = join(native, "build", "Release", "calign_native.node");
const stampFile = join(native, "build", "calign-sources.sha256");

resolveLibtorch();
const hash = createHash("sha256");
for (const f of [
  "binding.gyp",
  "distributed-flags.cjs",
  ...readdirSync(join(native, "src"))
    .sort()
    .map((f) => join("src", f)),
]) {
  hash.update(f).update(readFileSync(join(native, f)));
}
hash
  .update(process.env.LIBTORCH ?? "")
  .update(process.env.LIBTORCH_CXX11_ABI ?? "")
  .update(process.version);
// The c10d backends found (installing libgloo-dev or NCCL's headers changes the build).
for (const kind of ["defines", "include_dirs"]) {
  const flags = spawnSync(process.execPath, [join(native, "distributed-flags.cjs"), kind], {
    encoding: "utf8",
  });
  hash.update(flags.stdout ?? "");
}
const stamp = hash.digest("hex");
if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) process.exit(0);

// node-gyp: the checkout's own (a dev dependency), else the one npm runs scripts with (an installed
// package has no dev dependencies, and npm passes its bundled node-gyp to install scripts).
function nodeGyp() {
  try {
    return createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js");
  } catch {
    if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
    console.error("calign: node-gyp not found; run `npm run build:native`, which provides npm's own");
    process.exit(1);
  }
}

const nodedir = dirname(dirname(process.execPath));
const args = ["rebuild", "--release", `--jobs=${Math.max(1, (await import("node:os")).cpus().length)}`];
if (existsSync(join(nodedir, "include", "node", "node.h"))) args.push(`--nodedir=${nodedir}`);
const gyp = nodeGyp();
console.log(`calign: building the libtorch addon (node-gyp ${args.join(" ")})`);
const r = spawnSync(process.execPath, [gyp, ...args], { cwd: native, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stampFile, stamp);
