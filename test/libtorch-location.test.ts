// LIBTORCH=auto (scripts/libtorch-location.mjs), the GPU user's build command: the libtorch folder and
// C++ ABI come from the active Python's torch package. Checked against Debian's PyTorch, which answers
// the same questions itself, and with a Python that has no torch.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { PYTHON, torchUnavailable } from "./helpers/torch-python.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/libtorch-location.mjs", import.meta.url));

function resolve(env: NodeJS.ProcessEnv) {
  const code = `import(${JSON.stringify(SCRIPT)}).then(({ resolveLibtorch }) => { resolveLibtorch(); console.log(JSON.stringify({ dir: process.env.LIBTORCH, abi: process.env.LIBTORCH_CXX11_ABI })) })`;
  const { LIBTORCH_CXX11_ABI: _, ...rest } = process.env;
  return spawnSync(process.execPath, ["-e", code], { encoding: "utf8", env: { ...rest, ...env } });
}

test("LIBTORCH=auto is the torch package's folder and C++ ABI, as that Python's torch states them", (t) => {
  const why = torchUnavailable();
  if (why !== null) return t.skip(why);
  const r = resolve({ LIBTORCH: "auto", PYTHON });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
  const own = spawnSync(
    PYTHON,
    [
      "-c",
      "import torch, pathlib; print(pathlib.Path(torch.__file__).parent); print(torch.compiled_with_cxx11_abi())",
    ],
    { encoding: "utf8" },
  ).stdout.split("\n");
  assert.deepEqual(got, { dir: own[0], abi: own[1] === "True" ? "1" : "0" });
});

test("LIBTORCH=auto with a Python that has no torch exits 1 saying what to do; another LIBTORCH is kept", () => {
  const r = resolve({ LIBTORCH: "auto", PYTHON: "/bin/false" });
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /LIBTORCH=auto needs a Python with the torch package \(\/bin\/false: .*set LIBTORCH to a libtorch folder/,
  );
  const kept = resolve({ LIBTORCH: "/opt/libtorch" });
  assert.equal(kept.status, 0, kept.stderr);
  assert.deepEqual(JSON.parse(kept.stdout), { dir: "/opt/libtorch" });
});
