"""Writes the known value set through a node: python write_known.py <port> [cache]."""
import sys

from pyignite import Client

from known_values import EXCHANGE_CACHE, KNOWN

port = int(sys.argv[1])
cache_name = sys.argv[2] if len(sys.argv) > 2 else EXCHANGE_CACHE
client = Client()
with client.connect('127.0.0.1', port):
    cache = client.get_or_create_cache(cache_name)
    for key, (value, hint) in KNOWN.items():
        cache.put(key, value, value_hint=hint)
print(f'wrote {len(KNOWN)} values')
