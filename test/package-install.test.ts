// The package as users get it: `npm pack`, `npm install` of the tarball into an empty folder (where
// libtorch is not found, so the install step only says how to build the addon), then every example
// of docs/library.md, extracted from the page, type-checked against the installed declarations and
// run there as written. The HTTP example talks to a real `calign serve` started from this checkout.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ServeProcess, startServe } from "./helpers/serve-process.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "calign-pack-"));
const app = join(work, "app");
let serve: ServeProcess;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** The ```js code blocks of docs/library.md, in order. */
function examples(): string[] {
  const page = readFileSync(join(ROOT, "docs", "library.md"), "utf8");
  return [...page.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

let installLog = "";
before(async () => {
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], ROOT));
  const tarball = join(work, packed.filename);
  mkdirSync(app);
  // npm runs a dependency's install script only when the project allows it; this is the entry
  // `npm install-scripts approve` writes for a tarball.
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "app",
      private: true,
      type: "module",
      allowScripts: { [`file:${tarball}`]: true },
    }),
  );
  installLog = run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--foreground-scripts", tarball],
    app,
    { ...process.env, LIBTORCH: join(work, "no-libtorch") },
  );
  serve = await startServe(join(ROOT, "models", "base"));
});

after(async () => {
  await serve?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("the installed package has no node-llama-cpp and no addon, and its install step says how to build it", (t) => {
  const modules = join(app, "node_modules");
  assert.ok(existsSync(join(modules, "calign", "dist", "src", "index.js")));
  assert.ok(!existsSync(join(modules, "node-llama-cpp")), "node-llama-cpp is a dev dependency");
  assert.ok(!existsSync(join(modules, "calign", "native", "build")));
  assert.match(installLog, /calign: libtorch not found .*no-libtorch.*npm run build:native/);
  assert.deepEqual(
    readdirSync(join(modules, "calign", "dist", "src"), { recursive: true }).filter((f) =>
      String(f).includes(".test."),
    ),
    [],
    "no test files in the tarball",
  );
  t.diagnostic(`installed size: ${(sizeOf(modules) / 2 ** 20).toFixed(1)} MiB`);
});

test("docs/library.md's examples type-check against the installed package and run as written", () => {
  const files = examples().map((code, i) => {
    const file = `example-${i + 1}.mjs`;
    writeFileSync(join(app, file), code);
    return file;
  });
  assert.ok(files.length >= 7, `examples found: ${files.length}`);
  // JavaScript checked as TypeScript (strict, parameters of local helpers may stay untyped).
  const types = join(ROOT, "node_modules", "@types");
  run(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      ...["--noEmit", "--allowJs", "--checkJs", "--strict", "--noImplicitAny", "false", "--skipLibCheck"],
      ...["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"],
      ...["--types", "node", "--typeRoots", types, ...files],
    ],
    app,
  );
  for (const file of files)
    run(process.execPath, [file], app, {
      ...process.env,
      OPENAI_BASE_URL: `${serve.url}/v1`,
      OPENAI_MODEL: "base",
    });
});
