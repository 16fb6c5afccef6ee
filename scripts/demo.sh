#!/usr/bin/env bash
# The README's main-job command: install what is missing, then run `calign demo` (the paper's
# experiment on the built-in task suite and base model; `--quick` for a 3-minute look). Extra
# arguments go to calign demo (see `node bin/calign.js demo --help`).
# On two cores or more it runs as two data-parallel ranks of one thread each (calign launch): at the
# base model's size one process gains little from a second core (README, "Performance"). With a
# --device (a GPU) it runs as one process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
ranks=1
if [ "$(nproc)" -ge 2 ]; then ranks=2; fi
for arg in "$@"; do
  case "$arg" in --device | --device=*) ranks=1 ;; esac
done
node bin/calign.js launch --nproc-per-node "$ranks" -- demo "$@"
