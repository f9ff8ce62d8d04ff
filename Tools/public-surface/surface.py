#!/usr/bin/env python3
# Fails when a kind of declaration that must stay `package` is public (Tools/public-surface/check.sh).
#
# Input: a directory of symbol graphs (swift-symbolgraph-extract, minimum access level public), one per module.
# A symbol is forbidden when its source file is in an internal area (engine, state machines, affinity routing,
# framing, transport, event loop, failover machinery) or when its name is one of a wire message's (request and
# response types, op-code markers, server-direction coding). Prints the public symbol count per module.
import collections, glob, json, os, re, sys

FORBIDDEN_PATHS = [
    r'IgniteProtocol/Engine/', r'IgniteProtocol/StateMachines/', r'IgniteProtocol/Affinity/',
    r'IgniteProtocol/Failover/(Failover|Backoff|ReconnectThrottle)\.swift',
    r'IgniteProtocol/Core/(Handshake|IgniteRequest|ResponseHeader|DurationConversion)\.swift',
    r'IgniteSockets/', r'IgniteSync/Engine/', r'IgniteAsync/(Engine|EventLoop|Connection)/',
]
# Messages/ holds the wire messages; only these value types of it are user-facing.
MESSAGES_ALLOWED = {
    'AtomicConfiguration', 'ClusterState', 'CollectionConfiguration', 'IgniteSetIdentity', 'ComputeTaskFlags',
    'ContinuousQueryEvent', 'DataStreamerEntry', 'EncodedValue', 'ExpiryDuration', 'ExpiryPolicy', 'PeekMode',
    'IndexQueryCriterion', 'SQLStatementType', 'ServiceDescriptor', 'TransactionConcurrency',
    'TransactionIsolation', 'OpCode', 'FeatureBit', 'IgniteError', 'IgniteEntryProcessor', 'IgniteEntryProcessorResult',
}
# User-facing declarations that live in an internal area.
ALLOWED = {'IgniteClient.executor'}   # IgniteAsync: the event loop as a TaskExecutor (Docs/ASYNC.md)
FORBIDDEN_NAMES = re.compile(
    r'(Request|Response|StateMachine|Markers?|Framing|FrameDecoder|Transport|TransportFactory)$'
    r'|^(IgniteOps|IgniteServerCodableRequest|IgniteOperationMarker|NotificationRouter|CursorPage|PartitionMap'
    r'|PartitionAwarenessState|RetryTracker|Backoff|ReconnectThrottle|OperationKind|BinaryTypeRegistry|JavaHash)$'
    r'|^(encodeResponse|decodeResponse|encodeRequest|decodeRequest|encodeRecord|decodeRecord|encodeProperties'
    r'|decodeProperties|encodeBatch|decodeBatch|serverDefaults|merged|writeEncodedValue|readEncodedValue)\(')

def main(directory):
    counts = collections.Counter(); problems = []
    for path in sorted(glob.glob(os.path.join(directory, '*.symbols.json'))):
        module = os.path.basename(path).split('.symbols.json')[0].split('@')[0]
        graph = json.load(open(path))
        for symbol in graph['symbols']:
            if symbol.get('accessLevel') not in ('public', 'open'):
                continue
            counts[module] += 1
            uri = symbol.get('location', {}).get('uri', '')
            where = uri.split('/Sources/')[-1] if '/Sources/' in uri else uri
            names = symbol['pathComponents']
            title = '.'.join(names)
            reason = None
            if title in ALLOWED:
                pass
            elif any(re.search(p, where) for p in FORBIDDEN_PATHS):
                reason = 'internal area'
            elif '/Messages/' in where and names[0] not in MESSAGES_ALLOWED:
                reason = 'wire message'
            elif any(FORBIDDEN_NAMES.search(n) for n in names):
                reason = 'wire/engine name'
            if reason:
                line = symbol.get('location', {}).get('position', {}).get('line', -1) + 1
                problems.append(f'{where}:{line}: public {symbol["kind"]["displayName"].lower()} {title} ({reason})')
    for module, n in sorted(counts.items()):
        print(f'  {module}: {n} public symbols')
    if problems:
        print(f'FAIL: {len(problems)} public declaration(s) that must be package:')
        for p in sorted(set(problems)):
            print('  ' + p)
        return 1
    return 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
