#!/usr/bin/env bash
# The GPU check in one command, for a machine with an NVIDIA GPU and a CUDA PyTorch (issue 11 item 7).
# NOT YET RUN ON A GPU: written on a CPU-only machine and dry-run there against a CPU pip torch
# (DEVICE=cpu: the same steps on tiny shapes); the build follows ../shared/notes/gpu.md.
#
#   PYTHON=python3 bash bench/gpu/run.sh            # on the GPU machine (no Node.js there: first run
#                                                   # bash bench/gpu/pack.sh here and carry .gpu-kit)
#   PYTHON=/path/venv/bin/python DEVICE=cpu bash bench/gpu/run.sh   # dry run, tiny shapes
#
# 1. builds the addon against the libtorch inside $PYTHON's `torch` (LIBTORCH=auto: its folder and C++
#    ABI; torch_cuda and c10_cuda linked after --no-as-needed by native/binding.gyp), in native/build;
# 2. checks that calign sees CUDA and the fused attention kernel (calign --version);
# 3. runs the device-generic tests on the device (CALIGN_TEST_DEVICE, test/helpers/test-device.ts): every
#    architecture against PyTorch, both attention paths, device placement, generation, scoring, LoRA,
#    every trainer and loss, pretrain, the backends, serve, the stage commands, the pipeline on the tiny
#    model, peak memory, engineInfo; a failure is reported at the end, after the measurements;
# 4. one Llama-7B-shaped decoder layer, forward + backward, bf16, 1 × 2048 tokens: calign against
#    PyTorch eager (same math) and PyTorch with scaled_dot_product_attention, with the ratios;
# 5. the Llama-3-8B-shaped LoRA SFT step (with and without gradient checkpointing) and CAT step through
#    calign's trainer: step time, tokens/s, memory/max_allocated_gb (target: CAT within 80 GB);
# 6. times `calign demo --quick` (the embedded backend picks cuda:0 by itself: --device auto).
# Not written yet: the PyTorch + PEFT side of step 5 (../shared/notes/gpu.md has its figures from one
# H200), batched scoring and KV-cached generation side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/gpu/use-kit.sh
PYTHON="${PYTHON:-python3}"
DEVICE="${DEVICE:-cuda}"
SIZE=""
if [ "$DEVICE" = cpu ]; then SIZE=tiny; fi

if [ "$DEVICE" != cpu ]; then
  "$PYTHON" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "this torch sees no GPU")'
fi
echo "== building the addon against $PYTHON's torch"
PYTHON="$PYTHON" LIBTORCH=auto node scripts/build-native.mjs
# The kit brings dist/ built; a machine with the checkout's packages builds it here.
if [ -x node_modules/.bin/tsc ]; then node_modules/.bin/tsc -p tsconfig.json; fi

echo "== calign --version"
VERSION="$(node bin/calign.js --version)"
echo "$VERSION"
grep -q "fused attention" <<<"$VERSION" || { echo "calign's libtorch has no fused attention (libtorch < 2.1?)" >&2; exit 1; }
if [ "$DEVICE" != cpu ]; then
  grep -q "CUDA [0-9]" <<<"$VERSION" || { echo "calign's libtorch has no CUDA: the build did not link torch_cuda" >&2; exit 1; }
fi

echo "== device-generic tests on $DEVICE"
tests=0
CALIGN_TEST_DEVICE="$DEVICE" node scripts/run-tests.mjs helpers/test-device engine/device cli/version src/models/ \
  src/train/ src/pretrain/ src/backends/ src/serve/ src/align/ commands/stages.test || tests=$?

echo "== decoder layer (Llama-7B shape), forward + backward, bf16, 1 x 2048 tokens: median ms"
RESOLVED="$(node -e 'import("./dist/src/engine/index.js").then((e) => console.log(e.resolveDevice(process.argv[1])))' "$DEVICE")"
ms() { "$@" | tail -1 | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["ms"])'; }
calign_ms="$(ms node dist/bench/gpu/decoder-layer.js "$RESOLVED" 2048 $SIZE)"
eager_ms="$(ms "$PYTHON" bench/gpu/decoder_layer.py "$RESOLVED" 2048 eager $SIZE)"
sdpa_ms="$(ms "$PYTHON" bench/gpu/decoder_layer.py "$RESOLVED" 2048 sdpa $SIZE)"
"$PYTHON" - "$calign_ms" "$eager_ms" "$sdpa_ms" <<'PY'
import sys
c, e, s = map(float, sys.argv[1:])
print(f"calign {c:.2f} ms; PyTorch eager {e:.2f} ms (calign {c / e:.2f}x its time); "
      f"PyTorch SDPA {s:.2f} ms (calign {c / s:.2f}x its time)")
PY

echo "== Llama-3-8B-shaped LoRA SFT and CAT steps (8 x 1024 tokens; CAT: 4 pairs), bf16 weights"
node dist/bench/gpu/lora-8b.js "$RESOLVED" $SIZE

if [ "$DEVICE" != cpu ]; then
  echo "== calign demo --quick (wall time)"
  OUT="$(mktemp -d)"
  start=$SECONDS
  node bin/calign.js demo --quick --output "$OUT" >/dev/null
  echo "calign demo --quick: $((SECONDS - start)) s on $("$PYTHON" -c 'import torch; print(torch.cuda.get_device_name(0))')"
  rm -rf "$OUT"
fi

if [ "$tests" != 0 ]; then
  echo "== the device-generic tests failed (exit $tests): see above" >&2
  exit "$tests"
fi
