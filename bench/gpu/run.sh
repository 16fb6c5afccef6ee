#!/usr/bin/env bash
# The GPU check in one command, for a machine with an NVIDIA GPU and a CUDA PyTorch (issue 11 item 7).
# NOT YET RUN ON A GPU: written on a CPU-only machine and dry-run there against a CPU pip torch
# (DEVICE=cpu: the same steps on tiny shapes); the build follows ../shared/notes/gpu.md.
#
#   PYTHON=python3 bash bench/gpu/run.sh            # on the GPU machine (no Node.js there: first run
#                                                   # bash bench/gpu/pack.sh here and carry .gpu-kit)
#   PYTHON=/path/venv/bin/python DEVICE=cpu bash bench/gpu/run.sh   # dry run, tiny shapes
#   SKIP=tests,demo ...                             # leave steps out: nccl tests layer lora generate demo
#   OUT=DIR ...                                     # also write everything printed to DIR/gpu-run.log
#
# 1. builds the addon against the libtorch inside $PYTHON's `torch` (LIBTORCH=auto: its folder and C++
#    ABI; torch_cuda and c10_cuda linked after --no-as-needed by native/binding.gyp), in native/build;
# 2. checks that calign sees CUDA and the fused attention kernel (calign --version);
# 3. checks NCCL with a 1-rank `calign launch -- dist-check --backend nccl` (the build finds nccl.h in the
#    nvidia-nccl package beside torch; multi-rank tests need Gloo, which a pip torch lacks: they skip);
#    then runs the device-generic tests on the device (CALIGN_TEST_DEVICE, test/helpers/test-device.ts): every
#    architecture against PyTorch, both attention paths, device placement, weights mapped onto the
#    device, generation, scoring, LoRA,
#    every trainer and loss, pretrain, the backends, serve, the stage commands, the pipeline on the tiny
#    model, peak memory, engineInfo; a failure is reported at the end, after the measurements;
# 4. one Llama-7B-shaped decoder layer, forward + backward, bf16, 1 × 2048 tokens: calign against
#    PyTorch eager (same math) and PyTorch with scaled_dot_product_attention, with the ratios;
# 5. the Llama-3-8B-shaped LoRA SFT step (with and without gradient checkpointing) and CAT step through
#    calign's trainer (bench/gpu/lora-8b.ts) and the same in PyTorch + PEFT (bench/gpu/lora_8b_torch.py;
#    plain PyTorch LoRA where peft is missing), and batched scoring of the 8 sequences on that model (no
#    grad): step time, tokens/s and peak memory of each, with calign's time as a multiple of PyTorch's
#    (target: <= 1/0.95; peak <= 1.1x; CAT within 80 GB);
# 6. KV-cached greedy generation (batch 1 and 32) and batched scoring of the ~100M model of
#    bench:generate, bfloat16 on the device, calign against PyTorch with SDPA (bench/generate.ts with
#    BENCH_DEVICE; no llama.cpp there);
# 7. times `calign demo --quick` (the embedded backend picks cuda:0 by itself: --device auto), or with
#    DEMO=full the full preset.
# A failing step is recorded and the later ones still run (each LoRA run and its PyTorch twin too: one
# out of memory loses only that run's figures); the script exits non-zero at the end. The tests get
# TEST_TIMEOUT seconds (default 300), so a hang cannot eat the device time the measurements need.
# Time on one H200, estimated from ../shared/notes/gpu.md and the CPU runs (none of it measured there
# yet): build ~30 s; tests ~2-3 min; decoder layer 3 processes ~20 s; LoRA ~1.5 min for calign (8B random
# weights drawn, then 4 + 4 + 4 steps of 0.6-1 s and the reference scores) and ~30 s for PyTorch;
# generation and scoring 5 processes of ~5 s start-up each plus ~10 s of work, ~40 s; demo --quick ~1 min.
# About 6-7 minutes in all, under the 10 of one device call; if the tests take longer there, split the
# run in two calls: SKIP=layer,lora,generate,demo, then SKIP=tests (the build is kept between calls).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  exec > >(tee -a "$OUT/gpu-run.log") 2>&1
fi
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
if grep -q "engine not loaded" <<<"$VERSION"; then echo "the addon built but does not load (above)" >&2; exit 1; fi
grep -q "fused attention" <<<"$VERSION" || { echo "calign's libtorch has no fused attention (libtorch < 2.1?)" >&2; exit 1; }
if [ "$DEVICE" != cpu ]; then
  grep -q "CUDA [0-9]" <<<"$VERSION" || { echo "calign's libtorch has no CUDA: the build did not link torch_cuda" >&2; exit 1; }
fi

failed=()
# Runs a measurement; a failure is recorded and reported at the end instead of stopping the script.
measure() {
  local name="$1"
  shift
  "$@" || { echo "!! $name failed (exit $?)" >&2; failed+=("$name"); }
}
# Whether a step is left out by SKIP (a comma-separated list of step names).
skipped() { [[ ",${SKIP:-}," == *",$1,"* ]] && echo "== $1: skipped (SKIP)"; }

if [ "$DEVICE" != cpu ] && ! skipped nccl; then
  # NCCL end to end on one GPU: all-reduce on cuda:0, the ranks' details gathered through it (issue 12).
  echo "== NCCL: calign dist-check as a 1-rank launch"
  measure "NCCL dist-check" node bin/calign.js launch --nproc-per-node 1 -- dist-check --backend nccl --timeout 60
fi

tests=0
if ! skipped tests; then
  echo "== device-generic tests on $DEVICE (at most ${TEST_TIMEOUT:-300} s)"
  # CALIGN_TORCH_PYTHON: the parity tests' PyTorch is this torch, not /usr/bin/python3's.
  CALIGN_TEST_DEVICE="$DEVICE" CALIGN_TORCH_PYTHON="$PYTHON" timeout "${TEST_TIMEOUT:-300}" \
    node scripts/run-tests.mjs helpers/test-device engine/device cli/version io/engine-tensor src/models/ src/train/ src/pretrain/ \
    src/backends/ src/serve/ src/align/ commands/stages.test || tests=$?
fi

RESOLVED="$(node -e 'import("./dist/src/engine/index.js").then((e) => console.log(e.resolveDevice(process.argv[1])))' "$DEVICE")" ||
  RESOLVED="$DEVICE"

echo "== decoder layer (Llama-7B shape), forward + backward, bf16, 1 x 2048 tokens: median ms"
decoder_layer() {
  ms() { "$@" | tail -1 | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["ms"])'; }
  local calign_ms eager_ms sdpa_ms
  calign_ms="$(ms node dist/bench/gpu/decoder-layer.js "$RESOLVED" 2048 $SIZE)" || return
  eager_ms="$(ms "$PYTHON" bench/gpu/decoder_layer.py "$RESOLVED" 2048 eager $SIZE)" || return
  sdpa_ms="$(ms "$PYTHON" bench/gpu/decoder_layer.py "$RESOLVED" 2048 sdpa $SIZE)" || return
  "$PYTHON" - "$calign_ms" "$eager_ms" "$sdpa_ms" <<'PY'
import sys
c, e, s = map(float, sys.argv[1:])
print(f"calign {c:.2f} ms; PyTorch eager {e:.2f} ms (calign {c / e:.2f}x its time); "
      f"PyTorch SDPA {s:.2f} ms (calign {c / s:.2f}x its time)")
PY
}
skipped layer || measure "decoder layer" decoder_layer

echo "== Llama-3-8B-shaped LoRA SFT and CAT steps and scoring (8 x 1024 tokens; CAT: 4 pairs), bf16 weights"
lora_8b() {
  local runs
  runs="$(mktemp -d)"
  echo "-- calign"
  node dist/bench/gpu/lora-8b.js "$RESOLVED" $SIZE | tee "$runs/calign" || return
  echo "-- PyTorch"
  "$PYTHON" bench/gpu/lora_8b_torch.py "$RESOLVED" $SIZE | tee "$runs/torch" || return
  "$PYTHON" - "$runs/calign" "$runs/torch" <<'PY'
import json, sys
calign, torch = ({r["run"]: r for r in map(json.loads, open(f)) if "run" in r} for f in sys.argv[1:])
gb = lambda x: "n/a" if x is None else f"{x:.1f} GB"
for name in dict.fromkeys([*calign, *torch]):
    c, t = calign.get(name, {"error": "no result"}), torch.get(name, {"error": "no result"})
    if "error" in c or "error" in t:
        said = lambda r: f"failed ({r['error']})" if "error" in r else f"{r['stepMs']} ms, peak {gb(r['peakGb'])}"
        print(f"{name}: calign {said(c)}; PyTorch {said(t)}")
        continue
    peaks = f"peak calign {gb(c['peakGb'])}, PyTorch {gb(t['peakGb'])}"
    if c["peakGb"] is not None and t["peakGb"] is not None:
        peaks += f" ({c['peakGb'] / t['peakGb']:.2f}x)"
    print(f"{name}: calign {c['stepMs']} ms ({c['tokensPerSecond']} tokens/s), PyTorch {t['stepMs']} ms "
          f"({t['tokensPerSecond']} tokens/s): calign {c['stepMs'] / t['stepMs']:.2f}x its time; {peaks}")
PY
  rm -rf "$runs"
}
skipped lora || measure "LoRA 8B" lora_8b

echo "== KV-cached greedy generation and batched scoring, calign against PyTorch (bench/generate.ts)"
if skipped generate; then
  :
elif [ "$DEVICE" = cpu ]; then
  measure "generation and scoring" env BENCH_DEVICE="$RESOLVED" BENCH_SIZES=10M BENCH_ROUNDS=1 BENCH_STEPS=1 \
    CALIGN_TORCH_PYTHON="$PYTHON" node dist/bench/generate.js
else
  measure "generation and scoring" env BENCH_DEVICE="$RESOLVED" BENCH_SIZES=100M BENCH_ROUNDS=1 \
    CALIGN_TORCH_PYTHON="$PYTHON" node dist/bench/generate.js
fi

if [ "$DEVICE" != cpu ] && ! skipped demo; then
  # DEMO=full times the full preset (5 seeds; issue 11's target: under 3 minutes) instead of --quick.
  demo_flags=(--quick)
  if [ "${DEMO:-quick}" = full ]; then demo_flags=(); fi
  echo "== calign demo ${demo_flags[*]:-(full preset)} (wall time)"
  demo() {
    local out start
    out="$(mktemp -d)"
    start=$SECONDS
    node bin/calign.js demo "${demo_flags[@]}" --output "$out" >/dev/null || return
    echo "calign demo ${demo_flags[*]:-(full preset)}: $((SECONDS - start)) s on $("$PYTHON" -c 'import torch; print(torch.cuda.get_device_name(0))')"
    rm -rf "$out"
  }
  measure "demo ${DEMO:-quick}" demo
fi

if [ "$tests" != 0 ]; then
  echo "== the device-generic tests failed (exit $tests): see above" >&2
fi
if [ "${#failed[@]}" != 0 ]; then
  echo "== these measurements failed: ${failed[*]} (see above)" >&2
fi
if [ "$tests" != 0 ]; then exit "$tests"; fi
if [ "${#failed[@]}" != 0 ]; then exit 1; fi
