#!/bin/bash
# System calls and context switches per operation of one ignite-async-bench phase, counted by the kernel's
# tracepoints with `perf stat` (which, unlike `strace`, does not slow the system calls down and so does not change
# how replies batch): the difference of two runs with different BENCH_OPS, divided by the difference of operations
# (start-up, connection and warm-up cancel out). The test node runs in its own process (not counted). Also the
# client's CPU time per operation (perf's task-clock), which, unlike the counts, depends on the machine's load.
#
# Usage: Examples/Benchmarks/syscalls-per-op.sh PHASE [OPS1 OPS2]
#   PHASE: a BENCH_PHASES key of ignite-async-bench: async-put-64, async-get-1, sync-get-1, ...
#   BENCH_BIN_DIR: where ignite-async-bench and ignite-test-node are (default .build/release).
#   Needs `perf` with access to tracepoints (perf_event_paranoid ≤ 2 for one's own processes, or root).
#   BENCH_TASKSET (e.g. "taskset -c 1") pins both processes. BENCH_REQUEST_TIMEOUT_MS passes through (the clients'
#   request timeout).
set -euo pipefail
phase=${1:?phase}
ops1=${2:-4000}
ops2=${3:-16000}
bindir=${BENCH_BIN_DIR:-.build/release}
pin=${BENCH_TASKSET:-}
out=$(mktemp -d)
$pin "$bindir/ignite-test-node" --nodes 1 > "$out/node.txt" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do grep -q 'ready ports=' "$out/node.txt" && break; sleep 0.1; done
port=$(grep -o 'ready ports=[0-9]*' "$out/node.txt" | head -1 | cut -d= -f2)
kinds="futex epoll_wait epoll_ctl sendto recvfrom sendmsg recvmsg writev read write poll ppoll setsockopt"
events="raw_syscalls:sys_enter,context-switches,task-clock"
for k in $kinds; do events+=",syscalls:sys_enter_$k"; done
measure() {
    IGNITE_BENCH_ADDRESS=127.0.0.1:$port BENCH_PHASES=$phase BENCH_DEPTHS=1,64 BENCH_OPS=$1 \
        perf stat -x, -e "$events" -o "$out/$1.perf" $pin "$bindir/ignite-async-bench" > "$out/$1.txt" 2>&1
    grep -E '^  .*: [0-9]+ ops' "$out/$1.txt" | head -1 | sed -E 's/.*: ([0-9]+) ops.*/\1/'
}
n1=$(measure "$ops1")
n2=$(measure "$ops2")
python3 - "$out/$ops1.perf" "$out/$ops2.perf" "$n1" "$n2" "$phase" <<'PY'
import sys
def load(path):
    counts = {}
    for line in open(path):
        fields = line.strip().split(",")
        if len(fields) > 2 and fields[0].replace(".", "").isdigit():
            counts[fields[2].replace("syscalls:sys_enter_", "").replace("raw_syscalls:sys_enter", "all")] = float(fields[0])
    return counts
a, b = load(sys.argv[1]), load(sys.argv[2])
ops = int(sys.argv[4]) - int(sys.argv[3])
per = {k: (b.get(k, 0) - a.get(k, 0)) / ops for k in b}
kinds = ", ".join(f"{k} {v:.2f}" for k, v in sorted(per.items(), key=lambda kv: -kv[1])
                  if k not in ("all", "context-switches", "task-clock") and abs(v) >= 0.005)
print(f"{sys.argv[5]}: {per.get('all', 0):.2f} system calls/op ({kinds}); "
      f"{per.get('context-switches', 0):.2f} context switches/op; "
      f"client CPU {per.get('task-clock', 0) * 1000:.1f} µs/op (task-clock: noisy on a loaded machine)")
PY
