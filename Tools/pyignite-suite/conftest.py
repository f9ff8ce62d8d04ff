"""Shared fixtures for the pyignite 0.6.1 suite that runs against the swift-ignite test node.

run.sh starts the node processes and exports their ports:
  IGNITE_SINGLE_PORT      1-node persistent cluster with SQL fixtures
  IGNITE_SINGLE_CONTROL   its control port
  IGNITE_CLUSTER_PORTS    3-node cluster (comma separated)
  IGNITE_CLUSTER_CONTROL  its control port
  IGNITE_AUTH_PORT        1-node cluster with authentication (ignite/ignite)
"""
import os
import socket
import uuid

import pytest
from pyignite import Client


def _env(name):
    value = os.environ.get(name)
    if not value:
        # run.sh sets IGNITE_SUITE_STRICT: there a missing node is a failure, not a reason to skip.
        if os.environ.get('IGNITE_SUITE_STRICT') == '1':
            pytest.fail(f'{name} is not set')
        pytest.skip(f'{name} is not set (run Tools/pyignite-suite/run.sh)')
    return value


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
