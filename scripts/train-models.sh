#!/usr/bin/env bash
# Retrains every shipped model from scratch, seeded, into models/, keeps its weights as F16 when
# `attnlab convert --dtype f16 --check` passes (every greedy output on the test split the same), then
# evaluates each with `attnlab eval` into models/<name>/eval.json, the figures of the README's table.
#   scripts/train-models.sh            all models, one after the other
#   scripts/train-models.sh NAME…      only these
# Each model trains on one core; run two invocations with different names to use both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# ATTNLAB_TRAIN_BIN: an attnlab binary built elsewhere (e.g. from a worktree while src/ is edited).
bin=${ATTNLAB_TRAIN_BIN:-build/native/attnlab}
if [ -z "${ATTNLAB_TRAIN_BIN:-}" ]; then
  scripts/install-deps.sh build
  scripts/build.sh native attnlab > /dev/null
fi

# name | task | preset | options   (sizes keep each bundle under 2 MB; the dates Transformer and Aaren
# hold out 5000 test dates, so that every format has at least ~25 and MMDDYY ~70: their first 1000 are
# the other dates models' test split, the same examples)
models=(
  "toy-en-fr-context-gru|toy-en-fr|context-gru|--hidden 96 --embedding 64 --epochs 8"
  "toy-en-fr-bahdanau-gru|toy-en-fr|bahdanau-gru|--hidden 96 --embedding 64 --attention-size 96 --epochs 8"
  "toy-en-fr-luong-general-gru|toy-en-fr|luong-general-gru|--hidden 96 --embedding 64 --epochs 14"
  "dates-bahdanau-gru|dates|bahdanau-gru|--hidden 96 --embedding 32 --attention-size 96 --epochs 6"
  "reverse-bahdanau-gru|reverse|bahdanau-gru|--hidden 64 --embedding 16 --attention-size 64 --epochs 4 --train-size 10000"
  "toy-en-fr-transformer|toy-en-fr|transformer|--d-model 64 --heads 4 --layers 2 --ffn 256 --label-smoothing 0.1 --schedule noam --lr 1 --warmup 400 --epochs 12"
  "dates-transformer|dates|transformer|--d-model 64 --heads 4 --layers 2 --ffn 256 --label-smoothing 0.1 --schedule warmup-cosine --lr 4e-3 --warmup 400 --epochs 9 --train-size 40000 --test-size 5000"
  "toy-en-fr-aaren|toy-en-fr|aaren|--d-model 64 --heads 4 --layers 2 --ffn 256 --label-smoothing 0.1 --schedule noam --lr 1 --warmup 400 --epochs 12"
  "dates-aaren|dates|aaren|--d-model 64 --heads 4 --layers 2 --ffn 256 --label-smoothing 0.1 --schedule warmup-cosine --lr 4e-3 --warmup 400 --epochs 9 --train-size 40000 --test-size 5000"
  "toy-en-zh-bahdanau-gru|toy-en-zh|bahdanau-gru|--hidden 96 --embedding 64 --attention-size 96 --epochs 8"
  "toy-en-zh-transformer|toy-en-zh|transformer|--d-model 64 --heads 4 --layers 2 --ffn 256 --label-smoothing 0.1 --schedule noam --lr 1 --warmup 400 --epochs 8"
  "toy-en-zh-context-gru|toy-en-zh|context-gru|--hidden 96 --embedding 64 --epochs 8"
)

wanted=("$@")
for entry in "${models[@]}"; do
  IFS='|' read -r name task preset options <<< "$entry"
  if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then continue; fi
  echo "== $name"
  # shellcheck disable=SC2086
  "$bin" train --task "$task" --model "$preset" $options --seed 1 --data-seed 1 --out "models/$name"
  # F16 weights (half the page's download) exactly when every greedy output on the test split stays the
  # same; otherwise convert says how many change and the bundle stays float32
  half=$(mktemp -d)
  if "$bin" convert --dtype f16 --check --model "models/$name" --out "$half/$name"; then
    cp "$half/$name/model.safetensors" "models/$name/model.safetensors"
  else
    echo "$name stays float32"
  fi
  rm -rf "$half"
  "$bin" eval --model "models/$name" --json > "models/$name/eval.json"
  "$bin" eval --model "models/$name"
done
