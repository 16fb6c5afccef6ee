#!/usr/bin/env bash
# The README's main-job command: install what is missing, then run `calign demo` (the paper's
# experiment on the built-in task suite and base model; `--quick` for a 2-minute look). Extra
# arguments go to calign demo (see `node bin/calign.js demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node bin/calign.js demo "$@"
