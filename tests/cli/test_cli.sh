#!/usr/bin/env bash
# The attnlab command end to end: train a tiny model, translate, eval, and every kind of bad input
# gives a one-line error and a non-zero exit, never a crash. Usage: test_cli.sh path/to/attnlab
set -u
bin=${1:?usage: test_cli.sh ATTNLAB}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
# run CMD...: sets err and code (stdout stays in $work/out)
run() { "$@" > "$work/out" 2> "$work/err"; code=$?; err=$(cat "$work/err"); }
one_line_error() { [ "$code" -eq 1 ] && [ "$(wc -l < "$work/err")" -eq 1 ] && grep -q -- "$1" "$work/err"; }

run "$bin"
check "no arguments: usage on stderr, exit 2" test "$code" -eq 2 -a -n "$err"

run "$bin" train --task reverse --model bahdanau-gru --epochs 2 --train-size 400 --hidden 16 --embedding 8 --out "$work/model" --quiet
check "train writes a bundle" test "$code" -eq 0 -a -f "$work/model/config.json" -a -f "$work/model/model.safetensors" -a -f "$work/model/vocab.json"

run "$bin" translate --model "$work/model" "3 1 4"
check "translate prints a translation and a heatmap" bash -c "[ $code -eq 0 ] && grep -q 'source: 0:3 1:1 2:4 3:<eos>' '$work/out'"

run "$bin" translate --model "$work/model" --json --beam 3 "3 1 4"
check "translate --json gives tokens and a (To, Ts) attention matrix whose rows sum to 1" /usr/bin/env python3 -c "
import json, sys
j = json.load(open('$work/out'))
a = j['attention']['cross']
To, Ts = a['shape']
assert j['source_tokens'] == ['3', '1', '4', '<eos>'] and Ts == 4 and To == len(j['output_tokens'])
for r in range(To):
    assert abs(sum(a['data'][r * Ts:(r + 1) * Ts]) - 1) < 1e-4
"

check "translate --json gives the raw scores beside the weights: the same (To, Ts) shape, softmax of each row = its weights" /usr/bin/env python3 -c "
import json, math
j = json.load(open('$work/out'))
a, s = j['attention']['cross'], j['scores']['cross']
assert s['shape'] == a['shape'], (s['shape'], a['shape'])
To, Ts = s['shape']
for r in range(To):
    row = s['data'][r * Ts:(r + 1) * Ts]
    assert all(x is not None for x in row)  # one sentence: no padding, nothing masked
    e = [math.exp(x - max(row)) for x in row]
    assert all(abs(v / sum(e) - w) < 1e-5 for v, w in zip(e, a['data'][r * Ts:(r + 1) * Ts]))
"

check "translate --json is light: no states or context vectors unless asked" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
assert 'states' not in j and 'context' not in j
"

run "$bin" translate --model "$work/model" --json --states --beam 3 "3 1 4"
check "translate --json --states gives the encoder states h (Ts, D) and each step's context vector c (To, D) = Σ α h" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
a, h, c = j['attention']['cross'], j['states']['cross'], j['context']['cross']
To, Ts = a['shape']
assert h['shape'][0] == Ts and c['shape'] == [To, h['shape'][1]], (a['shape'], h['shape'], c['shape'])
D = h['shape'][1]
for t in range(To):
    for d in range(D):
        s = sum(a['data'][t * Ts + i] * h['data'][i * D + d] for i in range(Ts))
        assert abs(s - c['data'][t * D + d]) < 1e-5, (t, d, s, c['data'][t * D + d])
"

run "$bin" translate --model "$work/model" --states "3 1 4"
check "translate --states without --json is a one-line error" one_line_error "states"

run "$bin" translate --model "$work/model" "3 x 4"
check "unknown words are translated around and reported" bash -c "[ $code -eq 0 ] && grep -q 'unknown words (read as <unk>): x' '$work/out' && grep -q '1:x(unknown)' '$work/out'"

run "$bin" translate --model "$work/model" $'3 \x1b[2J 1'
check "a control character is a one-line error naming it, never echoed to the terminal" one_line_error "the sentence contains the control character U+001B at character 3"
run "$bin" translate --model "$(dirname "$0")/../../models/dates-transformer" "    "
check "whitespace only is empty for a character model too" one_line_error "nothing to translate: the sentence is empty"

run "$bin" translate --model "$work/model" --beam 1000000 "3 1 4"
check "a beam over the limit is a one-line error" one_line_error "beam 1000000 is wider than the limit of 64"

run "$bin" translate --model "$work/model" --max-length 1000000000000 "3 1 4"
check "a max-length over the limit is a one-line error" one_line_error "max-length 1000000000000 is more than the limit of 1000"

run "$bin" translate --model "$work/model" "$(printf '3%.0s' {1..1001})"
check "a sentence over 1000 characters (one token) is refused with the page's message" one_line_error "the sentence has 1001 characters; at most 1000 characters and 200 tokens can be translated"
run "$bin" translate --model "$work/model" "$(printf '3 %.0s' {1..200})3"
check "a sentence over 200 tokens is refused with the same message" one_line_error "the sentence has 401 characters and 201 tokens; at most 1000 characters and 200 tokens can be translated"

run "$bin" translate --model "$work/model" ""
check "an empty sentence is a one-line error" one_line_error "the sentence is empty"

run "$bin" translate --model "$work/model" "   "
check "a whitespace-only sentence is a one-line error" one_line_error "the sentence is empty"

run "$bin" translate --model "$work/model" $'\xff\xfe'
check "invalid UTF-8 is a one-line error naming the byte" one_line_error "invalid UTF-8 at byte 0"

run "$bin" translate --model "$work/missing" "3 1"
check "a missing model folder is a one-line error" one_line_error "not a folder"

cp -r "$work/model" "$work/corrupt"
head -c 100 "$work/model/model.safetensors" > "$work/corrupt/model.safetensors"
run "$bin" translate --model "$work/corrupt" "3 1"
check "a truncated weights file is a one-line error" one_line_error "model.safetensors"

cp -r "$work/model" "$work/badjson"
echo '{"format": "attnlab-bundle", "version": 1, "model": ' > "$work/badjson/config.json"
run "$bin" translate --model "$work/badjson" "3 1"
check "a corrupt config.json is a one-line error" one_line_error "config.json: not valid JSON"

run "$bin" eval --model "$work/model"
check "eval reports exact match, BLEU and length buckets" bash -c "[ $code -eq 0 ] && grep -q 'exact match' '$work/out' && grep -q 'corpus BLEU' '$work/out' && grep -q 'by source length' '$work/out'"

run "$bin" eval --model "$work/model" --json --outputs
check "eval --json --outputs lists every test example's output, as many as the report counts" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
assert len(j['outputs']) == j['count'] > 0 and all(isinstance(o, str) for o in j['outputs'])
"
run "$bin" eval --model "$work/model" --outputs
check "eval --outputs without --json is refused" one_line_error "--outputs requires --json"

run "$bin" convert --dtype f16 --model "$work/model" --out "$work/half"
check "convert --dtype f16 writes the bundle with F16 weights, half the bytes, config and vocab as they were" /usr/bin/env python3 -c "
import json, os, struct
f = open('$work/half/model.safetensors', 'rb').read()
n = struct.unpack('<Q', f[:8])[0]
header = json.loads(f[8:8 + n])
assert {v['dtype'] for k, v in header.items() if k != '__metadata__'} == {'F16'}
before = os.path.getsize('$work/model/model.safetensors')
assert len(f) < before / 2 + 4096, (len(f), before)
for name in ['config.json', 'vocab.json']:
    assert open('$work/half/' + name, 'rb').read() == open('$work/model/' + name, 'rb').read(), name
"
check "convert says what it wrote: the sizes and the largest change of a weight" grep -q "model.safetensors [0-9]* -> [0-9]* bytes, largest change of a weight" "$work/out"
run "$bin" translate --model "$work/half" --json "3 1 4"
check "an F16 bundle translates" bash -c "[ $code -eq 0 ] && grep -q '\"source_tokens\"' '$work/out'"
run "$bin" convert --dtype f32 --model "$work/half" --out "$work/back"
check "convert --dtype f32 of an F16 bundle gives F32 weights equal to the halves" /usr/bin/env python3 -c "
import json, struct
def read(p):
    f = open(p, 'rb').read()
    n = struct.unpack('<Q', f[:8])[0]
    return json.loads(f[8:8 + n]), f[8 + n:]
h, hd = read('$work/half/model.safetensors')
b, bd = read('$work/back/model.safetensors')
for k, v in h.items():
    if k == '__metadata__': continue
    assert b[k]['dtype'] == 'F32' and b[k]['shape'] == v['shape']
    x = struct.unpack('<%de' % ((v['data_offsets'][1] - v['data_offsets'][0]) // 2), hd[v['data_offsets'][0]:v['data_offsets'][1]])
    y = struct.unpack('<%df' % len(x), bd[b[k]['data_offsets'][0]:b[k]['data_offsets'][1]])
    assert list(x) == list(y), k
"
run "$bin" convert --dtype f8 --model "$work/model" --out "$work/x8"
check "convert --dtype takes only f16 or f32" one_line_error "--dtype: f8 not in {f16,f32}"
run "$bin" convert --model "$work/model" --out "$work/x8"
check "convert without --dtype is refused" one_line_error "--dtype is required"
run "$bin" convert --dtype f16 --model "$work/nothing" --out "$work/x8"
check "convert of a missing folder is a one-line error" one_line_error "model $work/nothing: not a folder"
cp -r "$work/model" "$work/huge"
/usr/bin/python3 -c "
import json, struct
p = '$work/huge/model.safetensors'
f = bytearray(open(p, 'rb').read())
n = struct.unpack('<Q', f[:8])[0]
header = json.loads(f[8:8 + n])
name = sorted(k for k in header if k != '__metadata__')[0]
begin = 8 + n + header[name]['data_offsets'][0]
f[begin:begin + 4] = struct.pack('<f', 70000.0)
open(p, 'wb').write(f)
"
run "$bin" convert --dtype f16 --model "$work/huge" --out "$work/x8"
check "convert refuses a weight beyond float16's range, naming it" one_line_error 'huge/model.safetensors: safetensors: tensor "[^"]*"\[0\] = 70000.000000 is beyond float16'"'"'s range'
check "a refused convert writes nothing" test ! -e "$work/x8"

# A copy of the model whose config.json is edited by a Python statement on c (the parsed config).
edited_model() {  # edited_model NAME STATEMENT
  rm -rf "${work:?}/${1:?}" && cp -r "$work/model" "$work/$1"
  /usr/bin/python3 -c "
import json
p = '$work/$1/config.json'
c = json.load(open(p))
$2
json.dump(c, open(p, 'w'))
"
}
edited_model bigdata "c['data']['train_size'] = 10**9"
run "$bin" eval --model "$work/bigdata"
check "eval refuses a train_size over the limit in config.json before regenerating the splits" one_line_error "bigdata/config.json: data.train_size must be a whole number ≤ 200000 (examples), got 1000000000"
edited_model seedtype "c['data']['seed'] = 'x'"
run "$bin" eval --model "$work/seedtype"
check "eval refuses a data.seed that is not a number" one_line_error "seedtype/config.json: data.seed must be a whole number ≥ 0, got \"x\""
edited_model hidden "c['model']['hidden_size'] = 20000"
run "$bin" translate --model "$work/hidden" "3 1 4"
check "a hidden_size over the limit is a one-line error naming config.json, the field and the limit" one_line_error "hidden/config.json: seq2seq config: hidden_size must be a whole number ≥ 1 and ≤ 4096, got 20000"

long_source=$(python3 -c "print(' '.join(['3'] * 20000))")
run "$bin" forward --model "$work/model" --source "$long_source" --target "3"
check "forward refuses a 20000-token source for an RNN" one_line_error "forward: the source has 20000 tokens, more than the limit of 200"
run "$bin" forward --model "$work/model" --source "3 1" --target "$(python3 -c "print(' '.join(['3'] * 1001))")"
check "forward refuses a target over 1000 tokens" one_line_error "forward: the target has 1001 tokens, more than the limit of 1000"
run "$bin" forward --model "$work/model" --source "3 1 4" --target "4 1 3"
check "forward within the limits prints the logits" bash -c "[ $code -eq 0 ] && grep -q '\"logits\"' '$work/out'"

run "$bin" tasks
check "tasks lists toy-en-zh" bash -c "[ $code -eq 0 ] && grep -q '^toy-en-zh ' '$work/out'"

run "$bin" data --task toy-en-zh --split test --train-size 2000 --valid-size 10 --test-size 20 --json
check "data --task toy-en-zh gives word-segmented Chinese targets with their ids" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
tokens = j['vocab']['target']['tokens']
assert '花园' in tokens and '园' not in tokens
ex = j['splits']['test']
assert len(ex) == 20 and all(e['target'].endswith(('。', '？')) for e in ex)
assert all(len(e['target_ids']) == len(e['target'].split()) for e in ex)
"

run "$bin" train --task toy-en-zh --model bahdanau-gru --epochs 1 --train-size 2000 --hidden 16 --embedding 8 --out "$work/zh" --quiet
run "$bin" eval --model "$work/zh" --json
check "eval of a toy-en-zh model scores BLEU on characters and says so" bash -c "[ $code -eq 0 ] && grep -q '\"bleu_unit\": \"characters\"' '$work/out'"
run "$bin" eval --model "$work/model" --json
check "eval of other tasks scores BLEU on tokens" bash -c "[ $code -eq 0 ] && grep -q '\"bleu_unit\": \"tokens\"' '$work/out'"

# the dates task: the library's check of a translation is a warning line on stderr, exit 0; eval by format
run "$bin" train --task dates --model bahdanau-gru --epochs 1 --train-size 400 --hidden 16 --embedding 8 --attention-size 16 --out "$work/dates" --quiet
run "$bin" translate --model "$work/dates" "31 feb 2020"
check "translate of an impossible date: a warning line on stderr, exit 0" bash -c "[ $code -eq 0 ] && grep -q '^warning: the input \"31 feb 2020\" is not a real date: February 2020 has 29 days' '$work/err'"
run "$bin" translate --model "$work/dates" "tomorrow"
check "translate of a non-date: a warning that it is not a date" bash -c "[ $code -eq 0 ] && grep -q '^warning: the input \"tomorrow\" is not a date' '$work/err'"
run "$bin" translate --model "$work/dates" --json "1 jan 2150"
check "translate --json of a year out of range carries the warning as date_warning" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
assert 'year 2150 is outside 1900-2099' in j['date_warning'], j['date_warning']
"
run "$bin" translate --model "$work/model" "3 1 4"
check "translate of another task never warns about dates" bash -c "[ $code -eq 0 ] && ! grep -q 'warning' '$work/err'"
run "$bin" eval --model "$work/dates"
check "eval of a dates model prints exact match by format" bash -c "[ $code -eq 0 ] && grep -q 'by format:' '$work/out' && grep -q 'YYYY-MM-DD  ' '$work/out'"
run "$bin" eval --model "$work/dates" --json
check "eval --json of a dates model has a by_format table of all 32 formats" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
f = j['by_format']
assert len(f) == 32 and sum(x['count'] for x in f) == j['count'], f
assert all(0 <= x['exact_match'] <= 1 for x in f)
"
run "$bin" eval --model "$work/model" --json
check "eval of other tasks has no by_format table" bash -c "[ $code -eq 0 ] && ! grep -q 'by_format' '$work/out'"

run "$bin" train --task reverse --model bahdanau-gru --epochs 1 --train-size 300 --valid-size 11 --test-size 37 --hidden 8 --embedding 4 --out "$work/sizes" --quiet
run "$bin" eval --model "$work/sizes" --json
check "train --valid-size/--test-size are written to config.json's data, and eval scores that many test pairs" /usr/bin/env python3 -c "
import json
d = json.load(open('$work/sizes/config.json'))['data']
assert (d['train_size'], d['valid_size'], d['test_size']) == (300, 11, 37), d
assert json.load(open('$work/out'))['count'] == 37
"
run "$bin" data --task dates --split test --train-size 100 --test-size 1500 --json
cp "$work/out" "$work/test1500.json"
run "$bin" data --task dates --split test --train-size 100 --json
check "dates: a larger test split begins with the default 1000 test examples (the dates models' common test set)" /usr/bin/env python3 -c "
import json
big = json.load(open('$work/test1500.json'))['splits']['test']
small = json.load(open('$work/out'))['splits']['test']
assert len(big) == 1500 and len(small) == 1000
assert [(e['source'], e['target']) for e in big[:1000]] == [(e['source'], e['target']) for e in small]
"

run "$bin" train --task reverse --model bahdanau-gru --out "$work/x" --epochz 3
check "an unknown option is a one-line error" one_line_error "unknown option --epochz"

run "$bin" train --task klingon --model bahdanau-gru --out "$work/x"
check "an unknown task is a one-line error" one_line_error "klingon"

run "$bin" train --task reverse --model transformer-xl --out "$work/x"
check "an unknown preset is a one-line error" one_line_error "unknown model preset"

run "$bin" train --task reverse --model transformer --d-model 16 --heads 2 --layers 1 --ffn 32 --epochs 1 --train-size 300 --schedule noam --lr 1 --warmup 20 --out "$work/tf" --quiet
check "train --model transformer writes a transformer bundle" bash -c "[ $code -eq 0 ] && grep -q '\"architecture\": *\"transformer\"' '$work/tf/config.json'"

run "$bin" translate --model "$work/tf" --json "3 1 4"
check "a transformer's --json holds encoder self, decoder self and cross attention as (layers, heads, rows, cols), rows summing to 1, and their raw scores (-inf as null) whose softmax they are" /usr/bin/env python3 -c "
import json, math
j = json.load(open('$work/out'))
a = j['attention']
Ts, To = len(j['source_tokens']), len(j['output_tokens'])
assert a['encoder_self']['shape'] == [1, 2, Ts, Ts], a.keys()
assert a['decoder_self']['shape'] == [1, 2, To, To]
assert a['cross']['shape'] == [1, 2, To, Ts]
for name in a:
    cols = a[name]['shape'][-1]
    d = a[name]['data']
    assert all(abs(sum(d[i:i + cols]) - 1) < 1e-4 for i in range(0, len(d), cols))
s = j['scores']
assert sorted(s) == sorted(a) and all(s[n]['shape'] == a[n]['shape'] for n in a), s.keys()
d = s['decoder_self']['data']  # the future is masked: -inf, written as null
assert all((d[(m * To + r) * To + c] is None) == (c > r) for m in range(2) for r in range(To) for c in range(To))
for name in a:  # softmax over each row of scores (null: weight 0) gives the weights
    cols, d, w = a[name]['shape'][-1], s[name]['data'], a[name]['data']
    for i in range(0, len(d), cols):
        row = [x for x in d[i:i + cols] if x is not None]
        e = [0.0 if x is None else math.exp(x - max(row)) for x in d[i:i + cols]]
        assert all(abs(v / sum(e) - p) < 1e-5 for v, p in zip(e, w[i:i + cols])), name
"

run "$bin" translate --model "$work/tf" --layer 1 --head 2 "3 1 4"
check "a transformer's heatmap shows the chosen layer and head of the cross-attention" bash -c "[ $code -eq 0 ] && grep -q 'cross-attention of layer 1/1, head 2' '$work/out' && grep -q 'source: 0:3 1:1 2:4 3:<eos>' '$work/out'"

run "$bin" translate --model "$work/tf" --layer 2 "3 1 4"
check "a layer the transformer does not have is a one-line error" one_line_error "this model has 1 layers and 2 heads"

run "$bin" train --task reverse --model aaren --d-model 16 --heads 2 --layers 1 --ffn 32 --epochs 1 --train-size 300 --schedule noam --lr 1 --warmup 20 --out "$work/aaren" --quiet
check "train --model aaren writes an aaren bundle" bash -c "[ $code -eq 0 ] && grep -q '\"architecture\": *\"aaren\"' '$work/aaren/config.json'"

run "$bin" translate --model "$work/aaren" --json "3 1 4"
check "an aaren model's decoder self-attention is (layers, heads, To, To) with rows summing to 1" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
a = j['attention']['decoder_self']
To, cols = len(j['output_tokens']), a['shape'][-1]
assert a['shape'] == [1, 2, To, To], a['shape']
assert all(abs(sum(a['data'][i:i + cols]) - 1) < 1e-4 for i in range(0, len(a['data']), cols))
"

run "$bin" train --task reverse --model transformer --hidden 32 --out "$work/x"
check "an RNN option given to a transformer preset is a one-line error" one_line_error "is an option of the RNN presets"

run "$bin" train --task reverse --model transformer --schedule noam --warmup 0 --out "$work/x"
check "noam without warm-up is a one-line error" one_line_error "needs --warmup"

# The command line itself (CLI11): bad options are one-line errors (exit 1), help exits 0.
run "$bin" eval --model "$work/model" --bogus
check "an unknown option of eval is a one-line error naming it" one_line_error "unknown option --bogus"
run "$bin" translate "3 1 4"
check "a missing required option is a one-line error naming it" one_line_error "--model is required"
run "$bin" data --split test
check "data without --task is a one-line error" one_line_error "--task is required"
run "$bin" translate --model "$work/model" --beam abc "3 1 4"
check "--beam abc (not a number) is refused with a one-line error" one_line_error '--beam: must be a whole number ≥ 0, not "abc"'
run "$bin" translate --model "$work/model" --beam -2 "3 1 4"
check "a negative --beam is refused" one_line_error '--beam: must be a whole number ≥ 0, not "-2"'
run "$bin" train --task reverse --model bahdanau-gru --out "$work/x" --lr 0.1x
check "--lr 0.1x (not a number) is refused" one_line_error '--lr: must be a number, not "0.1x"'
run "$bin" eval --model "$work/model" --split dev
check "--split takes only test or valid" one_line_error "--split: dev not in {test,valid}"
run "$bin" eval --model "$work/model" extra
check "a stray word after eval's options is a one-line error" one_line_error 'unexpected argument "extra"'
for cmd in train translate eval forward tasks data convert; do
  run "$bin" "$cmd" --help
  check "$cmd --help prints its usage on stdout and exits 0" bash -c "[ $code -eq 0 ] && [ -z '$err' ] && grep -q '^Usage: attnlab $cmd ' '$work/out'"
done
run "$bin" train --help
check "train --help lists the presets and each family's options" bash -c "grep -q 'luong-scaled-dot-gru' '$work/out' && grep -q -- '--attention-size' '$work/out' && grep -q -- '--d-model' '$work/out'"
run "$bin" --help
check "attnlab --help lists every command, exit 0" bash -c "[ $code -eq 0 ] && for c in train translate eval forward tasks data convert; do grep -q \"^  \$c \" '$work/out' || exit 1; done"
run "$bin" frobnicate
check "an unknown command prints the usage on stderr, exit 2" bash -c "[ $code -eq 2 ] && grep -q 'unknown command \"frobnicate\"' '$work/err' && grep -q 'Usage: attnlab' '$work/err'"
# Numbers are read in decimal as std::stod/stol read them: 010 is ten (not octal 8), and a real at a
# float tie is rounded to double first, then to float (2^-10 · (1 + 2^-24 + 2^-60) -> exactly 2^-10).
run "$bin" train --task reverse --model bahdanau-gru --epochs 1 --train-size 50 --hidden 4 --embedding 4 --seed 010 \
  --lr 0.0009765625582076609143144401738168003390683225006796419620513916015625 --out "$work/numbers" --quiet
check "train reads --seed 010 as 10 and a real option as std::stod does" /usr/bin/env python3 -c "
import json
t = json.load(open('$work/numbers/config.json'))['training']
assert t['seed'] == 10 and t['lr'] == 2 ** -10, (t['seed'], t['lr'])
"
check "train records the preset's Adam settings, both final losses and whole seconds in config.json's training block" /usr/bin/env python3 -c "
import json
t = json.load(open('$work/numbers/config.json'))['training']
keys = {'preset', 'seed', 'epochs', 'lr', 'schedule', 'warmup_steps', 'adam', 'max_tokens', 'label_smoothing',
        'teacher_forcing', 'steps', 'seconds', 'final_train_loss', 'final_valid_loss'}
assert set(t) == keys, sorted(set(t) ^ keys)
assert t['adam'] == {'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-08, 'weight_decay': 0.0}, t['adam']
assert t['seconds'] == round(t['seconds']) and t['final_valid_loss'] > 0 and t['epochs'] == 1, t
"

run "$bin" train --task reverse --model bahdanau-gru --epochs 1 --train-size 400 --valid-size 50 --test-size 60 --max-train-words 8 --hidden 8 --embedding 8 --out "$work/short" --quiet
check "train --max-train-words trains on the short drawn pairs only and records the data block eval draws again" /usr/bin/env python3 -c "
import json, re
assert $code == 0
n = int(re.search(r'(\\d+) train / 50 valid pairs', open('$work/out').read()).group(1))
assert 0 < n < 400, n
d = json.load(open('$work/short/config.json'))['data']
assert d == {'seed': 1, 'train_size': 400, 'valid_size': 50, 'test_size': 60, 'max_train_words': 8}, d
"
run "$bin" eval --model "$work/short" --json
check "eval of a bundle trained on short pairs scores the whole test split, long sentences included" /usr/bin/env python3 -c "
import json
j = json.load(open('$work/out'))
assert j['count'] == 60 and max(b['max_len'] for b in j['buckets']) > 8, j['buckets']
"
run "$bin" data --task reverse --train-size 400 --valid-size 50 --test-size 60 --max-train-words 8
check "data --max-train-words: train sources of at most 8 tokens; test the same as without it" /usr/bin/env python3 -c "
import json, subprocess
j = json.load(open('$work/out'))
full = json.loads(subprocess.run(['$bin', 'data', '--task', 'reverse', '--train-size', '400', '--valid-size', '50', '--test-size', '60'], capture_output=True, check=True).stdout)
assert 0 < len(j['splits']['train']) < 400 and all(len(e['source'].split()) <= 8 for e in j['splits']['train'])
pairs = lambda d, split: [(e['source'], e['target']) for e in d['splits'][split]]  # ids follow the vocabulary, built from train
assert pairs(j, 'test') == pairs(full, 'test') and pairs(j, 'valid') == pairs(full, 'valid')
"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
