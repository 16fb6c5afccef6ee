#!/usr/bin/env bash
# Packs into .gpu-kit/ (git-ignored) what the GPU machine lacks, for the device tool's `carry`: it has
# CUDA PyTorch, nvcc, g++ and Python but no Node.js and no network. The kit holds this machine's Node
# binary and headers (node-gyp builds the addon against them offline), the runtime packages and node-gyp,
# and the built JavaScript; bench/gpu/run.sh unpacks it when `node` is missing.
#
#   bash bench/gpu/pack.sh      then run:  bash bench/gpu/run.sh   with carry: [".gpu-kit"]
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE="$(readlink -f "$(command -v node)")"
NODEDIR="$(dirname "$(dirname "$NODE")")"
[ -f "$NODEDIR/include/node/node_api.h" ] || { echo "no Node headers under $NODEDIR/include/node" >&2; exit 1; }

npx tsc -p tsconfig.json
KIT=.gpu-kit
rm -rf "$KIT"
mkdir -p "$KIT"
xz -T0 -6 -c "$NODE" >"$KIT/node.xz"
tar -C "$NODEDIR" -cJf "$KIT/node-include.tar.xz" include/node
node bench/gpu/kit-packages.mjs | tar -cJf "$KIT/node_modules.tar.xz" -T -
tar -cJf "$KIT/dist.tar.xz" dist
du -sh "$KIT"/*
