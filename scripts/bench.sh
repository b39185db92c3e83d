#!/usr/bin/env bash
# Prints every speed table side by side with its peer (see docs/speed.md for the method):
#   1. GEMM native: attnlab's kernels vs single-thread OpenBLAS (Debian's libopenblas0-pthread)
#   2. GEMM wasm under node: attnlab's kernels vs tfjs-backend-wasm 4.22 (XNNPACK), single thread
# Installs only what is missing, into bench-local folders: OpenBLAS is unpacked into build/bench-deps/
# and loaded by path (never installed system-wide: that would change every torch run on the machine);
# tfjs comes from bench/wasm-peer/package-lock.json. Usage: scripts/bench.sh [rounds] [sample-ms]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
sample_ms=${2:-40}
root=$PWD

# OpenBLAS (pthread build, used with one thread), unpacked next to the build, not installed.
deps=$root/build/bench-deps
openblas=$deps/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
if [ ! -e "$openblas" ]; then
  echo "unpacking libopenblas0-pthread into build/bench-deps/"
  mkdir -p "$deps/debs"
  (cd "$deps/debs" && apt-get download libopenblas0-pthread >/dev/null 2>&1 ||
     { apt-get update -qq && apt-get download libopenblas0-pthread >/dev/null; })
  dpkg -x "$deps"/debs/libopenblas0-pthread_*.deb "$deps"
fi

# tfjs-backend-wasm for node, pinned by its own lock file.
peer=bench/wasm-peer
if ! cmp -s "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock" 2>/dev/null; then
  echo "installing tfjs-backend-wasm into bench/wasm-peer/"
  (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock"
fi

scripts/build.sh native bench_gemm >/dev/null
scripts/build.sh wasm bench_gemm_wasm >/dev/null

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
echo
OPENBLAS_NUM_THREADS=1 build/native/bench/bench_gemm --openblas "$openblas" --rounds "$rounds" --sample-ms "$sample_ms"
echo
node --no-experimental-fetch "$peer/gemm.mjs" build/wasm/bench/bench_gemm_wasm.cjs "$rounds" "$sample_ms"
