#!/usr/bin/env bash
# Runs the pyignite 0.6.1 suite against the swift-ignite test node (built from this package).
# Uses $PYTHON (a venv python with pyignite 0.6.1; pytest is installed into it if missing).
# Starts three test-node processes on free ports, always kills them, exits non-zero on failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
cd "$ROOT"

"$PYTHON" -c "import pyignite" 2>/dev/null || "$PYTHON" -m pip install -q --disable-pip-version-check pyignite==0.6.1
"$PYTHON" -m pytest --version >/dev/null 2>&1 || "$PYTHON" -m pip install -q --disable-pip-version-check pytest

swift build --product ignite-test-node 2>&1 | grep -E "error|Compiling|Build" || true
BIN="$(swift build --show-bin-path)/ignite-test-node"
[ -x "$BIN" ] || { echo "ignite-test-node was not built" >&2; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# start_node NAME ARGS... : starts a node process, waits for its "ready" line.
start_node() {
    local name="$1"; shift
    "$BIN" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    PIDS+=("$!")
    for _ in $(seq 1 300); do
        if grep -q '^ready ' "$WORK/$name.out" 2>/dev/null; then return 0; fi
        if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "node $name did not start:" >&2
    cat "$WORK/$name.out" "$WORK/$name.err" >&2
    exit 1
}
ports_of() { sed -n 's/^ready ports=//p' "$WORK/$1.out"; }
control_of() { sed -n 's/^control port=//p' "$WORK/$1.out"; }

start_node single --nodes 1 --persistent --control-port 0 --sql-fixtures "$HERE/sql-fixtures.json"
start_node cluster --nodes 3 --control-port 0 --consistent-ids node-10800,node-10801,node-10802
start_node auth --nodes 1 --user ignite:ignite

export IGNITE_SINGLE_PORT="$(ports_of single)"
export IGNITE_SINGLE_CONTROL="$(control_of single)"
export IGNITE_CLUSTER_PORTS="$(ports_of cluster)"
export IGNITE_CLUSTER_CONTROL="$(control_of cluster)"
export IGNITE_AUTH_PORT="$(ports_of auth)"
export IGNITE_SINGLE_PERSISTENT=1
export IGNITE_CLUSTER_CONSISTENT_IDS=node-10800,node-10801,node-10802
echo "test node ports: single=$IGNITE_SINGLE_PORT cluster=$IGNITE_CLUSTER_PORTS auth=$IGNITE_AUTH_PORT"

export IGNITE_SUITE_STRICT=1
set +e
"$PYTHON" -m pytest -q -rs -p no:cacheprovider "$HERE"
STATUS=$?
set -e
exit $STATUS
