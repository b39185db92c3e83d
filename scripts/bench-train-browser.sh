#!/usr/bin/env bash
# Trains the Train panel's experiments (both runs of each), its toy-en-fr Bahdanau preset and a dates model
# in headless Chromium (the page's worker; BENCH_EXPERIMENTS=0 / BENCH_ENFR=0 skip those; BENCH_EXPERIMENTS=id,id
# picks experiments) and prints, last line:
#   browser-train: <preset> <exact>% exact match in <seconds> s (tfjs peer: <seconds> s)
# The seconds run from the train() call to the end of the held-out evaluation (1000 test dates).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web.sh build >/dev/null
NODE_PATH='' node scripts/bench-train-browser.mjs
