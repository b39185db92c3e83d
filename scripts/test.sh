#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test suite and ends with one
# summary line "attnlab: N passed, N failed" (N counts CTest tests and other test cases).
#   scripts/test.sh                      every suite
#   scripts/test.sh lint|native|wasm|sanitize|parity|browser ...   only these suites
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(lint native wasm sanitize parity browser)
for s in "${suites[@]}"; do
  case "$s" in
    lint|native|wasm|sanitize|parity|browser) ;;
    *) echo "usage: scripts/test.sh [lint|native|wasm|sanitize|parity|browser ...]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh test || { echo "attnlab: could not install the dependencies"; exit 1; }
export NODE_PATH=/usr/share/nodejs

passed=0
failed=0
report=()
log_dir=build/test-logs
mkdir -p "$log_dir"

# Runs the CTest tests of build/<dir> and adds their counts under <name>. A test that hangs fails after 20 minutes
# (a whole suite takes a few), so the run still ends with its count line inside CI's limit.
run_ctest() {
  local name=$1 dir=$2
  echo "== $name: running"
  ctest --test-dir "build/$dir" --output-on-failure --timeout 1200 -j"$(nproc)" 2>&1 | tee "$log_dir/$name.log"
  local line total fails
  line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log_dir/$name.log" | tail -1)
  if [ -z "$line" ]; then
    report+=("$name: no result from ctest")
    failed=$((failed + 1))
    return
  fi
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  fails=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - fails))
  failed=$((failed + fails))
  report+=("$name: $((total - fails)) passed, $fails failed")
}

# Runs a build command quietly (its log kept); on failure reports <name> as not built.
build_quietly() {
  local name=$1
  shift
  echo "== $name: building"
  if ! "$@" > "$log_dir/$name-build.log" 2>&1; then
    tail -40 "$log_dir/$name-build.log"
    report+=("$name: BUILD FAILED (see $log_dir/$name-build.log)")
    failed=$((failed + 1))
    return 1
  fi
}

# A CTest suite of scripts/build.sh: build it, run it, add its counts.
ctest_suite() {
  build_quietly "$1" scripts/build.sh "$2" && run_ctest "$1" "$2"
}

# The sanitize suite: the native doctest suite and the CLI checks again, built by clang with
# AddressSanitizer + UndefinedBehaviorSanitizer (any report fails the test), then every libFuzzer
# target of tests/fuzz for a short run (scripts/fuzz.sh; longer runs on demand).
sanitize_suite() {
  # shellcheck disable=SC2016  # the $(…) and ${CI} expand in the inner bash -c, on purpose
  build_quietly sanitize bash -c 'CC=clang CXX=clang++ cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTNLAB_SANITIZE=ON -DATTNLAB_WERROR=$([ "${CI:-}" = true ] && echo ON || echo OFF) && cmake --build build/sanitize -j"$(nproc)"' || return
  run_ctest sanitize sanitize
  echo "== fuzz: ${ATTNLAB_FUZZ_SECONDS:-15} s per target"
  local targets=(tests/fuzz/fuzz_*.cpp)
  if scripts/fuzz.sh "${ATTNLAB_FUZZ_SECONDS:-15}" 2>&1 | tee "$log_dir/fuzz.log"; then
    passed=$((passed + ${#targets[@]}))
    report+=("fuzz: ${#targets[@]} passed, 0 failed")
  else
    failed=$((failed + 1))
    report+=("fuzz: a target crashed (see $log_dir/fuzz.log)")
  fi
}

# The PyTorch parity suite: attnlab and Debian's python3-torch give the same numbers (needs the native
# attnlab command, built by the native suite).
python_suite() {
  local name=$1
  shift
  echo "== $name: running"
  "$@" 2>&1 | tee "$log_dir/$name.log"
  local ran fails
  ran=$(grep -oE "^Ran [0-9]+ test" "$log_dir/$name.log" | grep -oE "[0-9]+" | tail -1)
  if [ -z "$ran" ] || ! grep -qE "^OK" "$log_dir/$name.log"; then
    fails=$(grep -oE "(failures|errors)=[0-9]+" "$log_dir/$name.log" | grep -oE "[0-9]+" | paste -sd+ -)
    fails=$(( ${fails:-1} ))
    ran=${ran:-$fails}
    passed=$((passed + ran - fails))
    failed=$((failed + fails))
    report+=("$name: $((ran - fails)) passed, $fails failed")
    return
  fi
  passed=$((passed + ran))
  report+=("$name: $ran passed, 0 failed")
}

# The lint suite: shellcheck, pyflakes and ESLint, one test each (scripts/lint.sh).
lint_suite() {
  echo "== lint: running"
  scripts/lint.sh 2>&1 | tee "$log_dir/lint.log"
  local pass fail
  pass=$(grep -cE "^ok " "$log_dir/lint.log")
  fail=$(grep -cE "^FAIL " "$log_dir/lint.log")
  if [ $((pass + fail)) -eq 0 ]; then
    report+=("lint: did not run (see $log_dir/lint.log)")
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + pass))
  failed=$((failed + fail))
  report+=("lint: $pass passed, $fail failed")
}

# The browser suite: the page and the widget in Debian's Chromium, node's test runner ("# pass N").
browser_suite() {
  echo "== browser: running"
  scripts/web.sh test 2>&1 | tee "$log_dir/browser.log"
  local pass fail
  pass=$(grep -E "^# pass [0-9]+" "$log_dir/browser.log" | grep -oE "[0-9]+" | tail -1)
  fail=$(grep -E "^# fail [0-9]+" "$log_dir/browser.log" | grep -oE "[0-9]+" | tail -1)
  if [ -z "$pass" ] || [ -z "$fail" ]; then
    report+=("browser: did not run (see $log_dir/browser.log)")
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + pass))
  failed=$((failed + fail))
  report+=("browser: $pass passed, $fail failed")
}

for s in "${suites[@]}"; do
  case "$s" in
    lint) lint_suite ;;
    native) ctest_suite native native ;;
    wasm) ctest_suite wasm wasm ;;
    sanitize) sanitize_suite ;;
    parity)
      [ -x build/native/attnlab ] || scripts/build.sh native attnlab > "$log_dir/parity-build.log" 2>&1
      ATTNLAB_BIN=build/native/attnlab python_suite parity /usr/bin/python3 -m unittest discover -s tests/parity -v ;;
    browser) browser_suite ;;
  esac
done

echo
echo "== summary"
for r in "${report[@]}"; do echo "  $r"; done
echo "attnlab: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
