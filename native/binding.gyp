# Builds calign's N-API addon over libtorch. By default it uses Debian's libtorch-dev (headers in
# /usr/include, libraries on the default path); set LIBTORCH to another libtorch (e.g. the `torch`
# directory of a pip wheel, possibly CUDA-enabled) to build against that one instead. c10d's Gloo and
# NCCL backends are compiled in when their headers are there (see distributed-flags.cjs). A CUDA
# libtorch's torch_cuda and c10_cuda are linked after --no-as-needed: without it the linker drops them
# (nothing references them by name) and CUDA is never registered (../shared/notes/gpu.md).
{
  "variables": {
    "libtorch%": "<!(node -p \"process.env.LIBTORCH || ''\")"
  },
  "targets": [
    {
      "target_name": "calign_native",
      "sources": [
        "src/addon.cc",
        "src/tensor.cc",
        "src/convert.cc",
        "src/creation.cc",
        "src/ops.cc",
        "src/layers.cc",
        "src/optim.cc",
        "src/generator.cc",
        "src/distributed.cc",
        "src/cuda.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "<!@(node distributed-flags.cjs include_dirs)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "_GLIBCXX_USE_CXX11_ABI=<!(node -p \"process.env.LIBTORCH_CXX11_ABI || '1'\")", "<!@(node distributed-flags.cjs defines)"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-ffp-contract=off", "-Wno-unused-parameter"],
      "conditions": [
        ["libtorch==''", {
          "include_dirs": ["/usr/include/torch/csrc/api/include"],
          "libraries": ["-ltorch", "-ltorch_cpu", "-lc10"]
        }, {
          "include_dirs": ["<(libtorch)/include", "<(libtorch)/include/torch/csrc/api/include"],
          "libraries": ["-L<(libtorch)/lib", "-Wl,-rpath,<(libtorch)/lib", "-Wl,--no-as-needed", "-ltorch", "-ltorch_cpu", "-lc10", "<!@(node -p \"const l = process.env.LIBTORCH; l && require('fs').existsSync(l + '/lib/libtorch_cuda.so') ? '-ltorch_cuda -lc10_cuda' : ''\")"]
        }]
      ]
    }
  ]
}
