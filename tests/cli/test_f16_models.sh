#!/usr/bin/env bash
# Every bundle of models/ and F16 (`attnlab convert --dtype f16`, half the download), on every example of
# its task's test split (`attnlab eval --json --outputs`):
# - a float32 bundle: convert --check writes the F16 bundle exactly when every greedy output stays the
#   same, and otherwise refuses, naming as many changed outputs as eval finds, and writes nothing;
# - an F16 bundle (shipped so because its check passed): converting it to F16 again is a no-op (the same
#   bytes), to float32 and back to F16 gives the same bytes again, and convert --check passes from its
#   float32 form;
# - either way, the figures of its committed eval.json are those `attnlab eval` gives on its weights.
# Prints, per model, the dtype, the sizes and how many outputs change. Usage:
#   test_f16_models.sh path/to/attnlab path/to/models
set -u
bin=${1:?usage: test_f16_models.sh ATTNLAB MODELS}
models=${2:?usage: test_f16_models.sh ATTNLAB MODELS}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
# the dtype of every tensor of a safetensors file: F32, F16, or "mixed"
dtype_of() {
  /usr/bin/env python3 - "$1" <<'PY'
import json, struct, sys
f = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', f[:8])[0]
kinds = {v['dtype'] for k, v in json.loads(f[8:8 + n]).items() if k != '__metadata__'}
print(kinds.pop() if len(kinds) == 1 else 'mixed')
PY
}
for dir in "$models"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/config.json" ] || continue
  dtype=$(dtype_of "$dir/model.safetensors")
  rm -rf "${work:?}"/*
  "$bin" eval --model "$dir" --json --outputs > "$work/shipped.json" 2> "$work/eval.err"
  if [ "$dtype" = F16 ]; then
    "$bin" convert --dtype f16 --model "$dir" --out "$work/again" > "$work/convert.out" 2>&1
    "$bin" convert --dtype f32 --model "$dir" --out "$work/f32" >> "$work/convert.out" 2>&1
    "$bin" convert --dtype f16 --check --model "$work/f32" --out "$work/checked" > "$work/check.out" 2> "$work/check.err"
    check_code=$?
  else
    "$bin" convert --dtype f16 --model "$dir" --out "$work/f16" > "$work/convert.out" 2>&1
    "$bin" convert --dtype f16 --check --model "$dir" --out "$work/checked" > "$work/check.out" 2> "$work/check.err"
    check_code=$?
    "$bin" eval --model "$work/f16" --json --outputs > "$work/f16.json" 2>> "$work/eval.err"
  fi
  if /usr/bin/env python3 - "$work" "$name" "$dir" "$dtype" "$check_code" <<'PY'
import json, os, sys
work, name, src, dtype, code = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
weights = lambda d: open(f'{d}/model.safetensors', 'rb').read()
shipped = json.load(open(f'{work}/shipped.json'))
committed = json.load(open(f'{src}/eval.json'))
outputs = shipped.pop('outputs')
for key in set(shipped) | set(committed):  # every figure; "model" is the path eval was given
    assert key == 'model' or shipped.get(key) == committed.get(key), (key, shipped.get(key), committed.get(key))
err = open(f'{work}/check.err').read()
checked = f'{work}/checked'
if dtype == 'F16':
    assert weights(f'{work}/again') == weights(src), 'F16 -> F16 changed the bytes'
    assert len(weights(f'{work}/f32')) > 1.9 * len(weights(src))
    assert code == 0 and err == '', (code, err)
    assert weights(checked) == weights(src), 'F16 -> F32 -> F16 changed the bytes'
    print(f'     {name}: F16, model.safetensors {len(weights(src))} bytes ({len(weights(f"{work}/f32"))} as F32); '
          f'F16 -> F16 and F16 -> F32 -> F16 give the same bytes; eval.json is its eval')
else:
    assert dtype == 'F32', dtype
    a, b = outputs, json.load(open(f'{work}/f16.json'))['outputs']
    assert len(a) == len(b) > 0, (len(a), len(b))
    changed = sum(x != y for x, y in zip(a, b))
    print(f'     {name}: F32, model.safetensors {len(weights(src))} -> {len(weights(f"{work}/f16"))} bytes as F16; '
          f'{changed} of {len(a)} greedy outputs change in F16; eval.json is its eval')
    if changed == 0:
        assert code == 0 and err == '', (code, err)
        assert weights(checked) == weights(f'{work}/f16')
    else:
        assert code == 1 and err.count('\n') == 1, (code, err)
        assert f': {changed} of the {len(a)} test examples get another greedy output' in err, err
        assert not os.path.exists(checked)
PY
  then
    passed=$((passed + 1))
    echo "ok   $name: F16 exactly when every greedy output stays the same, its eval.json as eval measures it"
  else
    failed=$((failed + 1))
    echo "FAIL $name: F16 exactly when every greedy output stays the same, its eval.json as eval measures it"
    cat "$work/eval.err" "$work/convert.out" "$work/check.out" "$work/check.err"
  fi
done
echo "f16 models: $passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ]
