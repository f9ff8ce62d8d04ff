"""Writes the known value set through a node: python write_known.py <port> [cache].
KNOWN goes through an ordinary client (compact footers), FULL_FOOTER through one with compact_footer=False."""
import sys

from pyignite import Client

from known_values import EXCHANGE_CACHE, FULL_FOOTER, KNOWN

port = int(sys.argv[1])
cache_name = sys.argv[2] if len(sys.argv) > 2 else EXCHANGE_CACHE
for values, compact in ((KNOWN, None), (FULL_FOOTER, False)):
    client = Client(compact_footer=compact)
    with client.connect('127.0.0.1', port):
        cache = client.get_or_create_cache(cache_name)
        for key, (value, hint) in values.items():
            cache.put(key, value, value_hint=hint)
print(f'wrote {len(KNOWN) + len(FULL_FOOTER)} values')
