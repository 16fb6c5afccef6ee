# Sourced by bench/gpu/run.sh. On a machine without Node.js (the GPU machine), unpacks the kit that
# bench/gpu/pack.sh made (.gpu-kit, carried beside the working tree): Node and its headers into a temporary
# folder put first on PATH, the packages into node_modules/ and the built JavaScript into dist/.
if ! command -v node >/dev/null; then
  [ -d .gpu-kit ] || { echo "no Node.js here and no .gpu-kit: run bash bench/gpu/pack.sh and carry .gpu-kit" >&2; exit 1; }
  KITDIR="$(mktemp -d)"
  mkdir -p "$KITDIR/bin"
  xz -dc .gpu-kit/node.xz >"$KITDIR/bin/node"
  chmod +x "$KITDIR/bin/node"
  tar -C "$KITDIR" -xJf .gpu-kit/node-include.tar.xz
  tar -xJf .gpu-kit/node_modules.tar.xz
  tar -xJf .gpu-kit/dist.tar.xz
  export PATH="$KITDIR/bin:$PATH"
  echo "== Node $(node --version) from .gpu-kit"
fi
