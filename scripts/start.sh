#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the WebAssembly module and the web page
# with every model bundle of models/ (or of $ATTNLAB_MODELS), and serves it on 127.0.0.1 (the URL is printed; Ctrl-C stops).
set -euo pipefail
# A relative $ATTNLAB_MODELS is relative to where the command was run.
if [ -n "${ATTNLAB_MODELS:-}" ]; then ATTNLAB_MODELS=$(realpath -m "$ATTNLAB_MODELS"); export ATTNLAB_MODELS; fi
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
exec scripts/web.sh serve
