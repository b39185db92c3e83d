#!/usr/bin/env bash
# The linters, each over every tracked file of its language; one line per linter, "ok NAME" or
# "FAIL NAME" after its findings, and a last line "lint: N passed, N failed".
#   - shellcheck: scripts/*.sh, tests/cli/*.sh, .ci/run
#   - pyflakes: every tracked .py (unused imports and names, undefined names, f-strings without fields)
#   - eslint: the page, the widget, the worker, the browser tests and the bench scripts (web/eslint.config.js)
# The C++ is checked by the compiler: -Wall -Wextra on every target, -Werror under CI (CMakeLists.txt).
# Usage: scripts/lint.sh [shellcheck|pyflakes|eslint ...]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
linters=("$@")
[ ${#linters[@]} -eq 0 ] && linters=(shellcheck pyflakes eslint)

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
    *) echo "usage: scripts/lint.sh [shellcheck|pyflakes|eslint ...]" >&2; exit 2 ;;
  esac
done
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
