#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the WebAssembly module and the attnlab
# command, and says what it built.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
echo "building the WebAssembly module…"
scripts/build.sh wasm attnlab_web attnlab_node > build-wasm.log 2>&1 || { tail -40 build-wasm.log; exit 1; }
rm -f build-wasm.log
echo "built:"
for f in build/wasm/web/attnlab.mjs build/wasm/web/attnlab.wasm build/wasm/node/attnlab.cjs build/wasm/node/attnlab.wasm; do
  printf '  %-32s %8d bytes\n' "$f" "$(stat -c %s "$f")"
done
printf '  gemm kernel in wasm: %s\n' "$(node --no-experimental-fetch -e "require('./build/wasm/node/attnlab.cjs')().then(m => console.log(m.gemmKernel()))")"
