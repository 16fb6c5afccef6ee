// The layer order of docs/architecture.md, enforced: the diagram there is parsed (so the doc and this
// test cannot disagree), every import of every .ts file in src/ is read, and an import that goes up
// the order fails. The order is total (left to right, top to bottom), so two layers importing each
// other, or any longer cycle between layers, is always one upward import and fails too.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// Compiled to dist/test/, so the repository is two folders up.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The layer names of the first fenced block, in order: each line's leading `folder/` or `file.ts` words. */
function parseLayerOrder(markdown: string): string[] {
  const block = /```\n([\s\S]*?)```/.exec(markdown);
  if (block === null) throw new Error("no fenced diagram");
  return (block[1] as string)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      const words = line.trim().split(/\s+/);
      const end = words.findIndex((w) => !/^[\w-]+(\/|\.ts)$/.test(w));
      const names = words.slice(0, end === -1 ? words.length : end);
      if (names.length === 0) throw new Error(`diagram line names no layer: ${line.trim()}`);
      return names;
    });
}

/** Relative module specifiers of `import … from`, `export … from`, `import "…"` and `import("…")`. */
function relativeImports(source: string): string[] {
  const specs: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.[^"']*)["']/g))
    specs.push(m[1] as string);
  return specs;
}

/** A file's layer: its top folder under src/ (`align/`), or its own name for a file directly in src/. */
function layerOf(srcPath: string): string {
  const [first, ...rest] = srcPath.split("/");
  return rest.length === 0 ? (first as string) : `${first}/`;
}

/** Every import that goes up the order, as "importer → imported (layer → layer)". */
function upwardImports(order: readonly string[], files: ReadonlyMap<string, string>): string[] {
  const rank = new Map(order.map((name, i) => [name, i]));
  const found: string[] = [];
  for (const [path, source] of files) {
    const from = layerOf(path);
    for (const spec of relativeImports(source)) {
      const target = normalize(join(dirname(path), spec))
        .split(sep)
        .join("/");
      if (target.startsWith("../")) continue; // outside src/: the shared test helpers in test/
      const to = layerOf(target);
      if (from === to) continue;
      const [a, b] = [rank.get(from), rank.get(to)];
      if (a === undefined || b === undefined)
        found.push(`${path} → ${target}: ${a === undefined ? from : to} is not in the diagram`);
      else if (b < a) found.push(`${path} → ${target} (${to} is above ${from})`);
    }
  }
  return found;
}

function sourcesUnder(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourcesUnder(path, out);
    else if (entry.name.endsWith(".ts"))
      out.set(relative(join(ROOT, "src"), path).split(sep).join("/"), readFileSync(path, "utf8"));
  }
  return out;
}

test("the checker: parses the diagram, reads every import form, flags upward and unlisted imports", () => {
  const doc = "Layers:\n\n```\ncli/  index.ts     top\n\nalign/   the stages\nutil/\n```\n";
  assert.deepEqual(parseLayerOrder(doc), ["cli/", "index.ts", "align/", "util/"]);
  assert.deepEqual(
    relativeImports(
      'import { a } from "./a.js";\nexport * from "../b/index.js";\nimport "./c.js";\nconst d = await import("../d.js");\nimport { e } from "node:fs";',
    ),
    ["./a.js", "../b/index.js", "./c.js", "../d.js"],
  );
  const files = new Map([
    ["index.ts", 'export * from "./align/index.js";'],
    ["align/x.ts", 'import { y } from "./y.js";\nimport type { R } from "../util/random.js";'],
    ["align/deep/z.ts", 'import { x } from "../x.js";\nimport { f } from "../../../test/fixtures.js";'],
    ["util/random.ts", 'const m = await import("../align/x.js");'],
    ["util/other.ts", 'import { q } from "../serve/q.js";'],
  ]);
  assert.deepEqual(upwardImports(["cli/", "index.ts", "align/", "util/"], files), [
    "util/random.ts → align/x.js (align/ is above util/)",
    "util/other.ts → serve/q.js: serve/ is not in the diagram",
  ]);
});

test("src/ imports only down the layer order of docs/architecture.md", () => {
  const order = parseLayerOrder(readFileSync(join(ROOT, "docs", "architecture.md"), "utf8"));
  assert.equal(new Set(order).size, order.length, `a layer is listed twice: ${order.join(" ")}`);
  // Every diagram name exists (native/ is the C++ addon beside src/); every part of src/ is drawn.
  for (const name of order)
    assert.ok(existsSync(join(ROOT, "src", name)) || existsSync(join(ROOT, name)), `${name} does not exist`);
  const layers = new Set(
    readdirSync(join(ROOT, "src"), { withFileTypes: true }).map((e) =>
      layerOf(e.isDirectory() ? `${e.name}/x` : e.name),
    ),
  );
  assert.deepEqual(
    [...layers].filter((l) => !order.includes(l)),
    [],
    "parts of src/ missing from the diagram",
  );
  assert.deepEqual(upwardImports(order, sourcesUnder(join(ROOT, "src"))), []);
});
