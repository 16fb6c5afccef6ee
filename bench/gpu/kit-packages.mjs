// Lists, one per line, the node_modules folders the GPU machine needs: the runtime dependencies and
// node-gyp (which builds the addon there), each with its own dependencies, found from package.json files.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..", "..");
const manifest = (dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));

// Node's resolution: the package's own node_modules first, then each folder above it.
function locate(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(root, candidate, "package.json"))) return candidate;
    if (dir === "." || dir === "") throw new Error(`${name} (needed by ${from}) is not installed`);
  }
}

const found = new Set();
function visit(name, from) {
  const dir = locate(name, from);
  if (found.has(dir)) return;
  found.add(dir);
  const m = manifest(dir);
  for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) {
    try {
      visit(dep, dir);
    } catch (err) {
      if (!(m.optionalDependencies && dep in m.optionalDependencies)) throw err;
    }
  }
}

for (const dep of [...Object.keys(manifest(".").dependencies), "node-gyp"]) visit(dep, ".");
process.stdout.write(`${[...found].sort().join("\n")}\n`);
