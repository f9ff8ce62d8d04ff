#!/usr/bin/env bash
# Runs every example of Examples/ (ignite-examples and ignite-examples-async) against the test node, and fails if an
# example fails or its output lacks the lines it must print. Called by Tools/test-all.sh after `swift test`.
#
#  1. every example on its own in-process test node (failover: three nodes, the example stops one itself);
#  2. the "real cluster" path: examples given IGNITE_ADDRESSES of a separate ignite-test-node process —
#     - TLS and authentication: a node that requires ignite/ignite behind a TLS proxy that requires a client
#       certificate (Examples/Scripts/tls-proxy.py, certificates of Tests/IgniteTLSTests/Certificates);
#     - failover: a 3-node ignite-test-node; this script stops the node serving the example's key mid-run through the
#       node's control port, as an operator would.
# Takes about a minute once built. Needs python3 (standard library only) for the TLS proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product ignite-examples >/dev/null
swift build --product ignite-examples-async >/dev/null
swift build --product ignite-test-node >/dev/null
BIN="$(swift build --show-bin-path)"
CERTS="Tests/IgniteTLSTests/Certificates"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
FAILURES=0

# check LOG LINE...: every LINE must appear in LOG (fixed strings).
check() {
    local log="$1"; shift
    local missing=0
    for line in "$@"; do
        if ! grep -qF -- "$line" "$log"; then
            echo "   missing: $line"
            missing=1
        fi
    done
    return $missing
}

# run NAME EXPECTED-LINES-ARRAY-NAME COMMAND...: runs an example, prints a verdict.
run() {
    local name="$1" expected="$2"; shift 2
    local log="$WORK/$(echo "$name" | tr ' /' '__').log"
    local -n lines="$expected"
    local status=0
    timeout 120 "$@" >"$log" 2>&1 || status=$?
    if [ "$status" -eq 0 ] && check "$log" "${lines[@]}"; then
        echo "ok     $name"
    else
        echo "FAILED $name (exit status $status); its output:"
        sed 's/^/   | /' "$log"
        FAILURES=$((FAILURES + 1))
    fi
}

# wait_for FILE PATTERN: waits (up to 20 s) until a line of FILE matches PATTERN, prints the match.
wait_for() {
    for _ in $(seq 1 200); do
        if grep -q -- "$2" "$1" 2>/dev/null; then grep -m1 -- "$2" "$1"; return 0; fi
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1" >&2
    cat "$1" >&2
    return 1
}

# control PORT COMMAND: sends one command to a test node's control port, prints the answer.
control() {
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf '%s\n' "$2" >&3
    local line
    while IFS= read -r -t 5 line <&3; do
        echo "$line"
        case "$line" in OK*|ERR*) break ;; esac
    done
    exec 3<&-
}

echo "== examples on the in-process test node"
key_value=("get 'my key' = 42" "getAll = [\"my key\": 42]" "getAndPut 'my key' 43, previous = 42" "started the in-process TEST NODE" "key-value: OK")
type_hints=("stored as long(42)" "stored as short(42)" "get \"a\" = 1, get JavaChar(\"a\") = 2" "any left = false" "type-hints: OK")
collections=("LinkedHashMap read back: kind linkedHashMap, entries [\"1: test\", \"key: 2.0\"]" "LinkedList read back: kind linkedList" "Object[] read back: element type -1, [\"7\", \"8\", \"9.0\"]" "collections: OK")
binary_basics=("as a BinaryObject: type Person" "first_name = Ivan" "fields [\"first_name\", \"last_name\", \"age\"]" "age changed through a builder: 34" "binary-basics: OK")
create_binary=("[\"SID\", \"NAME\", \"LOGIN\", \"AGE\", \"GPA\"]" "[1, 'John Doe', 'jdoe', 17, 4.25]" "Only cache created with CREATE TABLE may be removed with DROP TABLE" "create-binary: OK")
read_binary=("table: CITY" "scanned 26 entries" "(ID=1890, COUNTRYCODE=CHN)" "(NAME=Shanghai, DISTRICT=Shanghai, POPULATION=9696300)" "read-binary: OK")
migrate_binary=("1 schema(s)" "voucher 4: Joe Bloggs, 1234.5, reported false -> report_date nil" "\"expense_date\", \"report_date\"], 2 schema(s)" "writing sum as a String fails" "migrate-binary: OK")
scans=("... 20 entries in total" "pageSize 5: more pages on the server after the first entry: true; entries 20" "scanned 1024 partitions one by one: 20 entries" "scans: OK")
sql=("['Mumbai (Bombay)', 10500000]" "['Harbin', 4289800]" "[\"COUNTRY_NAME\", \"CITY_NAME\", \"MAX_POP\"]" "['United States', 'New York', 8008278]" "NAME: Detroit" "POPULATION: 951270" "cities per country: CHN: 9, IND: 7, USA: 10" "1 row(s); now 639111" "their caches left: []" "sql: OK")
transactions=("key=1 value=success" "rolled back by the error it threw" "label=long-tx" "optimistic serializable: committed key=2 value=6" "transactions: OK")
expiry=("Create cache with expiry policy." "key = 1, value = 1" "key = 1, value = None" "expiry-policy: OK")
failover=("3 nodes at" "Connected" "stopped node" "steps after the node went down" "connected to 2 of 3 nodes at the end" "failover: OK")
auth=("with authentication" "authenticated as ignite" "a wrong password is refused: authentication, server status 2000" "no credentials are refused: authentication" "auth: OK")
for example in key-value type-hints collections binary-basics create-binary read-binary migrate-binary scans sql transactions expiry-policy failover auth; do
    case "$example" in
        key-value) expected=key_value ;; type-hints) expected=type_hints ;; binary-basics) expected=binary_basics ;;
        create-binary) expected=create_binary ;; read-binary) expected=read_binary ;; migrate-binary) expected=migrate_binary ;;
        expiry-policy) expected=expiry ;; *) expected="$example" ;;
    esac
    run "$example" "$expected" "$BIN/ignite-examples" "$example"
done

async_key_value=("value_10" "20 concurrent gets: 20 values" "20 sequential puts on the client's executor; the cache holds 20 entries" "... 20 entries scanned" "key-value: OK")
async_sql=("inserted 38 rows concurrently" "['Mumbai (Bombay)', 10500000]" "['China', 'Harbin', 4289800]" "NAME: Detroit" "dropped the tables" "sql: OK")
async_scans=("... 20 entries in total" "left the loop after 7 entries" "20 entries in" "scans: OK")
async_transactions=("key=1 value=success" "label=long-tx" "five concurrent transactions, 4 committed: keys [100, 101, 102, 104]" "transactions: OK")
async_expiry=("key = 1, value = 1" "key = 1, value = None" "expiry-policy: OK")
async_failover=("3 nodes at" "8 tasks count on 8 keys" "stopped node" "steps after the node went down" "connected to 2 of 3 nodes at the end" "failover: OK")
run "async key-value" async_key_value "$BIN/ignite-examples-async" key-value
run "async sql" async_sql "$BIN/ignite-examples-async" sql
run "async scans" async_scans "$BIN/ignite-examples-async" scans
run "async transactions" async_transactions "$BIN/ignite-examples-async" transactions
run "async expiry-policy" async_expiry "$BIN/ignite-examples-async" expiry-policy
run "async failover" async_failover "$BIN/ignite-examples-async" failover

echo "== TLS and authentication: ignite-test-node --user ignite:ignite behind a TLS proxy"
"$BIN/ignite-test-node" --port 0 --user ignite:ignite >"$WORK/secure-node.log" 2>&1 &
PIDS+=($!)
NODE_PORT="$(wait_for "$WORK/secure-node.log" '^ready ports=' | sed 's/^ready ports=\([0-9]*\).*/\1/')"
python3 Examples/Scripts/tls-proxy.py --cert "$CERTS/server.pem" --key "$CERTS/server.key" --ca "$CERTS/ca.pem" \
    --target "127.0.0.1:$NODE_PORT" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
TLS_PORT="$(wait_for "$WORK/proxy.log" '^ready port=' | sed 's/^ready port=//')"
tls=("connected over TLS to 127.0.0.1:$TLS_PORT" "as ignite" "put and got back 100000 bytes over TLS" "without TLS the connection fails" "tls: OK")
secure_auth=("Connecting to the cluster in IGNITE_ADDRESSES: 127.0.0.1:$TLS_PORT over TLS as ignite" "a wrong password is refused: authentication" "auth: OK")
secure_sql=("over TLS as ignite" "['Mumbai (Bombay)', 10500000]" "NAME: Detroit" "sql: OK")
secure_async=("over TLS as ignite" "value_10" "... 20 entries scanned" "key-value: OK")
export IGNITE_ADDRESSES="127.0.0.1:$TLS_PORT" IGNITE_TLS_CA="$CERTS/ca.pem" IGNITE_TLS_CERT="$CERTS/client.pem"
export IGNITE_TLS_KEY="$CERTS/client.key" IGNITE_USER=ignite IGNITE_PASSWORD=ignite
run "tls" tls "$BIN/ignite-examples" tls
run "auth over TLS" secure_auth "$BIN/ignite-examples" auth
run "sql over TLS" secure_sql "$BIN/ignite-examples" sql
run "async key-value over TLS" secure_async "$BIN/ignite-examples-async" key-value
unset IGNITE_ADDRESSES IGNITE_TLS_CA IGNITE_TLS_CERT IGNITE_TLS_KEY IGNITE_USER IGNITE_PASSWORD

echo "== failover on a 3-node ignite-test-node, a node stopped through its control port"
"$BIN/ignite-test-node" --nodes 3 --port 0 --control-port 0 >"$WORK/cluster.log" 2>&1 &
PIDS+=($!)
ADDRESSES="$(wait_for "$WORK/cluster.log" '^ready ports=' | sed 's/^ready ports=//; s/\([0-9][0-9]*\)/127.0.0.1:\1/g')"
CONTROL="$(grep -m1 '^control port=' "$WORK/cluster.log" | sed 's/^control port=//')"
FAILOVER_LOG="$WORK/failover-cluster.log"
IGNITE_ADDRESSES="$ADDRESSES" IGNITE_FAILOVER_SECONDS=6 timeout 120 "$BIN/ignite-examples" failover >"$FAILOVER_LOG" 2>&1 &
EXAMPLE=$!
wait_for "$FAILOVER_LOG" 'Stop one of the nodes now' >/dev/null
sleep 1
# The node that served the most key requests serves the example's key: stop it.
VICTIM="$(control "$CONTROL" STATS | sed -n 's/^node \([0-9]*\) .*running=1 keys=\([0-9]*\).*/\2 \1/p' | sort -n | tail -1 | cut -d' ' -f2)"
echo "   stopping node $VICTIM"
control "$CONTROL" "STOP $VICTIM" >/dev/null
control "$CONTROL" STATS | sed "s/^/   /"
STATUS=0
wait "$EXAMPLE" || STATUS=$?
cluster_failover=("Connecting to the cluster in IGNITE_ADDRESSES" "Stop one of the nodes now" "a node went down after" "steps after the node went down" "failover: OK")
if [ "$STATUS" -eq 0 ] && check "$FAILOVER_LOG" "${cluster_failover[@]}"; then
    echo "ok     failover with a node stopped by the operator"
else
    echo "FAILED failover with a node stopped by the operator (exit status $STATUS); its output:"
    sed 's/^/   | /' "$FAILOVER_LOG"
    FAILURES=$((FAILURES + 1))
fi

if [ "$FAILURES" -ne 0 ]; then
    echo "$FAILURES example run(s) failed"
    exit 1
fi
echo "every example passed"
