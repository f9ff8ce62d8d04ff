#!/usr/bin/env bash
# Runs the concurrency-relevant tests under ThreadSanitizer: the Codable bridge's shared type caches and templates,
# the binary type registry, NodeConnection's pipelining from many threads, the client under concurrent load while a
# node restarts, and the test node's pipelining stress. The first data race aborts the run (exit status non-zero).
#
# The build goes to its own directory, .build-tsan (git-ignored); the first one takes a while.
# Extra arguments go to `swift test` (for example `--filter NodeConnectionTests` to run fewer tests).
set -euo pipefail
cd "$(dirname "$0")/.."

export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
FILTER='CodableConcurrencyTests|CodableTemplateRaceTests|registryIsSafeAcrossThreads|NodeConnectionTests|ConcurrencyStressTests|PipeliningStressTests'

if [ "$#" -gt 0 ]; then
    swift test --sanitize=thread --scratch-path .build-tsan "$@"
else
    swift test --sanitize=thread --scratch-path .build-tsan --filter "$FILTER"
fi
