#!/usr/bin/env bash
# From navigation to the page's first translation on screen, in headless Chromium on a local server, cold
# and warm cache (scripts/bench-page-load.mjs). Last line:
#   page-load: first translation <ms> ms (spread) cold cache, <ms> ms (spread) warm cache (target <= 350 ms)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web.sh build >/dev/null
NODE_PATH='' node scripts/bench-page-load.mjs
