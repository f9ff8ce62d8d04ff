"""Transactions, expiry policies, cluster state and WAL on the persistent single-node cluster."""
import time

import pytest
from pyignite.datatypes import ExpiryPolicy
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.cluster_state import ClusterState
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_EXPIRY_POLICY, PROP_NAME
from pyignite.datatypes.transactions import TransactionConcurrency, TransactionIsolation
from pyignite.exceptions import CacheError

from conftest import require_test_node


@pytest.fixture
def tx_cache(client):
    cache = client.get_or_create_cache({PROP_NAME: 'py_tx', PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL})
    yield cache
    cache.destroy()


def test_commit_makes_writes_visible(client, tx_cache):
    with client.tx_start() as tx:
        tx_cache.put(1, 'in tx')
        assert tx_cache.get(1) == 'in tx'
        tx.commit()
    assert tx_cache.get(1) == 'in tx'


def test_rollback_discards_writes(client, tx_cache):
    tx_cache.put(1, 'before')
    with client.tx_start(concurrency=TransactionConcurrency.OPTIMISTIC, isolation=TransactionIsolation.SERIALIZABLE) as tx:
        tx_cache.put(1, 'changed')
        tx_cache.put(2, 'new')
        tx.rollback()
    assert tx_cache.get(1) == 'before'
    assert tx_cache.get(2) is None


def test_uncommitted_writes_are_invisible_outside(client, single_port, tx_cache):
    import concurrent.futures
    from pyignite import Client

    def read_elsewhere():
        # Another thread (pyignite keeps the transaction per thread) on another connection.
        other = Client()
        with other.connect('127.0.0.1', single_port):
            return other.get_cache('py_tx').get(5)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        with client.tx_start():
            tx_cache.put(5, 'pending')
            assert tx_cache.get(5) == 'pending'
            assert pool.submit(read_elsewhere).result() is None
        assert pool.submit(read_elsewhere).result() is None  # closed without commit: rolled back


def test_tx_on_atomic_cache_fails(client, cache):
    with pytest.raises(CacheError, match='Transaction spans operations on atomic cache'):
        with client.tx_start():
            cache.put(1, 1)


def test_expiry_per_operation(cache):
    fast = cache.with_expire_policy(create=300)
    fast.put(1, 'short-lived')
    assert cache.get(1) == 'short-lived'
    deadline = time.time() + 10
    while cache.get(1) is not None and time.time() < deadline:
        time.sleep(0.05)
    assert cache.get(1) is None


def test_expiry_zero_is_never_visible(cache):
    cache.with_expire_policy(create=0).put(1, 'gone')
    assert cache.get(1) is None


def test_expiry_per_cache(client):
    cache = client.create_cache({PROP_NAME: 'py_expiring', PROP_EXPIRY_POLICY: ExpiryPolicy(create=300)})
    try:
        cache.put(1, 'x')
        assert cache.get(1) == 'x'
        deadline = time.time() + 10
        while cache.get(1) is not None and time.time() < deadline:
            time.sleep(0.05)
        assert cache.get(1) is None
        assert cache.settings[PROP_EXPIRY_POLICY].create == 300
    finally:
        cache.destroy()


def test_cluster_states(client, cache):
    cluster = client.get_cluster()
    assert cluster.get_state() == ClusterState.ACTIVE
    cache.put(1, 'v')
    try:
        cluster.set_state(ClusterState.ACTIVE_READ_ONLY)
        assert cluster.get_state() == ClusterState.ACTIVE_READ_ONLY
        assert cache.get(1) == 'v'
        with pytest.raises(CacheError, match=r'cluster is in read-only mode\) \[cacheGrp=null, cache=' + cache.name):
            cache.put(2, 'w')
        cluster.set_state(ClusterState.INACTIVE)
        assert cluster.get_state() == ClusterState.INACTIVE
        with pytest.raises(CacheError, match='the cluster is inactive'):
            cache.get(1)
    finally:
        cluster.set_state(ClusterState.ACTIVE)
    # Only a persistent cluster keeps its data across deactivation (an in-memory GridGain node comes back empty), so
    # the check needs the test node's --persistent single node; the suite never restarts or reconfigures a server.
    require_test_node('IGNITE_SINGLE_PERSISTENT', 'a persistent single node (data kept across INACTIVE → ACTIVE)')
    assert cache.get(1) == 'v'
