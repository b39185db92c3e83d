#!/usr/bin/env bash
# The linters, each over every tracked file of its language; one line per linter, "ok NAME" or
# "FAIL NAME" after its findings, and a last line "lint: N passed, N failed".
#   - shellcheck: scripts/*.sh, tests/cli/*.sh, .ci/run
#   - pyflakes: every tracked .py (unused imports and names, undefined names, f-strings without fields)
#   - eslint: the page, the widget, the worker, the browser tests and the bench scripts (web/eslint.config.js)
#   - layers: no folder of src/attnlab includes one above it (docs/architecture.md's order)
#   - clang-format: every tracked C++ file is as .clang-format lays it out (fix: clang-format -i FILE)
# The C++ is checked by the compiler: -Wall -Wextra on every target, -Werror under CI (CMakeLists.txt).
# Usage: scripts/lint.sh [shellcheck|pyflakes|eslint|layers|clang-format ...]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
linters=("$@")
[ ${#linters[@]} -eq 0 ] && linters=(shellcheck pyflakes eslint layers clang-format)

passed=0
failed=0
check() {  # check NAME CMD...: runs one linter, counts it
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

# The folders of src/attnlab from the bottom up; one may include those before it and itself (train and
# decode are siblings, text and data sit beside the stack).
layer_order=(tensor text data autograd nn models "train decode" io eval session)
layers() {
  local i d f inc ok=0
  for i in "${!layer_order[@]}"; do for d in ${layer_order[$i]}; do declare -g "rank_$d=$i"; done; done
  for f in $(git ls-files 'src/attnlab/*.hpp' 'src/attnlab/*.cpp'); do
    d=${f#src/attnlab/}
    d=${d%%/*}
    while read -r inc; do
      local from="rank_$d" to="rank_$inc"
      if [ -z "${!to:-}" ] || [ -z "${!from:-}" ] || [ "${!to}" -gt "${!from}" ]; then
        echo "$f: includes attnlab/$inc/, above $d/ (scripts/lint.sh layer_order)"
        ok=1
      fi
    done < <(grep -oE '^#include "attnlab/[a-z_]+/' "$f" | sed -E 's|.*attnlab/([a-z_]+)/|\1|')
  done
  return $ok
}

for linter in "${linters[@]}"; do
  case "$linter" in
    shellcheck)
      mapfile -t files < <(git ls-files '*.sh' .ci/run)
      check shellcheck shellcheck -f gcc "${files[@]}" ;;
    pyflakes)
      mapfile -t files < <(git ls-files '*.py')
      check pyflakes pyflakes3 "${files[@]}" ;;
    eslint)
      check eslint env NODE_PATH='' web/node_modules/.bin/eslint --max-warnings 0 -c web/eslint.config.js \
        web tests/browser scripts bench ;;
    layers) check layers layers ;;
    clang-format)
      mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
      check clang-format clang-format --dry-run --Werror "${files[@]}" ;;
    *) echo "usage: scripts/lint.sh [shellcheck|pyflakes|eslint|layers|clang-format ...]" >&2; exit 2 ;;
  esac
done
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
