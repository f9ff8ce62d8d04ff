#!/bin/bash
# Client instructions per operation of one ignite-async-bench phase, counted by valgrind's callgrind: the difference
# of two runs with different BENCH_OPS, divided by the difference of operations (start-up, connection and warm-up
# cancel out). Instruction counts do not depend on the load of the machine, unlike wall-clock and CPU figures; they
# count user-space instructions only (system calls are not included).
#
# Usage: Examples/Benchmarks/callgrind-per-op.sh PHASE [OPS1 OPS2]
#   PHASE: a BENCH_PHASES key of ignite-async-bench: async-put-1, async-get-64, loop-put, sync-get-1, raw-put-64, ...
#   Needs IGNITE_BENCH_ADDRESS (host:port) of a running server, for example the test node:
#     .build/release/ignite-test-node --nodes 1      # prints "ready ports=<port>"
#   (the benchmark's own child test node cannot be started under valgrind). BENCH_BINARY overrides the binary.
set -euo pipefail
phase=${1:?phase}
ops1=${2:-4000}
ops2=${3:-12000}
binary=${BENCH_BINARY:-.build/release/ignite-async-bench}
: "${IGNITE_BENCH_ADDRESS:?set IGNITE_BENCH_ADDRESS to a running server}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
    BENCH_PHASES=$phase BENCH_DEPTHS=1,8,64,256 BENCH_OPS=$1 \
        valgrind --tool=callgrind --callgrind-out-file="$out/$1.cg" "$binary" > "$out/$1.txt" 2> "$out/$1.err"
    local ir ops
    ir=$(grep -E '^(summary|totals):' "$out/$1.cg" | head -1 | awk '{print $2}')
    ops=$(grep -E '^  .*: [0-9]+ ops' "$out/$1.txt" | head -1 | sed -E 's/.*: ([0-9]+) ops.*/\1/')
    echo "$ir $ops"
}
read -r i1 n1 < <(measure "$ops1")
read -r i2 n2 < <(measure "$ops2")
echo "$phase: $(( (i2 - i1) / (n2 - n1) )) instructions/op ($i1 for $n1 ops, $i2 for $n2 ops)"
