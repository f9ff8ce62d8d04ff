"""Shared fixtures for the pyignite 0.6.1 suite that runs against the swift-ignite test node.

run.sh starts the node processes and exports their ports:
  IGNITE_SINGLE_PORT      1-node persistent cluster with SQL fixtures
  IGNITE_SINGLE_CONTROL   its control port
  IGNITE_CLUSTER_PORTS    3-node cluster (comma separated)
  IGNITE_CLUSTER_CONTROL  its control port
  IGNITE_AUTH_PORT        1-node cluster with authentication (ignite/ignite)
  IGNITE_SINGLE_PERSISTENT        1 when the single node keeps its data across deactivation (test node: --persistent)
  IGNITE_CLUSTER_CONSISTENT_IDS   the 3-node cluster's consistent ids, comma separated, in port order (optional)

The suite also runs against a real server: set the port variables only (the control ports exist on the test node
alone). Tests that need the test node's control port, SQL fixtures or persistence then skip with the reason; under
run.sh (IGNITE_SUITE_STRICT=1) they always run.
"""
import os
import socket
import uuid

import pytest
from pyignite import Client


def _env(name, needs=None):
    """The variable's value; a skip (a failure under run.sh's IGNITE_SUITE_STRICT=1) when it is unset.

    `needs` says what the test needs that the variable stands for (the reason shown off the test node)."""
    value = os.environ.get(name)
    if not value:
        # run.sh sets IGNITE_SUITE_STRICT: there a missing node is a failure, not a reason to skip.
        if os.environ.get('IGNITE_SUITE_STRICT') == '1':
            pytest.fail(f'{name} is not set')
        if needs:
            pytest.skip(f'{name} is not set: needs {needs} (run Tools/pyignite-suite/run.sh)')
        pytest.skip(f'{name} is not set (run Tools/pyignite-suite/run.sh)')
    return value


def require_test_node(name, needs):
    """Skips a test (or the rest of it) that depends on something only the test node offers, unless run.sh runs it."""
    return _env(name, needs)


class Control:
    """Client of the test node's line-based control port."""

    def __init__(self, port):
        self.port = int(port)

    def command(self, line):
        with socket.create_connection(('127.0.0.1', self.port), timeout=10) as sock:
            sock.sendall((line + '\n').encode())
            data = b''
            while not (data.endswith(b'OK\n') or b'ERR' in data):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        text = data.decode()
        assert 'ERR' not in text, text
        return text.splitlines()[:-1]

    def stats(self):
        """{index: {'keys': n, 'misrouted': n, 'port': p, 'running': bool}}"""
        result = {}
        for line in self.command('STATS'):
            parts = line.split()
            fields = dict(p.split('=', 1) for p in parts[2:])
            result[int(parts[1])] = {
                'port': int(fields['port']), 'keys': int(fields['keys']),
                'misrouted': int(fields['misrouted']), 'running': fields['running'] == '1',
            }
        return result


@pytest.fixture(scope='session')
def single_port():
    return int(_env('IGNITE_SINGLE_PORT'))


@pytest.fixture(scope='session')
def single_control():
    return Control(_env('IGNITE_SINGLE_CONTROL'))


@pytest.fixture
def sql_fixtures(single_port):
    """The canned CITY results of sql-fixtures.json (the test node's --sql-fixtures) on the single node."""
    require_test_node('IGNITE_SINGLE_CONTROL', "the test node's SQL fixtures (--sql-fixtures sql-fixtures.json)")


@pytest.fixture(scope='session')
def cluster_ports():
    return [int(p) for p in _env('IGNITE_CLUSTER_PORTS').split(',')]


@pytest.fixture(scope='session')
def cluster_control():
    return Control(_env('IGNITE_CLUSTER_CONTROL'))


@pytest.fixture(scope='session')
def auth_port():
    return int(_env('IGNITE_AUTH_PORT'))


@pytest.fixture
def client(single_port):
    client = Client()
    with client.connect('127.0.0.1', single_port):
        yield client


@pytest.fixture
def cache(client):
    cache = client.get_or_create_cache(f'py_{uuid.uuid4().hex[:8]}')
    yield cache
    cache.destroy()
