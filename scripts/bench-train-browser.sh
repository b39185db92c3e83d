#!/usr/bin/env bash
# Trains the Train panel's experiments (both runs of each), its toy-en-fr Bahdanau preset and its small dates
# preset in headless Chromium (the page's worker; BENCH_EXPERIMENTS=0 / BENCH_ENFR=0 / BENCH_DATES=0 skip those,
# BENCH_DATES=0 the peer too; BENCH_EXPERIMENTS=id,id picks experiments; BENCH_ENFR_OPTIONS='{json}' overrides the
# toy-en-fr run's options), then the TensorFlow.js date-conversion-attention example with tfjs-backend-wasm in
# the same Chromium to the same exact match on its own formats (bench/tfjs-dates-peer;
# BENCH_PEER=0 skips it, BENCH_PEER_CAP=seconds caps its training, default 2400), and prints, last line:
#   browser-train: <preset> <exact>% exact match in <seconds> s (tfjs peer: <seconds> s)
# (the toy-en-fr run prints a line of the same form before it, the last one under BENCH_DATES=0).
# attnlab's seconds run from the train() call to the end of the held-out evaluation (1000 test dates); the
# peer's are its training time (model, data and model.fit), without the checks of its exact match.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web.sh build >/dev/null
# the peer's tfjs packages, pinned by its own lock file (bench only)
peer=bench/tfjs-dates-peer
if [ "${BENCH_PEER:-}" != 0 ] && ! cmp -s "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock" 2>/dev/null; then
  echo "installing tfjs and tfjs-backend-wasm into $peer/"
  (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$peer/package-lock.json" "$peer/node_modules/.attnlab-lock"
fi
NODE_PATH='' node scripts/bench-train-browser.mjs
