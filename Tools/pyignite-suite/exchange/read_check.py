"""Reads the known value set through a node and checks every value: python read_check.py <port> [cache].
Exits 1 and lists the differences if any value is missing or different. A pyignite client fixes its footer form
with the first object it reads, so FULL_FOOTER is read by a second client."""
import sys

from pyignite import Client

from known_values import EXCHANGE_CACHE, FULL_FOOTER, KNOWN, same

port = int(sys.argv[1])
cache_name = sys.argv[2] if len(sys.argv) > 2 else EXCHANGE_CACHE
failures = []
for values in (KNOWN, FULL_FOOTER):
    client = Client()
    with client.connect('127.0.0.1', port):
        cache = client.get_cache(cache_name)
        for key, (expected, _) in values.items():
            actual = cache.get(key)
            if not same(expected, actual):
                failures.append(f'key {key}: expected {expected!r}, got {actual!r}')
for failure in failures:
    print(failure)
print(f'checked {len(KNOWN) + len(FULL_FOOTER)} values, {len(failures)} different')
sys.exit(1 if failures else 0)
