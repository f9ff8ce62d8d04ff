"""Partition-aware routing on the 3-node test cluster: pyignite must send every key request to its primary."""
import datetime
import decimal
import time
import uuid
from collections import OrderedDict

import pytest
from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import (
    BoolObject, ByteObject, CharObject, DateObject, DecimalObject, DoubleObject, FloatObject, IntObject, LongObject,
    ShortObject, String, TimeObject, TimestampObject, UUIDObject,
)
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME
from pyignite.api.key_value import cache_local_peek
from pyignite.exceptions import ReconnectError

from conftest import require_test_node

KEYS = [
    (42, None), (43, ByteObject), (-44, ByteObject), (45, IntObject), (-46, IntObject), (47, ShortObject),
    (-48, ShortObject), (49, LongObject), (2 ** 31 - 50, LongObject), (2 ** 31 + 51, LongObject),
    (5.2, None), (5.354, FloatObject), (-5.556, FloatObject), (-57.58, DoubleObject),
    (True, None), (True, BoolObject), (False, BoolObject),
    ('A', CharObject), ('Z', CharObject), ('⅓', CharObject), ('á', CharObject), ('ы', CharObject), ('カ', CharObject),
    ('This is a test string', None), ('Кириллица', None), ('Little Mary had a lamb', String),
    (uuid.UUID('12345678-1234-5678-9876-543298765432'), None), (uuid.UUID('74274274-2742-7427-4274-274274274274'), UUIDObject),
    (decimal.Decimal('-234.567'), None), (decimal.Decimal('200.0'), None), (decimal.Decimal('123.456'), DecimalObject),
    (decimal.Decimal('1.0'), None), (decimal.Decimal('0.02'), None),
    (decimal.Decimal('12345671234567123.45671234567'), None), (decimal.Decimal('-845678456.7845678456784567845'), None),
    (datetime.datetime(1980, 1, 1), None), ((datetime.datetime(1980, 1, 1), 999), TimestampObject),
    (datetime.timedelta(days=99), TimeObject),
]


class KeyClass(metaclass=GenericObjectMeta, type_name='SuiteKeyClass', schema=OrderedDict([
    ('NO', IntObject), ('NAME', String),
])):
    pass


@pytest.fixture
def pa_client(cluster_ports):
    client = Client(partition_aware=True, timeout=20)
    with client.connect([('127.0.0.1', port) for port in cluster_ports]):
        yield client


@pytest.fixture
def pa_cache(pa_client):
    cache = pa_client.get_or_create_cache({PROP_NAME: 'py_affinity', PROP_BACKUPS_NUMBER: 0})
    yield cache
    cache.destroy()


def test_partition_map(pa_client, pa_cache):
    from pyignite.api.affinity import cache_get_node_partitions
    conn = pa_client.random_node
    # On a real cluster another node may answer before it has started the cache just created through one node (the
    # answer then leaves the cache out, seen once on GridGain 8.10): ask again for a while.
    for _ in range(20):
        result = cache_get_node_partitions(conn, [pa_cache.cache_id])
        assert result.status == 0, result.message
        if pa_cache.cache_id in result.value['partition_mapping']:
            break
        time.sleep(0.25)
    mapping = result.value['partition_mapping'][pa_cache.cache_id]
    assert mapping['is_applicable']
    assert mapping['number_of_partitions'] == 1024
    parts = sorted(p for node_parts in mapping['node_mapping'].values() for p in node_parts)
    assert parts == list(range(1024))
    assert len(mapping['node_mapping']) == 3
    # The primaries split as RendezvousAffinityFunction splits them over the cluster's consistent ids. run.sh gives the
    # test nodes those of the captured GridGain cluster (node-10800…10802: 329/335/360, as captured); pyignite cannot
    # read a real cluster's consistent ids, so there IGNITE_CLUSTER_CONSISTENT_IDS names them (else the check skips).
    assert rendezvous_split(['node-10800', 'node-10801', 'node-10802']) == [329, 335, 360]
    ids = require_test_node('IGNITE_CLUSTER_CONSISTENT_IDS', "the cluster's consistent ids").split(',')
    assert sorted(len(p) for p in mapping['node_mapping'].values()) == rendezvous_split(ids)


def _java_string_hash(text):
    h = 0
    units = text.encode('utf-16-be')
    for i in range(0, len(units), 2):
        h = (31 * h + int.from_bytes(units[i:i + 2], 'big')) & 0xFFFFFFFF
    return h


def _rendezvous_hash(key0, key1):
    """RendezvousAffinityFunction.hash(int, int) (apache/ignite, cache/affinity/rendezvous), as a signed long."""
    mask = (1 << 64) - 1
    key = (key0 & 0xFFFFFFFF) | ((key1 & 0xFFFFFFFF) << 32)
    key = (~key + (key << 21)) & mask
    key ^= key >> 24
    key = (key + (key << 3) + (key << 8)) & mask
    key ^= key >> 14
    key = (key + (key << 2) + (key << 4)) & mask
    key ^= key >> 28
    key = (key + (key << 31)) & mask
    return key - (1 << 64) if key >> 63 else key


def rendezvous_split(consistent_ids, partitions=1024):
    """How many primaries each node gets (sorted): the lowest hash of (consistentId.hashCode(), partition) wins."""
    hashes = [_java_string_hash(c) for c in consistent_ids]
    counts = [0] * len(hashes)
    for part in range(partitions):
        counts[min(range(len(hashes)), key=lambda n: _rendezvous_hash(hashes[n], part))] += 1
    return sorted(counts)


@pytest.mark.parametrize('key, hint', KEYS, ids=[f'{i}' for i in range(len(KEYS))])
def test_local_peek_on_best_node(pa_client, pa_cache, key, hint):
    pa_cache.put(key, 42, key_hint=hint)
    best = pa_client.get_best_node(pa_cache, key, key_hint=hint)
    for node in pa_client._nodes:
        if not node.alive:
            continue
        result = cache_local_peek(node, pa_cache.cache_info, key, key_hint=hint)
        assert result.status == 0, result.message
        if node is best:
            assert result.value == 42, f'primary {node.port} lacks the key'
        else:
            assert result.value is None, f'node {node.port} holds a key it does not own'


def test_complex_key_routing(pa_client, pa_cache):
    key = KeyClass(NO=1, NAME='test_string')
    pa_cache.put(key, 42)
    best = pa_client.get_best_node(pa_cache, key)
    assert cache_local_peek(best, pa_cache.cache_info, key).value == 42


def test_no_misrouted_requests(pa_client, pa_cache, cluster_control):
    pa_cache.put(0, 0)  # fetch the partition map first
    cluster_control.command('RESET')
    for i in range(200):
        pa_cache.put(i, i)
        assert pa_cache.get(i) == i
        assert pa_cache.contains_key(i)
    for key, hint in KEYS:
        pa_cache.put(key, 1, key_hint=hint)
        pa_cache.get(key, key_hint=hint)
    stats = cluster_control.stats()
    assert sum(s['keys'] for s in stats.values()) >= 600 + 2 * len(KEYS)
    assert all(s['keys'] > 0 for s in stats.values()), stats  # keys really are spread over the three nodes
    assert sum(s['misrouted'] for s in stats.values()) == 0, stats


def test_replicated_cache_is_not_applicable(pa_client):
    cache = pa_client.get_or_create_cache({PROP_NAME: 'py_replicated', PROP_CACHE_MODE: CacheMode.REPLICATED})
    try:
        cache.put(1, 1)
        assert cache.get(1) == 1
        from pyignite.api.affinity import cache_get_node_partitions
        result = cache_get_node_partitions(pa_client.random_node, [cache.cache_id])
        assert result.value['partition_mapping'][cache.cache_id]['is_applicable'] is False
    finally:
        cache.destroy()


def test_topology_change_is_followed(pa_client, pa_cache, cluster_control):
    for i in range(20):
        pa_cache.put(i, i)
    before = cluster_control.command('TOPOLOGY')[0]
    cluster_control.command('STOP 2')
    try:
        assert cluster_control.command('TOPOLOGY')[0] != before
        for i in range(20):
            assert _get_with_retry(pa_cache, i) == i  # data is shared; the client reconnects and refreshes its map
    finally:
        cluster_control.command('RESTART 2')
    for i in range(20):
        assert _get_with_retry(pa_cache, i) == i  # and again after the node is back


def _get_with_retry(cache, key):
    # pyignite reports the first request to a dead node as a connection error and reconnects for the next one.
    for attempt in range(5):
        try:
            return cache.get(key)
        except (OSError, ReconnectError):
            if attempt == 4:
                raise


def test_size_with_backups(pa_client):
    from pyignite.datatypes.key_value import PeekModes
    cache = pa_client.get_or_create_cache({PROP_NAME: 'py_backups', PROP_BACKUPS_NUMBER: 1})
    try:
        cache.put_all({i: i for i in range(10)})
        assert cache.get_size() == 10
        assert cache.get_size([PeekModes.ALL]) == 20
        assert cache.get_size([PeekModes.BACKUP]) == 10
        assert cache.get_size([PeekModes.PRIMARY, PeekModes.BACKUP]) == 20
    finally:
        cache.destroy()
