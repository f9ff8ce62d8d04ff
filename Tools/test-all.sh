#!/usr/bin/env bash
# Runs every test of swift-ignite: golden-vector regeneration, the Swift test suites (`swift test`),
# pyignite's conformance suite against the in-process test node, and the concurrency tests under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=".venv"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check pyignite==0.6.1

# Every `swift test` runs under a time limit (a watchdog below, with coreutils `timeout` as a backstop): a test process
# that never exits (a hung test; leaked threads cannot do it, the test runner ends with exit()) fails this script
# after the limit with a clear message and a dump of its threads, instead of eating the CI budget.
# SWIFT_TEST_TIME_LIMIT overrides the limit (seconds; tsan.sh gets twice as much).
SWIFT_TEST_TIME_LIMIT="${SWIFT_TEST_TIME_LIMIT:-1200}"

# The test binary's output goes to a pipe, where its stdio buffers it: a test process that hangs (and is killed)
# would show nothing at all of its run. `stdbuf` (coreutils) makes it line-buffered, so the log shows which test
# started and never finished, and Swift Testing's "Time limit was exceeded" as it happens. Not used for tsan.sh.
LINE_BUFFERED=()
if command -v stdbuf > /dev/null; then
    LINE_BUFFERED=(stdbuf -oL -eL)
fi

# descendants <pid>: every descendant process id of <pid>, parents before children. SwiftPM starts the test binary
# in a process group of its own, so signalling `timeout`'s group does not reach it: the watchdog walks the tree.
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# dump_threads <pid...>: prints every thread (name, state, kernel wait channel) of the processes, with user-space
# backtraces of the test binaries when gdb is installed: the evidence of what kept a test process alive.
dump_threads() {
    local pid task
    for pid in "$@"; do
        [ -d "/proc/$pid" ] || continue
        echo "-- process $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null | cut -c1-200)"
        for task in /proc/"$pid"/task/*; do
            echo "   thread ${task##*/} $(cat "$task/comm" 2> /dev/null) state=$(awk '{print $3}' "$task/stat" 2> /dev/null) wchan=$(cat "$task/wchan" 2> /dev/null)"
        done
        if command -v gdb > /dev/null && grep -q 'xctest' "/proc/$pid/cmdline" 2> /dev/null; then
            timeout 120 gdb -p "$pid" -batch -nx -ex 'thread apply all bt 15' 2> /dev/null | grep -E '^(Thread|#)' || true
        fi
    done
}

# run_with_time_limit <label> <command...>: runs the command; if it is still running after the limit, dumps the
# threads of its processes, kills the whole tree (TERM, then KILL) and fails with a message naming the step.
# `timeout` (coreutils) is the backstop should the watchdog itself fail.
run_with_time_limit() {
    local label="$1"
    shift
    local limit="$SWIFT_TEST_TIME_LIMIT"
    local fired
    fired="$(mktemp)"
    rm -f "$fired"
    local status=0
    timeout --kill-after=30 $((limit + 300)) "$@" &
    local runner=$!
    ( sleep "$limit"
      touch "$fired"
      echo "== $label: still running after ${limit}s; its processes and threads:" >&2
      pids="$(descendants "$runner")"
      # shellcheck disable=SC2086
      dump_threads $pids >&2
      # shellcheck disable=SC2086
      kill -TERM $pids 2> /dev/null || true
      sleep 15
      # shellcheck disable=SC2086
      kill -KILL $pids 2> /dev/null || true ) &
    local watchdog=$!
    wait "$runner" || status=$?
    # The watchdog first, then its `sleep`, which would otherwise linger holding this script's output open.
    local sleeper
    sleeper="$(descendants "$watchdog")"
    kill "$watchdog" 2> /dev/null || true
    # shellcheck disable=SC2086
    [ -z "$sleeper" ] || kill $sleeper 2> /dev/null || true
    wait "$watchdog" 2> /dev/null || true
    if [ -e "$fired" ] || [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        rm -f "$fired"
        echo "error: $label did not exit within ${limit}s and was killed: a test hung, or something kept the test process alive after its tests finished (see the thread dump above)" >&2
        exit 1
    fi
    return "$status"
}

echo "== golden vectors: regenerate with pyignite and compare"
if [ -f Tools/golden/check.sh ]; then
    GOLDEN_VENV="$PWD/$VENV" bash Tools/golden/check.sh
fi

echo "== benchmark tooling: median-of-runs.py parses both benchmarks' tables"
"$VENV/bin/python" Examples/Benchmarks/median-of-runs.py --self-test
echo "== build"
swift build --build-tests

echo "== public surface (Tools/public-surface/check.sh)"
bash Tools/public-surface/check.sh

if [ -f Tools/pyignite-suite/run.sh ]; then
    echo "== pyignite suite against the test node"
    PYTHON="$VENV/bin/python" bash Tools/pyignite-suite/run.sh
fi

# Two processes. Swift Testing runs synchronous tests on Swift's cooperative thread pool, which has one thread per
# core; the blocking product's tests, the fuzzers and the test node's tests keep those threads busy for tens of
# seconds on a small machine, and async tests sharing the process then wait that long to be resumed (their
# handshakes outlive the node's 10 s handshake limit). The async product's suites therefore get a process of their own.
ASYNC_SUITES='IgniteAsyncTests|AsyncTLSClientTests'

echo "== swift test (everything but the async product's suites)"
# The cross-client exchange tests (pyignite <-> IgniteClient) must run here, not be skipped for want of a Python.
PYTHON="$PWD/$VENV/bin/python" IGNITE_REQUIRE_PYTHON=1 run_with_time_limit "swift test (sync suites)" \
    "${LINE_BUFFERED[@]}" swift test --skip-build --skip "$ASYNC_SUITES"

echo "== swift test (the async product's suites)"
# Every async suite also carries `.timeLimit(.minutes(10))`: a test that never finishes is named in the log ("Time
# limit was exceeded") and its task cancelled, well before the process limit. Leaked test-node threads cannot keep
# the process alive (the test runner ends with exit()); a process that stays up is a test that has not returned.
run_with_time_limit "swift test (async suites)" "${LINE_BUFFERED[@]}" swift test --skip-build --filter "$ASYNC_SUITES"

echo "== examples against the test node"
bash Tools/run-examples.sh

echo "== concurrency tests under ThreadSanitizer"
# Two `swift test` processes plus a ThreadSanitizer build: twice the limit.
SWIFT_TEST_TIME_LIMIT=$((SWIFT_TEST_TIME_LIMIT * 2)) run_with_time_limit "ThreadSanitizer tests (Tools/tsan.sh)" bash Tools/tsan.sh
