#!/usr/bin/env bash
# Every bundle of models/ in F16 (`attnlab convert --dtype f16`, half the download), against its float32
# self on every example of its task's test split (`attnlab eval --json --outputs` on both): convert --check
# writes the F16 bundle exactly when every greedy output is the same, and otherwise refuses, naming as
# many changed outputs as eval finds, and writes nothing. Prints, per model, the sizes and how many
# outputs change. Usage: test_f16_models.sh path/to/attnlab path/to/models
set -u
bin=${1:?usage: test_f16_models.sh ATTNLAB MODELS}
models=${2:?usage: test_f16_models.sh ATTNLAB MODELS}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
for dir in "$models"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/config.json" ] || continue
  "$bin" convert --dtype f16 --model "$dir" --out "$work/$name" > "$work/convert.out" 2>&1
  "$bin" convert --dtype f16 --check --model "$dir" --out "$work/$name-checked" > "$work/check.out" 2> "$work/check.err"
  check_code=$?
  "$bin" eval --model "$dir" --json --outputs > "$work/f32.json" 2>&1
  "$bin" eval --model "$work/$name" --json --outputs > "$work/f16.json" 2>&1
  if /usr/bin/env python3 - "$work" "$name" "$dir" "$check_code" <<'PY'
import json, os, sys
work, name, src, code = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
a, b = (json.load(open(f'{work}/{p}.json'))['outputs'] for p in ('f32', 'f16'))
assert len(a) == len(b) > 0, (len(a), len(b))
changed = sum(x != y for x, y in zip(a, b))
sizes = [os.path.getsize(f'{d}/model.safetensors') for d in (src, f'{work}/{name}')]
print(f'     {name}: model.safetensors {sizes[0]} -> {sizes[1]} bytes; {changed} of {len(a)} greedy outputs change in F16')
err = open(f'{work}/check.err').read()
checked = f'{work}/{name}-checked'
if changed == 0:
    assert code == 0 and err == '', (code, err)
    assert open(f'{checked}/model.safetensors', 'rb').read() == open(f'{work}/{name}/model.safetensors', 'rb').read()
else:
    assert code == 1 and err.count('\n') == 1, (code, err)
    assert f': {changed} of the {len(a)} test examples get another greedy output' in err, err
    assert not os.path.exists(checked)
PY
  then
    passed=$((passed + 1))
    echo "ok   $name: convert --check writes F16 exactly when the greedy outputs stay the same"
  else
    failed=$((failed + 1))
    echo "FAIL $name: convert --check does not write F16 exactly when the greedy outputs stay the same"
    cat "$work/convert.out" "$work/check.out" "$work/check.err"
  fi
done
echo "f16 models: $passed passed, $failed failed"
[ "$passed" -gt 0 ] && [ "$failed" -eq 0 ]
