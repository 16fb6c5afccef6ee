#!/usr/bin/env bash
# The README's main-job command: install what is missing, then run calign's main job.
# (Until the embedded demo lands, that is the engine smoke run: a small MLP whose loss falls.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node bin/calign.js smoke "$@"
