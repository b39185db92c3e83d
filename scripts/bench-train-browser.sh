#!/usr/bin/env bash
# Trains a dates model in headless Chromium (the page's worker) and prints, last line:
#   browser-train: <preset> <exact>% exact match in <seconds> s (tfjs peer: <seconds> s)
# The seconds run from the train() call to the end of the held-out evaluation (1000 test dates).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web.sh build >/dev/null
NODE_PATH='' node scripts/bench-train-browser.mjs
