#!/usr/bin/env bash
# Installs everything calign needs, idempotently: Debian packages (libtorch, gloo's headers for its
# distributed backend, OpenBLAS, jemalloc;
# PyTorch and NLTK for the parity tests and Chromium for the report test with --dev), npm packages,
# the native addon and the TypeScript build. Fast when everything is already there.
# With LIBTORCH set (a libtorch folder, or `auto`: the torch package of the active Python, e.g. a CUDA
# PyTorch on a GPU machine) the addon builds against that libtorch, and Debian's libtorch is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libjemalloc2)
if [ -z "${LIBTORCH:-}" ]; then APT_PACKAGES+=(libtorch-dev libgloo-dev libopenblas0-pthread); fi
if [ "${1:-}" = "--dev" ]; then APT_PACKAGES+=(python3-torch python3-nltk chromium); fi
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "calign install: apt packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install (it wipes node_modules).
stamp=node_modules/.calign-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
fi

npm run --silent build:native
npm run --silent build:ts
