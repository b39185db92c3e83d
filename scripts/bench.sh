#!/usr/bin/env bash
# Prints every speed table side by side with its peer (see docs/speed.md for the method):
#   gemm   GEMM natively: attnlab's kernels vs single-thread OpenBLAS (Debian's libopenblas0-pthread),
#          and in wasm under node: attnlab's kernels vs tfjs-backend-wasm 4.22 (XNNPACK), single thread
#   train  training tokens/s on the shipped Bahdanau GRU and Transformer configs, the same batches:
#          attnlab native, attnlab wasm under node, attnlab native with the 128-bit GEMM kernel only
#          (wasm's vector width), PyTorch + OpenBLAS, PyTorch + its reference BLAS
#   infer  CPU time per 10-token sentence, greedy, every shipped model: native, wasm, and native with
#          the 128-bit GEMM kernel only
#   all    all of the above (the default)
# With ATTNLAB_BASELINE=path/to/attnlab, also CPU seconds of one short `attnlab train` epoch against
# that other attnlab binary (e.g. one built from an older commit), interleaved.
# Installs only what is missing, into bench-local folders: OpenBLAS is unpacked into build/bench-deps/
# and loaded by path or LD_LIBRARY_PATH in the bench's own commands (never installed system-wide: that
# would change every torch run on the machine); tfjs comes from bench/wasm-peer/package-lock.json.
# Usage: [ATTNLAB_BASELINE=path/to/attnlab] scripts/bench.sh [gemm|train|infer|all] [rounds] [sample-ms]
set -euo pipefail
cd "$(dirname "$0")/.."
what=all
case "${1:-}" in
  gemm|train|infer|all) what=$1; shift ;;
  ''|[0-9]*) ;;
  *) echo "usage: scripts/bench.sh [gemm|train|infer|all] [rounds] [sample-ms]" >&2; exit 2 ;;
esac
rounds=${1:-5}
sample_ms=${2:-40}
root=$PWD
case "$what" in
  all) tables="native wasm train infer" ;;
  gemm) tables="native wasm" ;;
  *) tables=$what ;;
esac
[ -n "${ATTNLAB_BASELINE:-}" ] && tables+=" baseline"
want() { [[ " $tables " == *" $1 "* ]]; }

# OpenBLAS (pthread build, used with one thread), unpacked next to the build, not installed.
deps=$root/build/bench-deps
openblas=$deps/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
if [ ! -e "$openblas" ]; then
  echo "unpacking libopenblas0-pthread into build/bench-deps/"
  mkdir -p "$deps/debs"
  (
    cd "$deps/debs"
    if ! apt-get download libopenblas0-pthread >/dev/null 2>&1; then
      apt-get update -qq && apt-get download libopenblas0-pthread >/dev/null
    fi
  )
  dpkg -x "$deps"/debs/libopenblas0-pthread_*.deb "$deps"
fi

# tfjs-backend-wasm for node, pinned by its own lock file.
peer=bench/wasm-peer
if ! cmp -s "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock" 2>/dev/null; then
  echo "installing tfjs-backend-wasm into bench/wasm-peer/"
  (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock"
fi

quiet() {  # runs a command, showing its output only if it fails
  local log
  log=$(mktemp)
  "$@" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}
native_targets=() wasm_targets=()
if want native; then native_targets+=(bench_gemm); fi
if want wasm; then wasm_targets+=(bench_gemm_wasm); fi
if want train; then native_targets+=(bench_train bench_train_simd128) wasm_targets+=(bench_train); fi
if want infer; then native_targets+=(bench_infer bench_infer_simd128) wasm_targets+=(bench_infer); fi
if want baseline; then native_targets+=(attnlab); fi
if [ ${#native_targets[@]} -gt 0 ]; then quiet scripts/build.sh native "${native_targets[@]}"; fi
if [ ${#wasm_targets[@]} -gt 0 ]; then quiet scripts/build.sh wasm "${wasm_targets[@]}"; fi

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
if want native; then
  echo
  OPENBLAS_NUM_THREADS=1 build/native/bench/bench_gemm --openblas "$openblas" --rounds "$rounds" --sample-ms "$sample_ms"
fi
if want wasm; then
  echo
  node --no-experimental-fetch "$peer/gemm.mjs" build/wasm/bench/bench_gemm_wasm.cjs "$rounds" "$sample_ms"
fi
if want train; then
  echo
  OPENBLAS_DIR=$(dirname "$openblas") /usr/bin/python3 bench/model_tables.py train "$rounds"
fi
if want infer; then
  echo
  /usr/bin/python3 bench/model_tables.py infer "$rounds"
fi
want baseline || exit 0

# Training against another attnlab binary: the shipped configs (models/toy-en-fr-{bahdanau-gru,transformer}/config.json), one
# epoch of 3000 training pairs + the 1000 validation pairs, one thread. CPU time of the process.
echo
# shellcheck disable=SC2034  # gru and transformer are read through `declare -n args=$model` below
gru=(--task toy-en-fr --model bahdanau-gru --embedding 64 --hidden 96 --attention-size 96 --dropout 0.1
     --lr 0.002 --max-tokens 2000 --epochs 1 --train-size 3000 --seed 1 --quiet)
# shellcheck disable=SC2034
transformer=(--task toy-en-fr --model transformer --d-model 64 --heads 4 --layers 2 --ffn 256 --dropout 0.1
             --schedule noam --lr 1 --warmup 400 --label-smoothing 0.1 --max-tokens 2000 --epochs 1
             --train-size 3000 --seed 1 --quiet)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cpu_seconds() {  # user + system CPU seconds of one command
  local TIMEFORMAT='%U %S'
  { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{printf "%.2f", $1 + $2}'
}
binaries=("$root/build/native/attnlab")
names=(attnlab)
if [ -n "${ATTNLAB_BASELINE:-}" ]; then binaries+=("$ATTNLAB_BASELINE"); names+=(baseline); fi
echo "Training, native, one thread: CPU seconds for one epoch of 3000 toy-en-fr pairs + validation (median of $rounds, min-max)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${ATTNLAB_BASELINE:-}" ] && echo "baseline: $ATTNLAB_BASELINE"
for model in gru transformer; do
  declare -n args=$model
  results=()
  for ((r = 0; r < rounds; r++)); do
    for i in "${!binaries[@]}"; do
      results[i]+="$(cpu_seconds "${binaries[i]}" train "${args[@]}" --out "$scratch/$model-$i") "
    done
  done
  line=$(printf '%-12s' "$model")
  medians=()
  for i in "${!binaries[@]}"; do
    read -r med lo hi < <(tr ' ' '\n' <<<"${results[i]}" | grep . | sort -g |
      awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; print m, v[1], v[NR]}')
    medians+=("$med")
    line+=$(printf '  %s %6.2f s (%s-%s)' "${names[i]}" "$med" "$lo" "$hi")
  done
  [ ${#medians[@]} -eq 2 ] && line+=$(awk -v a="${medians[0]}" -v b="${medians[1]}" 'BEGIN {printf "  baseline/attnlab %.2fx", b / a}')
  echo "$line"
  unset -n args
done
