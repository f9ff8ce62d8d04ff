"""Reads the known value set through a node and checks every value: python read_check.py <port> [cache].
Exits 1 and lists the differences if any value is missing or different."""
import sys

from pyignite import Client

from known_values import EXCHANGE_CACHE, KNOWN, same

port = int(sys.argv[1])
cache_name = sys.argv[2] if len(sys.argv) > 2 else EXCHANGE_CACHE
client = Client()
failures = []
with client.connect('127.0.0.1', port):
    cache = client.get_cache(cache_name)
    for key, (expected, _) in KNOWN.items():
        actual = cache.get(key)
        if not same(expected, actual):
            failures.append(f'key {key}: expected {expected!r}, got {actual!r}')
for failure in failures:
    print(failure)
print(f'checked {len(KNOWN)} values, {len(failures)} different')
sys.exit(1 if failures else 0)
