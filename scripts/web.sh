#!/usr/bin/env bash
# The browser side of attnlab: scripts/web.sh build|serve|test
#   build  builds the wasm module (scripts/build.sh wasm attnlab_web), installs web/'s npm packages if
#          web/package-lock.json changed, and builds the page, tutorial and widget into web/dist
#   serve  build, then serve web/dist on 127.0.0.1 (vite preview; prints the URL; foreground, Ctrl-C stops)
#   test   build, start a preview server on a free loopback port, run tests/browser with node --test
#          (Chromium from /usr/bin/chromium through playwright-core), stop the server
# The models come from $ATTNLAB_MODELS (default: models/), a folder of model bundles.
set -euo pipefail
# A relative $ATTNLAB_MODELS is relative to where the command was run.
if [ -n "${ATTNLAB_MODELS:-}" ]; then ATTNLAB_MODELS=$(realpath -m "$ATTNLAB_MODELS"); export ATTNLAB_MODELS; fi
cd "$(dirname "$0")/.."
root=$PWD
what=${1:?usage: scripts/web.sh build|serve|test}
export ATTNLAB_MODELS=${ATTNLAB_MODELS:-$root/models}
export NODE_PATH=/usr/share/nodejs

npm_install() {
  local stamp=web/node_modules/.attnlab-lock
  if ! cmp -s web/package-lock.json "$stamp" 2>/dev/null; then
    echo "web.sh: installing npm packages for web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp web/package-lock.json "$stamp"
  fi
}

build() {
  local log
  log=$(mktemp)
  scripts/build.sh wasm attnlab_web >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
  npm_install
  (cd web && npm run --silent build >/dev/null)
  echo "web.sh: built web/dist (models from $ATTNLAB_MODELS)"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "$what" in
  build)
    build
    ;;
  serve)
    build
    port=${PORT:-4173}
    echo "web.sh: serving web/dist at http://127.0.0.1:$port/ (tutorial: http://127.0.0.1:$port/tutorial.html)"
    cd web
    exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$port" --strictPort
    ;;
  test)
    build
    if [ ! -x /usr/bin/chromium ]; then scripts/install-deps.sh test; fi
    [ -x build/native/attnlab ] || scripts/build.sh native attnlab >/dev/null
    port=$(free_port)
    (cd web && exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$port" --strictPort >/tmp/attnlab-web-preview.$$.log 2>&1) &
    server=$!
    trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f /tmp/attnlab-web-preview.$$.log' EXIT
    for _ in $(seq 1 100); do
      if node -e "fetch('http://127.0.0.1:$port/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then break; fi
      sleep 0.1
    done
    export ATTNLAB_WEB_URL="http://127.0.0.1:$port/"
    export ATTNLAB_CLI="$root/build/native/attnlab"
    mkdir -p test-results/browser
    # A test file that hangs fails after 10 minutes (all of them take about 2), instead of holding up the run.
    NODE_PATH='' node --test --test-concurrency=1 --test-timeout=600000 tests/browser/*.test.mjs
    ;;
  *)
    echo "usage: scripts/web.sh build|serve|test" >&2
    exit 2
    ;;
esac
