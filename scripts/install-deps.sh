#!/usr/bin/env bash
# Installs what attnlab needs and this machine lacks (Debian 12, as root or with sudo). Idempotent and
# quiet when everything is there. Usage: scripts/install-deps.sh [build|test]
#   build: compilers and libraries for the native and wasm builds (and the web page's npm packages)
#   test:  build + Chromium (and fonts-noto-cjk, so screenshots show Chinese) for browser tests +
#          python3-torch for the PyTorch parity suite + clang (with libFuzzer) for the sanitize suite +
#          the linters of the lint suite (pyflakes3, shellcheck, clang-format) (ESLint comes with web/'s npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

packages=(cmake g++ make emscripten libxtensor-dev xtl-dev doctest-dev nlohmann-json3-dev libcli11-dev nodejs)
if [ "$what" = test ]; then
  packages+=(chromium fonts-noto-cjk python3-torch python3-numpy clang libclang-rt-14-dev clang-format shellcheck pyflakes3)
fi

missing=()
for p in "${packages[@]}"; do
  # nodejs may come from elsewhere than Debian (node 20 is preinstalled on these machines).
  if [ "$p" = nodejs ] && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The web page's packages (vite, playwright-core, d3-scale-chromatic), pinned by web/package-lock.json.
if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.attnlab-lock
  if ! cmp -s web/package-lock.json "$stamp" 2>/dev/null; then
    echo "installing npm packages for web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp web/package-lock.json "$stamp"
  fi
fi
