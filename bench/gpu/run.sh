#!/usr/bin/env bash
# The GPU check in one command, for a machine with an NVIDIA GPU and a CUDA PyTorch (issue 11 item 7).
# NOT YET RUN ON A GPU: written on a CPU-only machine; the steps follow ../shared/notes/gpu.md, measured
# by hand on an H200 with torch 2.11.0+cu130.
#
#   PYTHON=python3 bash bench/gpu/run.sh
#
# 1. builds the addon against the libtorch inside the active Python's `torch` (its C++ ABI; torch_cuda
#    and c10_cuda linked after --no-as-needed by native/binding.gyp), in native/build;
# 2. checks that calign sees CUDA (calign --version);
# 3. runs the device-generic tests on cuda (CALIGN_TEST_DEVICE=cuda, test/helpers/test-device.ts): every
#    architecture against PyTorch, device placement, generation, scoring, LoRA, every trainer and loss,
#    pretrain, the backends, serve, the stage commands and the pipeline on the tiny model;
# 4. times `calign demo --quick` (the embedded backend picks cuda:0 by itself: --device auto).
# Not written yet: the side-by-side measurements against PyTorch (+ PEFT) of the 8B-shaped LoRA SFT
# and CAT steps, batched scoring and KV-cached generation that item 7 asks for.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"

TORCH="$("$PYTHON" -c 'import os, torch; print(os.path.dirname(torch.__file__))')"
ABI="$("$PYTHON" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')"
"$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "this torch sees no GPU")'
echo "== building the addon against $TORCH (C++11 ABI $ABI)"
LIBTORCH="$TORCH" LIBTORCH_CXX11_ABI="$ABI" npm run --silent build:native
npx tsc -p tsconfig.json

echo "== calign --version"
VERSION="$(node bin/calign.js --version)"
echo "$VERSION"
grep -q "CUDA, " <<<"$VERSION" || { echo "calign's libtorch has no CUDA: the build did not link torch_cuda" >&2; exit 1; }

echo "== device-generic tests on cuda"
CALIGN_TEST_DEVICE=cuda node scripts/run-tests.mjs helpers/test-device src/models/ src/train/ src/pretrain/ \
  src/backends/ src/serve/ src/align/ commands/stages.test

echo "== calign demo --quick (wall time)"
OUT="$(mktemp -d)"
start=$SECONDS
node bin/calign.js demo --quick --output "$OUT" >/dev/null
echo "calign demo --quick: $((SECONDS - start)) s on $("$PYTHON" -c 'import torch; print(torch.cuda.get_device_name(0))')"
rm -rf "$OUT"
