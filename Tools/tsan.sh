#!/usr/bin/env bash
# Runs the concurrency-relevant tests under ThreadSanitizer: the TCP transport's lock-free close, the Codable bridge's
# shared type caches and templates, the binary type registry, NodeConnection's pipelining from many threads, the
# client under concurrent load while a node restarts, and the test node's pipelining stress; then, in a second `swift
# test` process (the async product's suites always run in a process of their own, see Tools/test-all.sh), the async
# event loop, the loop executor and AsyncConnection's pipelining, faults and write deadlines, plain and over TLS. The
# first data race aborts the run (exit status non-zero).
#
# The build goes to its own directory, .build-tsan (git-ignored); the first one takes a while.
# Extra arguments go to `swift test` (for example `--filter NodeConnectionTests` to run fewer tests).
set -euo pipefail
cd "$(dirname "$0")/.."

export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
FILTER='TCPTransportTests|CodableConcurrencyTests|CodableTemplateRaceTests|registryIsSafeAcrossThreads|NodeConnectionTests|ConcurrencyStressTests|PipeliningStressTests'
ASYNC_FILTER='IgniteAsyncTests\.(EventLoopTests|LoopExecutorTests|AsyncConnectionTests|AsyncConnectionFaultTests|AsyncWriteDeadlineTests|AsyncHardeningTests)|IgniteTLSTests\.AsyncTLSClientTests'

if [ "$#" -gt 0 ]; then
    swift test --sanitize=thread --scratch-path .build-tsan "$@"
else
    echo "== ThreadSanitizer: synchronous suites"
    swift test --sanitize=thread --scratch-path .build-tsan --filter "$FILTER"
    echo "== ThreadSanitizer: the async product's suites (a process of their own)"
    swift test --sanitize=thread --scratch-path .build-tsan --skip-build --filter "$ASYNC_FILTER"
fi
