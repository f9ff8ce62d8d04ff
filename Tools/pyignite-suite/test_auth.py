"""Authentication: the handshake failure texts of a real node."""
import pytest
from pyignite import Client
from pyignite.exceptions import AuthenticationError


def test_valid_credentials(auth_port):
    client = Client(username='ignite', password='ignite')
    with client.connect('127.0.0.1', auth_port):
        assert client.get_cache_names() is not None


def test_wrong_password(auth_port):
    client = Client(username='ignite', password='wrong')
    with pytest.raises(AuthenticationError, match=r'The user name or password is incorrect \[userName=ignite\]'):
        client.connect('127.0.0.1', auth_port)


def test_no_credentials(auth_port):
    client = Client()
    with pytest.raises(AuthenticationError, match='Unauthenticated sessions are prohibited.'):
        client.connect('127.0.0.1', auth_port)
