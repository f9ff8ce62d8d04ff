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

echo "== golden vectors: regenerate with pyignite and compare"
if [ -f Tools/golden/check.sh ]; then
    GOLDEN_VENV="$PWD/$VENV" bash Tools/golden/check.sh
fi

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
PYTHON="$PWD/$VENV/bin/python" IGNITE_REQUIRE_PYTHON=1 swift test --skip-build --skip "$ASYNC_SUITES"

echo "== swift test (the async product's suites)"
swift test --skip-build --filter "$ASYNC_SUITES"

echo "== examples against the test node"
bash Tools/run-examples.sh

echo "== concurrency tests under ThreadSanitizer"
bash Tools/tsan.sh
