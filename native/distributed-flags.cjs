// Prints the compile flags for c10d's backends, for binding.gyp: `defines` or `include_dirs`. Gloo needs
// gloo's headers matching the libtorch (Debian's libgloo-dev for Debian's libtorch; GLOO_INCLUDE for
// another libtorch, whose pip wheel ships none). NCCL needs a CUDA libtorch, nccl.h (NCCL_INCLUDE or the
// nvidia-nccl package beside a pip torch) and CUDA's headers (CUDA_HOME, /usr/local/cuda or nvcc's
// folder). A backend whose pieces are missing is left out of the build. NCCL's libraries (torch_cuda,
// c10_cuda) are the CUDA libtorch's own, which binding.gyp links after --no-as-needed.
const { existsSync } = require("node:fs");
const { execSync } = require("node:child_process");
const { dirname, join } = require("node:path");

const libtorch = process.env.LIBTORCH || "";
const first = (dirs, file) => dirs.find((d) => d && existsSync(join(d, file)));

const gloo = libtorch
  ? first([process.env.GLOO_INCLUDE], "gloo/config.h")
  : first(["/usr/include"], "gloo/config.h");

function nvccInclude() {
  try {
    return join(
      dirname(dirname(execSync("command -v nvcc", { shell: "/bin/sh" }).toString().trim())),
      "include",
    );
  } catch {
    return undefined;
  }
}
const c10dHeaders = libtorch ? join(libtorch, "include", "torch", "csrc", "distributed", "c10d") : "";
const cudaTorch =
  libtorch &&
  existsSync(join(libtorch, "lib", "libtorch_cuda.so")) &&
  existsSync(join(c10dHeaders, "ProcessGroupNCCL.hpp"));
const nccl = cudaTorch
  ? first([process.env.NCCL_INCLUDE, join(dirname(libtorch), "nvidia", "nccl", "include")], "nccl.h")
  : undefined;
const cuda = nccl
  ? first(
      [
        process.env.CUDA_HOME && join(process.env.CUDA_HOME, "include"),
        "/usr/local/cuda/include",
        nvccInclude(),
      ],
      "cuda.h",
    )
  : undefined;
const withNccl = Boolean(nccl && cuda);

const out = {
  defines: [gloo ? "USE_C10D_GLOO" : "", withNccl ? "USE_C10D_NCCL" : ""],
  include_dirs: [gloo && gloo !== "/usr/include" ? gloo : "", withNccl ? nccl : "", withNccl ? cuda : ""],
}[process.argv[2]];
if (!out)
  throw new Error(
    `distributed-flags.cjs: expected defines or include_dirs, got ${process.argv[2]}`,
  );
console.log(out.filter(Boolean).join(" "));
