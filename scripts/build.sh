#!/usr/bin/env bash
# Builds one part of attnlab: scripts/build.sh native|wasm [cmake targets...]
#   native -> build/native (the attnlab command and the native test suite)
#   wasm   -> build/wasm   (the same test suite for node, and the embind module build/wasm/{web,node})
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:?usage: scripts/build.sh native|wasm [targets...]}
shift
jobs=$(nproc 2>/dev/null || echo 2)
# Under CI a compiler warning fails the build (-Werror); locally it stays a warning.
werror=OFF
if [ "${CI:-}" = true ]; then werror=ON; fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done

case "$part" in
  native)
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DATTNLAB_WERROR=$werror >/dev/null
    cmake --build build/native -j"$jobs" "${targets[@]}"
    ;;
  wasm)
    # Debian's emscripten runs its JS tools with the system node, which finds acorn only here.
    export NODE_PATH=/usr/share/nodejs
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DATTNLAB_WERROR=$werror >/dev/null
    cmake --build build/wasm -j"$jobs" "${targets[@]}"
    ;;
  *)
    echo "usage: scripts/build.sh native|wasm [targets...]" >&2
    exit 2
    ;;
esac
