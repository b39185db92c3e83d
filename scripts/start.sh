#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the WebAssembly module and the web page
# with every model bundle of models/, and serves it on 127.0.0.1 (the URL is printed; Ctrl-C stops).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
exec scripts/web.sh serve
