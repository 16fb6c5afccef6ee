#!/usr/bin/env bash
# The README's test command: install what is missing, lint, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
npx biome check .
node scripts/run-tests.mjs "$@"
