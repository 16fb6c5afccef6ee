// Commands load only their own modules, and libtorch loads on the first tensor: commands that need no
// tensors must not load it (it costs every invocation ~0.5 s and ~170 MB), while running a model does.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const main = new URL("./main.js", import.meta.url).href;

/** Runs `calign <args>` in a fresh Node and reports whether libtorch got mapped into the process. */
function loadsLibtorch(args: string[]): boolean {
  const script = `
    const { main } = await import(${JSON.stringify(main)});
    const { readFileSync } = await import("node:fs");
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    const code = await main(${JSON.stringify(args)});
    write(JSON.stringify({ code, libtorch: readFileSync("/proc/self/maps", "utf8").includes("libtorch") }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { code: number; libtorch: boolean };
  assert.equal(out.code, 0);
  return out.libtorch;
}

test("calign tasks, rouge, metrics and check run without loading libtorch", () => {
  assert.equal(loadsLibtorch(["tasks", "list"]), false);
  assert.equal(loadsLibtorch(["rouge", "--help"]), false);
  assert.equal(loadsLibtorch(["metrics", "--help"]), false);
  assert.equal(loadsLibtorch(["check", "--help"]), false);
});

test("a model command's help loads no libtorch; running the model does (the check above can tell)", () => {
  assert.equal(loadsLibtorch(["generate", "--help"]), false);
  const model = fileURLToPath(new URL("../../../models/base", import.meta.url));
  assert.equal(loadsLibtorch(["generate", "--model", model, "--max-tokens", "1", "hi"]), true);
});
