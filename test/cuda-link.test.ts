// The addon's link line against a CUDA libtorch, checked without one: node-gyp configures
// native/binding.gyp against a stand-in pip `torch` folder (empty libraries and headers where the build
// looks for them), and the generated makefile's LIBS must put torch_cuda and c10_cuda after
// --no-as-needed, also when NCCL is found (a linker with --as-needed by default drops them otherwise,
// and CUDA is never registered: ../shared/notes/gpu.md).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function touch(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "");
}

/** LIBS and DEFS of the makefile node-gyp writes for a stand-in libtorch with the given pieces. */
function configure(pieces: { cuda: boolean; nccl: boolean }): { libs: string[]; defs: string } {
  const work = mkdtempSync(join(tmpdir(), "calign-cuda-link-"));
  try {
    const native = join(work, "native");
    mkdirSync(native);
    for (const f of ["binding.gyp", "distributed-flags.cjs"])
      copyFileSync(join(ROOT, "native", f), join(native, f));
    const torch = join(work, "site-packages", "torch");
    touch(join(torch, "lib", "libtorch.so"));
    if (pieces.cuda) {
      touch(join(torch, "lib", "libtorch_cuda.so"));
      touch(join(torch, "include", "torch", "csrc", "distributed", "c10d", "ProcessGroupNCCL.hpp"));
    }
    if (pieces.nccl) {
      touch(join(work, "site-packages", "nvidia", "nccl", "include", "nccl.h"));
      touch(join(work, "cuda", "include", "cuda.h"));
    }
    const nodeGyp = createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js");
    const r = spawnSync(
      process.execPath,
      [nodeGyp, "configure", `--nodedir=${dirname(dirname(process.execPath))}`],
      {
        cwd: native,
        encoding: "utf8",
        env: {
          ...process.env,
          LIBTORCH: torch,
          CUDA_HOME: join(work, "cuda"),
          NCCL_INCLUDE: "",
          NODE_PATH: join(ROOT, "node_modules"),
        },
      },
    );
    assert.equal(r.status, 0, `node-gyp configure:\n${r.stdout}\n${r.stderr}`);
    const mk = readFileSync(join(native, "build", "calign_native.target.mk"), "utf8");
    const libs =
      /^LIBS := \\\n([\s\S]*?)\n\n/m
        .exec(mk)?.[1]
        ?.split(/\s+\\?\s*/)
        .filter(Boolean) ?? [];
    return { libs, defs: /^DEFS_Release := \\\n([\s\S]*?)\n\n/m.exec(mk)?.[1] ?? "" };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test("a CUDA libtorch's torch_cuda and c10_cuda are linked after --no-as-needed, with NCCL or without", () => {
  for (const nccl of [false, true]) {
    const { libs, defs } = configure({ cuda: true, nccl });
    assert.equal(defs.includes("USE_C10D_NCCL"), nccl, `NCCL ${nccl}: ${defs}`);
    const at = (flag: string) => libs.indexOf(flag);
    for (const lib of ["-ltorch_cuda", "-lc10_cuda", "-ltorch", "-ltorch_cpu", "-lc10"]) {
      assert.ok(
        at(lib) > at("-Wl,--no-as-needed"),
        `NCCL ${nccl}: ${lib} after --no-as-needed in ${libs.join(" ")}`,
      );
    }
    assert.ok(at("-Wl,--no-as-needed") >= 0, libs.join(" "));
  }
});

test("a CPU-only libtorch links no CUDA library", () => {
  const { libs } = configure({ cuda: false, nccl: false });
  assert.ok(libs.includes("-ltorch_cpu"), libs.join(" "));
  assert.ok(!libs.some((l) => /^-l.*cuda/.test(l)), libs.join(" "));
});
