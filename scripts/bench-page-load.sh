#!/usr/bin/env bash
# From navigation to the page's first translation on screen, in headless Chromium on a local server, cold
# and warm cache (scripts/bench-page-load.mjs), with the medians of the page's and the worker's marks
# (attnlab:*: where the time goes). BENCH_COMPARE=<a built dist folder> alternates that build with this
# one in every round. Last line (one per build):
#   page-load: first translation <ms> ms (min–max, spread) cold cache, <ms> ms (…) warm cache (target <= 350 ms)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web.sh build >/dev/null
NODE_PATH='' node scripts/bench-page-load.mjs
