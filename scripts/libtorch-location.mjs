// LIBTORCH=auto: the libtorch inside the `torch` package of the active Python ($PYTHON, else python3),
// with that wheel's C++ ABI, so one command builds the addon against a pip PyTorch (CUDA or not).
// Any other LIBTORCH (a folder, or unset for Debian's libtorch-dev) is left as it is.
import { spawnSync } from "node:child_process";

const PROBE =
  "import os, torch; print(os.path.dirname(torch.__file__)); print(int(torch._C._GLIBCXX_USE_CXX11_ABI))";

/** Replaces LIBTORCH=auto in env (in place) by the active Python's torch folder and its ABI. */
export function resolveLibtorch(env = process.env) {
  if (env.LIBTORCH !== "auto") return;
  const python = env.PYTHON || "python3";
  const r = spawnSync(python, ["-c", PROBE], { encoding: "utf8" });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr.trim().split("\n").at(-1) ?? `exit ${r.status}`);
    console.error(
      `calign: LIBTORCH=auto needs a Python with the torch package (${python}: ${why}); ` +
        "activate it or set PYTHON, or set LIBTORCH to a libtorch folder",
    );
    process.exit(1);
  }
  const [dir, abi] = r.stdout.trim().split("\n");
  env.LIBTORCH = dir;
  env.LIBTORCH_CXX11_ABI ??= abi;
  console.log(`calign: LIBTORCH=auto is ${dir} (${python}'s torch, C++11 ABI ${abi})`);
}
