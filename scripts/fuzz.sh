#!/usr/bin/env bash
# Fuzzes attnlab's readers of untrusted input with libFuzzer (Debian's clang, ASan + UBSan):
#   scripts/fuzz.sh [SECONDS]   each target of tests/fuzz for SECONDS (default 60; the test command
#                               uses a short run), after replaying every committed regression input.
# Targets: the safetensors reader, the text readers (UTF-8, tokenizers, codecs, bounded JSON), the
# bundle loader from memory, and translate() on small models.
# Seeds: tests/fuzz/corpus/<target>/ and the shipped bundles' files. Deep and wide inputs that the
# fuzzer's max_len never reaches (100 000 nested brackets, 20 000 tensors, whole shipped bundles,
# sentences at the length limit) are generated and run once each, whole, with the committed regressions.
# A crash leaves its input in build/fuzz/crashes/ and fails the run: fix the bug, then commit the
# input under tests/fuzz/regressions/<target>/ so that every later run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=build/fuzz
build=build/sanitize

CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTNLAB_SANITIZE=ON >/dev/null
targets=()
target_args=()
for src in tests/fuzz/fuzz_*.cpp; do
  targets+=("$(basename "$src" .cpp)")
  target_args+=(--target "$(basename "$src" .cpp)")
done
cmake --build "$build" -j"$(nproc)" "${target_args[@]}" >"$out.build.log" 2>&1 ||
  { tail -30 "$out.build.log"; echo "fuzz: build failed (see $out.build.log)"; exit 1; }

# Inputs no mutation of a small seed reaches: (first byte = the target's mode, see each target).
generate() {
  local dir=$1 target=$2 corpus=$3
  brackets() { head -c "$1" /dev/zero | tr '\0' "$2"; }
  case "$target" in
    fuzz_safetensors)
      { printf '\x01'; brackets 100000 '['; brackets 100000 ']'; } >"$dir/gen-deep-arrays"
      { printf '\x01{"a":'; for _ in $(seq 1 2000); do printf '{"a":'; done; printf '1'; brackets 2001 '}'; } >"$dir/gen-deep-objects"
      { printf '\x01{'; for i in $(seq 1 20000); do printf '"t%d":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},' "$i"; done; printf '"z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'; } >"$dir/gen-wide"
      for m in models/*/model.safetensors; do { printf '\x00'; head -c 4096 "$m"; } >"$dir/gen-$(basename "$(dirname "$m")")"; done
      ;;
    fuzz_text)
      { printf '\x04'; brackets 100000 '['; brackets 100000 ']'; } >"$dir/gen-deep-arrays"
      { printf '\x04{'; for i in $(seq 1 20000); do printf '"k%d":%d,' "$i" "$i"; done; printf '"z":0}'; } >"$dir/gen-wide"
      for v in models/*/vocab.json; do { printf '\x04'; cat "$v"; } >"$dir/gen-$(basename "$(dirname "$v")")"; done
      ;;
    fuzz_bundle)  # each shipped bundle whole (mode 0); its config.json and vocab.json also join the corpus (modes 1, 2)
      for m in models/*/; do
        name=$(basename "$m")
        /usr/bin/python3 -c 'import struct, sys
c, v, w = (open(sys.argv[1] + f, "rb").read() for f in ("config.json", "vocab.json", "model.safetensors"))
sys.stdout.buffer.write(b"\x00" + struct.pack("<I", len(c)) + c + struct.pack("<I", len(v)) + v + w)' "$m" >"$dir/gen-$name"
        { printf '\x01'; cat "$m/config.json"; } >"$corpus/shipped-config-$name"
        { printf '\x02'; cat "$m/vocab.json"; } >"$corpus/shipped-vocab-$name"
      done
      ;;
    fuzz_translate)  # the longest sentence each shipped model is trained on, on the models it fits
      /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(b"\x00\x05" + b" ".join([b"7"] * 200))' >"$dir/gen-long-digits"
      /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(b"\x01\x07" + b"x" * 999)' >"$dir/gen-long-chars"
      /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(b"\x02\x03" + b" ".join([b"a"] * 201))' >"$dir/gen-too-long"
      ;;
  esac
}

failed=0
for t in "${targets[@]}"; do
  corpus=$out/corpus/$t generated=$out/generated/$t
  rm -rf "$generated"
  mkdir -p "$corpus" "$generated" "$out/crashes"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  generate "$generated" "$t" "$corpus"
  whole=("$generated"/*)
  for r in tests/fuzz/regressions/"$t"/*; do [ -e "$r" ] && whole+=("$r"); done
  if ! "$build/tests/fuzz/$t" -timeout=30 -rss_limit_mb=2048 "${whole[@]}" >"$out/$t.whole.log" 2>&1; then
    tail -20 "$out/$t.whole.log"; echo "fuzz: $t fails on a generated or committed regression input"; failed=1; continue
  fi
  if "$build/tests/fuzz/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
       -artifact_prefix="$out/crashes/$t-" >"$out/$t.log" 2>&1; then
    echo "fuzz: $t: ${#whole[@]} deep/wide/regression inputs, then $(grep -oE '#[0-9]+' "$out/$t.log" | tail -1 | tr -d '#') runs in ${seconds} s, no crash"
  else
    tail -30 "$out/$t.log"; echo "fuzz: $t crashed; the input is in $out/crashes/"; failed=1
  fi
done
exit "$failed"
