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

if [ -f Tools/pyignite-suite/run.sh ]; then
    echo "== pyignite suite against the test node"
    PYTHON="$VENV/bin/python" bash Tools/pyignite-suite/run.sh
fi

echo "== swift test"
# The cross-client exchange tests (pyignite <-> IgniteClient) must run here, not be skipped for want of a Python.
PYTHON="$PWD/$VENV/bin/python" IGNITE_REQUIRE_PYTHON=1 swift test --skip-build

echo "== examples against the test node"
bash Tools/run-examples.sh

echo "== concurrency tests under ThreadSanitizer"
bash Tools/tsan.sh
