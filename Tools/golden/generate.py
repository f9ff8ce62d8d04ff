#!/usr/bin/env python3
"""Generate golden test vectors for swift-ignite with the reference client pyignite 0.6.1.

Usage: python Tools/golden/generate.py [--out DIR]   (default: Tests/Vectors)

Writes values.json, partitions.json, ids.json and requests.json.  Output is
byte-for-byte deterministic: fixed seeds, sorted keys, no timestamps, and
the process time zone forced to UTC (pyignite converts datetimes with the
local zone).  No server is needed: pyignite's serializers are driven with a
tiny fake client, and request frames are captured by a fake connection whose
request() records the bytes and aborts.

The VALUE of every vector is decoded from the bytes pyignite wrote by the
independent reader in decode.py, and the Java hash codes are computed by the
independent Java ports in javahash.py; where pyignite's own hash differs from
the Java one both are kept and a "note" says why.
"""

import argparse
import contextlib
import decimal
import json
import os
import random
import struct
import sys
import time
import uuid
import warnings
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

os.environ['TZ'] = 'UTC'
time.tzset()

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep Tools/golden free of __pycache__

import javahash  # noqa: E402
from decode import decode_value, object_flags  # noqa: E402

import pyignite  # noqa: E402
from pyignite import GenericObjectMeta, utils as pyutils  # noqa: E402
from pyignite.client import Client  # noqa: E402
from pyignite.connection.bitmask_feature import BitmaskFeature  # noqa: E402
from pyignite.connection.handshake import HandshakeRequest  # noqa: E402
from pyignite.connection.protocol_context import ProtocolContext  # noqa: E402
from pyignite.datatypes import (  # noqa: E402
    Null, ByteObject, ShortObject, IntObject, LongObject, FloatObject, DoubleObject, CharObject, BoolObject,
    String, UUIDObject, DateObject, TimestampObject, TimeObject, DecimalObject,
    ByteArrayObject, ShortArrayObject, IntArrayObject, LongArrayObject, FloatArrayObject, DoubleArrayObject,
    CharArrayObject, BoolArrayObject, StringArrayObject, UUIDArrayObject, DateArrayObject, TimestampArrayObject,
    TimeArrayObject, DecimalArrayObject, EnumObject, BinaryEnumObject, EnumArrayObject, BinaryEnumArrayObject,
    ObjectArrayObject, CollectionObject, MapObject, BinaryObject, ExpiryPolicy, ClusterState,
    TransactionConcurrency, TransactionIsolation,
)
from pyignite.datatypes.base import IgniteDataType  # noqa: E402
from pyignite.datatypes.cache_config import (  # noqa: E402
    CacheMode, CacheAtomicityMode, WriteSynchronizationMode, RebalanceMode, PartitionLossPolicy, IndexType,
)
from pyignite.datatypes.key_value import PeekModes  # noqa: E402
from pyignite.datatypes import prop_codes as P  # noqa: E402
from pyignite.datatypes.sql import StatementType  # noqa: E402
from pyignite.stream import BinaryStream  # noqa: E402
import pyignite.api as api  # noqa: E402
import pyignite.api.tx_api as tx_api  # noqa: E402
import pyignite.api.cluster as api_cluster  # noqa: E402
import pyignite.queries.query as pquery  # noqa: E402
from pyignite.queries.cache_info import CacheInfo  # noqa: E402

PYIGNITE_VERSION = '0.6.1'
GENERATOR = 'pyignite ' + PYIGNITE_VERSION
SEED = 20240611
UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def check_environment():
    import importlib.metadata
    ver = importlib.metadata.version('pyignite')
    if ver != PYIGNITE_VERSION:
        sys.exit('pyignite %s is installed; the vectors are defined for %s' % (ver, PYIGNITE_VERSION))


# ---------------------------------------------------------------------------
# Fake client / connection so that pyignite's serializers run offline
# ---------------------------------------------------------------------------

class FakeClient:
    """The few attributes pyignite's serializers and Query.perform touch."""

    def __init__(self):
        self.compact_footer = True
        self.protocol_context = ProtocolContext((1, 7, 0), BitmaskFeature.CLUSTER_API)
        self._event_listeners = None
        self.affinity_version = (0, 0)
        self.registry = {}

    def register_binary_type(self, data_class, affinity_key_field=None):
        self.registry.setdefault(data_class.type_id, {})[data_class.schema_id] = data_class

    def query_binary_type(self, binary_type, schema=None):
        by_schema = self.registry.get(pyutils.entity_id(binary_type), {})
        if schema is None:
            return by_schema
        return by_schema.get(schema if isinstance(schema, int) else pyutils.schema_id(schema))


class Captured(Exception):
    pass


class FakeConnection:
    """Records the frame Query.perform hands to request() and aborts the query."""

    host, port, uuid = '127.0.0.1', 10800, None

    def __init__(self, client):
        self.client = client
        self.captured = None

    @property
    def protocol_context(self):
        return self.client.protocol_context

    def request(self, data, flags=None):
        self.captured = bytes(data)
        raise Captured()


CLIENT = FakeClient()


def serialize(hint, value, compact=True) -> bytes:
    CLIENT.compact_footer = compact
    try:
        with BinaryStream(CLIENT) as stream:
            if hint is Null:
                Null.from_python(stream)
            else:
                hint.from_python(stream, value)
            return bytes(stream.getvalue())
    finally:
        CLIENT.compact_footer = True


def pyignite_hash(hint, value):
    """What pyignite's own hashcode() returns for this hint, or None if it has none."""
    owner = next(k for k in hint.__mro__ if 'hashcode' in k.__dict__)
    if owner is IgniteDataType:
        return None
    return hint.hashcode(value, client=CLIENT)


# ---------------------------------------------------------------------------
# Complex object classes (GenericObjectMeta)
# ---------------------------------------------------------------------------

TYPES = {}  # type_id -> (type name, [field names]) for decode.py


def binary_class(type_name, fields):
    schema = OrderedDict(fields)
    cls = GenericObjectMeta(type_name, (), {}, type_name=type_name, schema=schema)
    TYPES[cls.type_id] = (type_name, list(schema.keys()))
    return cls


Internal = binary_class('Internal', [('id', IntObject), ('str', String)])
NestedObject = binary_class('NestedObject', [('id', IntObject), ('str', String), ('internal', BinaryObject)])
WithNulls = binary_class('WithNulls', [('id', IntObject), ('name', String), ('internal', BinaryObject),
                                       ('nothing', Null)])
AllPrimitives = binary_class('AllPrimitives', [
    ('byte', ByteObject), ('short', ShortObject), ('int', IntObject), ('long', LongObject),
    ('float', FloatObject), ('double', DoubleObject), ('char', CharObject), ('bool', BoolObject)])
AllStandard = binary_class('org.example.AllStandard', [
    ('string', String), ('uuid', UUIDObject), ('date', DateObject), ('timestamp', TimestampObject),
    ('time', TimeObject), ('decimal', DecimalObject), ('enumValue', BinaryEnumObject),
    ('bytes', ByteArrayObject), ('ints', IntArrayObject), ('strings', StringArrayObject),
    ('collection', CollectionObject), ('map', MapObject), ('objects', ObjectArrayObject),
    ('nested', BinaryObject)])
BigTwo = binary_class('BigTwo', [('id', IntObject), ('payload', String), ('tail', IntObject)])
BigFour = binary_class('BigFour', [('id', IntObject), ('payload', ByteArrayObject), ('tail', IntObject)])
Edge255 = binary_class('Edge255', [('id', IntObject), ('payload', String), ('tail', IntObject)])
Empty = binary_class('EmptyObject', [])
Unicode = binary_class('Юникод', [('имя', String), ('名前', String)])

ENUM_TYPE_ID = pyutils.entity_id('org.example.Color')


def internal(i=2, s='lorem ipsum'):
    return Internal(id=i, str=s)


# ---------------------------------------------------------------------------
# helpers for values
# ---------------------------------------------------------------------------

def f32(bits):
    return struct.unpack('<f', struct.pack('<I', bits))[0]


def f64(bits):
    return struct.unpack('<d', struct.pack('<Q', bits))[0]


def dt_ms(ms):
    return EPOCH + timedelta(milliseconds=ms)


def dt(*args):
    return datetime(*args, tzinfo=UTC)


def exact_ms(d):
    delta = d - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def u(s):
    return uuid.UUID(s)


def describe_hash_difference(value, py, java):
    t = value['t']
    if (py & javahash.M32) == (java & javahash.M32):
        if t == 'long':
            return 'pyignite does not truncate the Long hash to 32 bits (v ^ (v >>> 32) kept as a 64-bit int); low 32 bits equal'
        if t == 'double':
            return 'pyignite returns lo ^ (signed hi) without truncating to 32 bits; low 32 bits equal'
        return 'pyignite returns the hash as an unsigned/unwrapped int; low 32 bits equal the Java int'
    if t == 'string':
        return ('pyignite hashes Unicode code points, Java hashes UTF-16 code units: '
                'strings with characters outside the BMP differ')
    if t == 'float':
        return 'pyignite hashes the raw float bits; Java floatToIntBits canonicalizes every NaN to 0x7fc00000'
    if t == 'double':
        return 'pyignite hashes the raw double bits; Java doubleToLongBits canonicalizes every NaN to 0x7ff8000000000000'
    if t == 'decimal':
        return ('pyignite decimal_hashcode drops a most-significant 32-bit magnitude word equal to 1 '
                '(loop condition elem > 1), so its BigInteger.hashCode port is wrong for this value')
    return 'pyignite hash differs from Java'


# ---------------------------------------------------------------------------
# values.json
# ---------------------------------------------------------------------------

class ValueSet:
    def __init__(self):
        self.vectors = []
        self.names = set()

    def add(self, name, hint, value, *, compact=True, expect=None, note=None, hex=None, context=None,
            intended_ms=None, hash_note=None):
        assert name not in self.names, name
        self.names.add(name)
        ctx = decimal.localcontext(context) if context is not None else contextlib.nullcontext()
        with ctx:
            data = serialize(hint, value, compact=compact)
            py_hash = pyignite_hash(hint, value)
        val = decode_value(data, TYPES)
        if expect is not None and val != expect:
            raise AssertionError('%s: decoded %r, expected %r' % (name, val, expect))
        if hex is not None and data.hex() != hex.replace(' ', ''):
            raise AssertionError('%s: pyignite wrote %s, reference says %s' % (name, data.hex(), hex))
        java = javahash.value_hash(val)
        notes = [note] if note else []
        if intended_ms is not None:
            written = [int(val['ms'])] if 'ms' in val else [int(x['ms'] if isinstance(x, dict) else x)
                                                              for x in val['v'] if x is not None]
            for want, got in zip(intended_ms, written):
                if want != got:
                    notes.append('pyignite wrote %d ms for an instant of %d ms: it computes '
                                 'int(datetime.timestamp() * 1000) in floating point' % (got, want))
        if py_hash is not None and java is not None and py_hash != java:
            notes.append(hash_note or describe_hash_difference(val, py_hash, java))
        vec = {'name': name, 'hex': data.hex(), 'value': val, 'java_hash': java, 'pyignite_hash': py_hash}
        if notes:
            vec['note'] = '; '.join(notes)
        self.vectors.append(vec)
        return data


def build_values():
    vs = ValueSet()
    add = vs.add

    add('null', Null, None, expect={'t': 'null'}, hex='65')

    # -- integers --
    for t, hint, lo, hi in (('byte', ByteObject, -128, 127), ('short', ShortObject, -32768, 32767),
                            ('int', IntObject, -2 ** 31, 2 ** 31 - 1), ('long', LongObject, -2 ** 63, 2 ** 63 - 1)):
        cases = [('zero', 0), ('one', 1), ('minus_one', -1), ('min', lo), ('max', hi)]
        if t == 'int':
            cases += [('123456789', 123456789)]
        if t == 'long':
            cases += [('2147483698', 2147483698), ('2pow32', 2 ** 32), ('1234567890123456789', 1234567890123456789)]
        for label, v in cases:
            add('%s.%s' % (t, label), hint, v, expect={'t': t, 'v': str(v) if t == 'long' else v})

    # -- float / double, given as IEEE bit patterns --
    float_cases = [
        ('zero', 0x00000000), ('neg_zero', 0x80000000), ('one', 0x3F800000), ('minus_one', 0xBF800000),
        ('max', 0x7F7FFFFF), ('lowest', 0xFF7FFFFF), ('min_subnormal', 0x00000001),
        ('neg_min_subnormal', 0x80000001), ('min_normal', 0x00800000),
        ('pos_inf', 0x7F800000), ('neg_inf', 0xFF800000), ('nan', 0x7FC00000), ('nan.negative', 0xFFC00000),
        ('nan.payload', 0x7FC00001), ('5.354', struct.unpack('<I', struct.pack('<f', 5.354))[0]),
        ('pi', struct.unpack('<I', struct.pack('<f', 3.14159265))[0]),
    ]
    for label, bits in float_cases:
        add('float.%s' % label, FloatObject, f32(bits), expect={'t': 'float', 'bits': '0x%08x' % bits})
    double_cases = [
        ('zero', 0x0), ('neg_zero', 0x8000000000000000), ('one', 0x3FF0000000000000),
        ('minus_one', 0xBFF0000000000000), ('max', 0x7FEFFFFFFFFFFFFF), ('lowest', 0xFFEFFFFFFFFFFFFF),
        ('min_subnormal', 0x1), ('neg_min_subnormal', 0x8000000000000001), ('min_normal', 0x0010000000000000),
        ('pos_inf', 0x7FF0000000000000), ('neg_inf', 0xFFF0000000000000), ('nan', 0x7FF8000000000000),
        ('nan.negative', 0xFFF8000000000000), ('nan.payload', 0x7FF8000000000001),
        ('5.2', struct.unpack('<Q', struct.pack('<d', 5.2))[0]), ('0.1', struct.unpack('<Q', struct.pack('<d', 0.1))[0]),
        ('hi_lo_mixed', 0xC000000080000000),
    ]
    for label, bits in double_cases:
        add('double.%s' % label, DoubleObject, f64(bits), expect={'t': 'double', 'bits': '0x%016x' % bits})

    # -- char, bool --
    for label, ch in (('A', 'A'), ('cyrillic_yo', 'ё'), ('ffff', '\uffff'), ('nul', '\x00'), ('cjk', '中'),
                      ('max_bmp_letter', '\ufb01')):
        add('char.%s' % label, CharObject, ch, expect={'t': 'char', 'v': ord(ch)})
    add('bool.true', BoolObject, True, expect={'t': 'bool', 'v': True}, hex='0801')
    add('bool.false', BoolObject, False, expect={'t': 'bool', 'v': False}, hex='0800')

    # -- strings --
    rng = random.Random(SEED)
    long_ascii = ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz0123456789 ') for _ in range(1000))
    long_mixed = ''.join(rng.choice(['a', 'я', '中', '😀', ' ', 'Z']) for _ in range(1000))
    for label, s in (('empty', ''), ('ascii', 'lorem ipsum'), ('myKey', 'myKey'),
                     ('test_string', 'This is a test string'), ('cyrillic', 'Кириллица'),
                     ('cyrillic.unicode', 'юникод'), ('japanese', 'ユニコード'), ('cjk', '中文字符'),
                     ('emoji', '😀'), ('emoji_mixed', 'a😀b'), ('accents', 'ñandú café'),
                     ('long1000.ascii', long_ascii), ('long1000.mixed', long_mixed)):
        add('string.%s' % label, String, s, expect={'t': 'string', 'v': s})
    add('string.embedded_nul', String, 'a\x00b',
        note='QUIRK: pyignite was given "a\\u0000b" but copies the UTF-8 bytes into a ctypes c_char array, which '
             'stops at the first NUL: it writes length 3 and bytes 61 00 00. The value is what the bytes hold',
        hash_note='pyignite_hash is pyignite\'s hash of its input "a\\u0000b", not of the string it wrote')

    # -- UUIDs --
    for label, s in (('74274274', '74274274-2742-7427-4274-274274274274'),
                     ('12345678', '12345678-1234-5678-9876-543298765432'),
                     ('nil', '00000000-0000-0000-0000-000000000000'),
                     ('max', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
                     ('random', str(uuid.UUID(int=rng.getrandbits(128)))),
                     ('negative_hash', '00000000-0000-0001-8000-000000000000')):
        add('uuid.%s' % label, UUIDObject, u(s), expect={'t': 'uuid', 'v': s})

    # -- dates / times / timestamps --
    date_cases = [('epoch', dt(1970, 1, 1)), ('plus_1ms', dt_ms(1)), ('minus_1ms', dt_ms(-1)),
                  ('2021-06-01T12:34:56.789', dt(2021, 6, 1, 12, 34, 56, 789000)),
                  ('1900-01-01', dt(1900, 1, 1)), ('1600-03-01T00:00:00.001', dt(1600, 3, 1, 0, 0, 0, 1000)),
                  ('9999-12-31T23:59:59.999', dt(9999, 12, 31, 23, 59, 59, 999000)),
                  ('2038-01-19T03:14:08', dt(2038, 1, 19, 3, 14, 8))]
    for label, d in date_cases:
        add('date.%s' % label, DateObject, d, intended_ms=[exact_ms(d)])
    ts_cases = [('epoch', dt(1970, 1, 1), 0), ('epoch.nanos1', dt(1970, 1, 1), 1),
                ('2021-06-01T12:34:56.789.123456', dt(2021, 6, 1, 12, 34, 56, 789000), 123456),
                ('1900-01-01.999999', dt(1900, 1, 1), 999999), ('minus_1ms.500000', dt_ms(-1), 500000),
                ('2000-02-29T00:00:00.001.000001', dt(2000, 2, 29, 0, 0, 0, 1000), 1)]
    for label, d, nanos in ts_cases:
        add('timestamp.%s' % label, TimestampObject, (d, nanos), intended_ms=[exact_ms(d)])
    for label, td in (('zero', timedelta(0)), ('12:34:56.789', timedelta(hours=12, minutes=34, seconds=56,
                                                                        milliseconds=789)),
                      ('end_of_day', timedelta(milliseconds=86399999)), ('minus_1ms', timedelta(milliseconds=-1)),
                      ('minus_1day', timedelta(days=-1))):
        add('time.%s' % label, TimeObject, td)

    # -- decimals --
    dec_cases = [
        ('zero', '0', None), ('negative_zero', '-0', 'pyignite keeps the sign of -0: magnitude byte 0x80 (the Java '
                                                     'reader gives BigDecimal 0); unscaled is written "-0"'),
        ('one', '1', None), ('minus_one', '-1', None), ('-234.567', '-234.567', None),
        ('200.0', '200.0', 'pyignite normalizes: unscaled 2, scale -2'),
        ('1.50', '1.50', 'pyignite normalizes 1.50 to 1.5 (scale 1); a Java BigDecimal("1.50") has scale 2 and another hash'),
        ('0.1', '0.1', None), ('3.14159', '3.14159', None),
        ('12345671234567123.45671234567', '12345671234567123.45671234567', None),
        ('-12345671234567123.45671234567', '-12345671234567123.45671234567', None),
        ('1E-30', '1E-30', None), ('1E+30', '1E+30', 'negative scale -30'),
        ('-5E+3', '-5E+3', None),
        ('long_max', '9223372036854775807', 'largest unscaled value Java keeps compact (fits a long)'),
        ('long_max_plus_1', '9223372036854775808', 'first unscaled value Java keeps as a BigInteger (INFLATED)'),
        ('long_min', '-9223372036854775808', 'magnitude 2^63: INFLATED in Java'),
        ('2pow64_plus_5', '18446744073709551621', None),
        ('minus_2pow64_plus_5', '-18446744073709551621', None),
        ('2pow96_minus_1', str(2 ** 96 - 1), None),
        ('0x80_top_byte', '128', 'magnitude 0x80 needs a leading 0x00 byte for the sign bit'),
        ('-128', '-128', None),
        ('high_scale', '0.000000000000000000000000000123', None),
    ]
    for label, text, note in dec_cases:
        add('decimal.%s' % label, DecimalObject, Decimal(text), note=note)
    huge = '1234567890123456789012345678901234567890.0123456789'
    add('decimal.huge50.default_context', DecimalObject, Decimal(huge),
        note='50 significant digits: pyignite calls Decimal.normalize() in the default context (28 digits) and '
             'so writes the value rounded to 28 digits')
    add('decimal.huge50.prec100', DecimalObject, Decimal(huge), context=decimal.Context(prec=100),
        note='same value serialized inside decimal.localcontext(prec=100): all 50 digits written')
    add('decimal.-huge45.prec100', DecimalObject, Decimal('-' + '9' * 45 + 'E-7'), context=decimal.Context(prec=100))

    # -- primitive arrays --
    add('byteArray.empty', ByteArrayObject, b'', expect={'t': 'byteArray', 'v': []})
    add('byteArray.values', ByteArrayObject, bytes([0, 1, 127, 128, 255]),
        expect={'t': 'byteArray', 'v': [0, 1, 127, 128, 255]})
    add('byteArray.signed_input', ByteArrayObject, [-128, -1, 0, 1, 127],
        expect={'t': 'byteArray', 'v': [128, 255, 0, 1, 127]},
        note='pyignite accepts signed ints -128..127 and writes them as unsigned bytes')
    int_arrays = [('shortArray', ShortArrayObject, [0, 1, -1, -32768, 32767]),
                  ('intArray', IntArrayObject, [0, 1, -1, -2 ** 31, 2 ** 31 - 1]),
                  ('longArray', LongArrayObject, [0, 1, -1, -2 ** 63, 2 ** 63 - 1])]
    for t, hint, vals in int_arrays:
        add('%s.empty' % t, hint, [], expect={'t': t, 'v': []})
        add('%s.values' % t, hint, vals, expect={'t': t, 'v': [str(x) for x in vals] if t == 'longArray' else vals})
    fbits = [0x00000000, 0x80000000, 0x3F800000, 0x7FC00000, 0x7F800000, 0xFF800000, 0x00000001]
    add('floatArray.empty', FloatArrayObject, [], expect={'t': 'floatArray', 'v': []})
    add('floatArray.values', FloatArrayObject, [f32(b) for b in fbits],
        expect={'t': 'floatArray', 'v': ['0x%08x' % b for b in fbits]})
    dbits = [0x0, 0x8000000000000000, 0x3FF0000000000000, 0x7FF8000000000000, 0x7FF0000000000000,
             0xFFF0000000000000, 0x1]
    add('doubleArray.empty', DoubleArrayObject, [], expect={'t': 'doubleArray', 'v': []})
    add('doubleArray.values', DoubleArrayObject, [f64(b) for b in dbits],
        expect={'t': 'doubleArray', 'v': ['0x%016x' % b for b in dbits]})
    add('charArray.empty', CharArrayObject, [], expect={'t': 'charArray', 'v': []})
    add('charArray.values', CharArrayObject, ['A', 'ё', '\uffff', '\x00'],
        expect={'t': 'charArray', 'v': [65, 0x451, 0xFFFF, 0]})
    add('boolArray.empty', BoolArrayObject, [], expect={'t': 'boolArray', 'v': []})
    add('boolArray.values', BoolArrayObject, [True, False, True], expect={'t': 'boolArray', 'v': [True, False, True]})

    # -- arrays of standard objects --
    add('stringArray.empty', StringArrayObject, [], expect={'t': 'stringArray', 'v': []})
    add('stringArray.values', StringArrayObject, ['a', None, 'ё', '', '😀'],
        expect={'t': 'stringArray', 'v': ['a', None, 'ё', '', '😀']})
    add('uuidArray.empty', UUIDArrayObject, [], expect={'t': 'uuidArray', 'v': []})
    uuids = ['74274274-2742-7427-4274-274274274274', None, '00000000-0000-0000-0000-000000000000']
    add('uuidArray.values', UUIDArrayObject, [u(x) if x else None for x in uuids],
        expect={'t': 'uuidArray', 'v': uuids})
    add('dateArray.empty', DateArrayObject, [], expect={'t': 'dateArray', 'v': []})
    dates = [dt(1970, 1, 1), None, dt(1900, 1, 1), dt(2021, 6, 1, 12, 34, 56)]
    add('dateArray.values', DateArrayObject, dates, intended_ms=[exact_ms(d) for d in dates if d])
    add('timestampArray.empty', TimestampArrayObject, [], expect={'t': 'timestampArray', 'v': []})
    tss = [(dt(2021, 6, 1, 12, 34, 56), 123456), None, (dt(1900, 1, 1), 0)]
    add('timestampArray.values', TimestampArrayObject, tss, intended_ms=[exact_ms(x[0]) for x in tss if x])
    add('timeArray.empty', TimeArrayObject, [], expect={'t': 'timeArray', 'v': []})
    add('timeArray.values', TimeArrayObject, [timedelta(0), None, timedelta(milliseconds=45296789)],
        expect={'t': 'timeArray', 'v': ['0', None, '45296789']})
    add('decimalArray.empty', DecimalArrayObject, [], expect={'t': 'decimalArray', 'v': []})
    add('decimalArray.values', DecimalArrayObject, [Decimal('-234.567'), None, Decimal('200.0'), Decimal('0')])

    # -- object arrays, collections, maps --
    add('objectArray.empty', ObjectArrayObject, (-1, []), expect={'t': 'objectArray', 'typeId': -1, 'v': []})
    add('objectArray.mixed', ObjectArrayObject,
        (-1, [(1, IntObject), 'two', None, (3.5, DoubleObject), True, 42, ('x', CharObject),
              (Decimal('1.5'), DecimalObject), [1, 2, 3]]),
        note='un-hinted Python int is written as Long, a list of ints as long[]')
    add('objectArray.internal', ObjectArrayObject, (Internal.type_id, [internal(1, 'a'), internal(2, 'b')]),
        note='component type id = type id of Internal; elements are complex objects with compact footers')
    col_items = [(1, IntObject), 'a', None]
    for kind in (-1, 0, 1, 2, 3, 4):
        add('collection.kind%d' % kind, CollectionObject, (kind, col_items))
    add('collection.kind5.singleton', CollectionObject, (5, [('only', String)]))
    add('collection.empty', CollectionObject, (1, []), expect={'t': 'collection', 'kind': 1, 'v': []})
    add('collection.nested', CollectionObject,
        (1, [(2, [(1, IntObject), (2, IntObject)]), (1, {'k': (7, IntObject)}), 'x', 3.25]))
    add('map.empty', MapObject, (1, {}), expect={'t': 'map', 'kind': 1, 'v': []})
    add('map.kind1.string_and_int_keys', MapObject, (1, OrderedDict([('key', (1, IntObject)),
                                                                      ((2, IntObject), 'value')])),
        note='one String key and one Int key, in this order')
    add('map.kind2.nested', MapObject, (2, OrderedDict([
        ('list', (1, [(1, IntObject), 'x'])),
        ('map', (1, {'inner': (5, IntObject)})),
        ('null', None),
        ('objects', ((-1, ['a', (2, ShortObject)]), ObjectArrayObject)),
        ('long', 10),
        ((3, ByteObject), (u('74274274-2742-7427-4274-274274274274'), UUIDObject)),
    ])))
    add('map.kind1.object_value', MapObject, (1, {'obj': internal()}))

    # -- enums --
    add('enum.ordinal2', EnumObject, (ENUM_TYPE_ID, 2),
        expect={'t': 'enum', 'typeId': ENUM_TYPE_ID, 'ordinal': 2},
        note='type code 28; java_hash assumes the server keeps it binary (BinaryEnumObjectImpl: 31*typeId+ordinal)')
    add('binaryEnum.ordinal0', BinaryEnumObject, (ENUM_TYPE_ID, 0),
        expect={'t': 'binaryEnum', 'typeId': ENUM_TYPE_ID, 'ordinal': 0})
    add('binaryEnum.ordinal7', BinaryEnumObject, (ENUM_TYPE_ID, 7))
    add('binaryEnum.negative_type_id', BinaryEnumObject, (-1234567, 3))
    add('enumArray.empty', EnumArrayObject, (ENUM_TYPE_ID, []),
        expect={'t': 'enumArray', 'typeId': ENUM_TYPE_ID, 'v': []})
    add('enumArray.values', EnumArrayObject, (ENUM_TYPE_ID, [(ENUM_TYPE_ID, 0), None, (ENUM_TYPE_ID, 2)]),
        note='elements are ENUM (28) objects: see elemCode')
    add('enumArray.binary_values', BinaryEnumArrayObject, (-1, [(ENUM_TYPE_ID, 1), (ENUM_TYPE_ID, 0)]),
        note='pyignite BinaryEnumArrayObject: type code 29 with BINARY_ENUM (38) elements: see elemCode')

    # -- complex objects --
    internal_compact = ('67012b00bdc6ff211dd864c72f00000067fd4dc72d000000'
                        '0302000000090b0000006c6f72656d20697073756d181d')
    add('object.Internal.compact', BinaryObject, internal(), hex=internal_compact)
    add('object.Internal.full', BinaryObject, internal(), compact=False)
    nested_hex = ('67012b00f62e5661164ca5b15f0000006c571f3d5c0000000301000000090b000000746573745f737472696e67'
                  '67012b00bdc6ff211dd864c72f00000067fd4dc72d0000000302000000090b0000006c6f72656d20697073756d'
                  '181d181d2d')
    add('object.NestedObject.compact', BinaryObject, NestedObject(id=1, str='test_string', internal=internal()),
        hex=nested_hex)
    full_nested = ('full footer: the nested object is written with its own full footer (field ids) inside the outer '
                   'field area, so the hash differs from the compact form')
    add('object.NestedObject.full', BinaryObject, NestedObject(id=1, str='test_string', internal=internal()),
        compact=False, note=full_nested)
    data = add('object.NestedObject.unicode.compact', BinaryObject,
               NestedObject(id=1, str='юникод', internal=internal(2, 'ユニコード')))
    assert struct.unpack_from('<i', data, 8)[0] == -1945378474
    add('object.NestedObject.unicode.full', BinaryObject,
        NestedObject(id=1, str='юникод', internal=internal(2, 'ユニコード')), compact=False, note=full_nested)
    add('object.WithNulls.compact', BinaryObject, WithNulls(id=1, name=None, internal=None, nothing=None))
    add('object.WithNulls.full', BinaryObject, WithNulls(id=1, name=None, internal=None, nothing=None),
        compact=False)
    add('object.AllPrimitives.compact', BinaryObject,
        AllPrimitives(byte=-1, short=-2, int=-3, long=-4, float=1.5, double=-2.25, char='ё', bool=True))
    add('object.AllPrimitives.full', BinaryObject,
        AllPrimitives(byte=127, short=32767, int=2 ** 31 - 1, long=2 ** 63 - 1, float=f32(0x7F7FFFFF),
                      double=f64(0x7FEFFFFFFFFFFFFF), char='\uffff', bool=False), compact=False)

    def all_standard():
        return AllStandard(
            string='строка', uuid=u('74274274-2742-7427-4274-274274274274'), date=dt(2021, 6, 1),
            timestamp=(dt(2021, 6, 1, 12, 0, 0), 42), time=timedelta(seconds=3600),
            decimal=Decimal('-234.567'), enumValue=(ENUM_TYPE_ID, 1), bytes=b'\x00\xff', ints=[1, -1],
            strings=['a', None], collection=(1, [(1, IntObject), 'b']), map=(1, {'k': (2, IntObject)}),
            objects=(-1, ['x', (1, ByteObject)]), nested=internal(3, 'inner'))
    add('object.AllStandard.compact', BinaryObject, all_standard())
    add('object.AllStandard.full', BinaryObject, all_standard(), compact=False, note=full_nested)

    pad300 = ''.join(rng.choice('abcdefghij') for _ in range(300))
    data = add('object.offsets2.compact', BinaryObject, BigTwo(id=1, payload=pad300, tail=7),
               note='last field offset 334 > 255: footer offsets are 2 bytes (flag 0x10)')
    assert object_flags(data) & 0x10
    data = add('object.offsets2.full', BinaryObject, BigTwo(id=1, payload=pad300, tail=7), compact=False,
               note='last field offset 334 > 255: footer offsets are 2 bytes (flag 0x10)')
    assert object_flags(data) & 0x10
    pad70000 = bytes(rng.getrandbits(8) for _ in range(70000))
    data = add('object.offsets4.compact', BinaryObject, BigFour(id=1, payload=pad70000, tail=7),
               note='last field offset 70034 > 65535: footer offsets are 4 bytes (no offset-size flag)')
    assert not object_flags(data) & 0x18
    data = add('object.offsets4.full', BinaryObject, BigFour(id=1, payload=pad70000, tail=7), compact=False,
               note='last field offset 70034 > 65535: footer offsets are 4 bytes (no offset-size flag)')
    assert not object_flags(data) & 0x18
    data = add('object.offset255.compact', BinaryObject, Edge255(id=1, payload='p' * 221, tail=7),
               note='QUIRK: the last field offset is exactly 255: pyignite tests max offset < 255 and so writes '
                    '2-byte offsets (flag 0x10); the Java writer (offset < 256) would write 1-byte offsets. '
                    'Both are readable; a Java-exact writer will not reproduce these bytes')
    assert object_flags(data) & 0x10
    add('object.offset254.compact', BinaryObject, Edge255(id=1, payload='p' * 220, tail=7),
        note='last field offset 254: 1-byte offsets in both pyignite and Java')
    add('object.Unicode.compact', BinaryObject, Unicode(**{'имя': 'Иван', '名前': '太郎'}),
        note='non-ASCII type and field names')
    add('object.Unicode.full', BinaryObject, Unicode(**{'имя': 'Иван', '名前': '太郎'}), compact=False,
        note='non-ASCII type and field names')

    # cross-checks against PROTOCOL-FACTS section 7
    by_name = {v['name']: v for v in vs.vectors}
    assert by_name['decimal.-234.567']['hex'] == '1e' + '03000000' + '03000000' + '839447'
    assert by_name['decimal.200.0']['hex'] == '1e' + 'feffffff' + '01000000' + '02'
    assert by_name['decimal.12345671234567123.45671234567']['hex'] == \
        '1e0b0000000c00000003fd35c1ddd60c78fbb0f407'
    assert by_name['decimal.-234.567']['java_hash'] == -7271574
    assert by_name['object.Internal.compact']['java_hash'] == -949692387
    assert by_name['object.NestedObject.compact']['java_hash'] == -1314567146
    assert by_name['object.NestedObject.unicode.compact']['java_hash'] == -1945378474
    for name, h in (('uuid.74274274', 1698059109), ('uuid.12345678', 0), ('string.myKey', 104343827),
                    ('string.test_string', 1519107788), ('string.cyrillic', -1582537364), ('string.emoji', 1772899),
                    ('double.5.2', -1932001279), ('float.5.354', 1084969976), ('char.A', 65),
                    ('bool.true', 1231), ('bool.false', 1237)):
        assert by_name[name]['java_hash'] == h, (name, by_name[name]['java_hash'], h)
    return {'generator': GENERATOR, 'vectors': vs.vectors}


# ---------------------------------------------------------------------------
# partitions.json
# ---------------------------------------------------------------------------

class _FakeNode:
    def __init__(self, part):
        self.uuid = uuid.UUID(int=part + 1)
        self.alive = True
        self.part = part


class _FakeAffinityClient:
    """Stands in for `self` in Client._get_node_by_hashcode: node i owns partition i."""

    def __init__(self, parts):
        self._nodes = [_FakeNode(p) for p in range(parts)]
        self._mapping = {'node_mapping': {n.uuid: {n.part} for n in self._nodes}}

    def _cache_partition_mapping(self, cache_id):
        return self._mapping


AFFINITY_1024 = _FakeAffinityClient(1024)


def pyignite_partition_1024(hashcode):
    node = Client._get_node_by_hashcode(AFFINITY_1024, 1, hashcode, 1024)
    return node.part


PARTITION_COUNTS = (1024, 1000, 17, 32)

# PROTOCOL-FACTS 8.4: (hint, python value, java hash, partition for 1024, partition for 1000 or None)
PF_TABLE = [
    (IntObject, 1, 1, 1, None), (IntObject, -1, -1, 0, None), (IntObject, 123456789, 123456789, 590, None),
    (LongObject, 1, 1, 1, None), (LongObject, 2147483698, -2147483598, 50, None), (LongObject, -1, 0, 0, None),
    (String, 'myKey', 104343827, 811, 827), (String, 'This is a test string', 1519107788, 71, None),
    (String, 'Кириллица', -1582537364, 192, None), (String, '😀', 1772899, 376, None),
    (DoubleObject, 5.2, -1932001279, 217, None), (FloatObject, f32(struct.unpack('<I', struct.pack('<f', 5.354))[0]),
                                                   1084969976, 851, None),
    (BoolObject, True, 1231, 207, None), (BoolObject, False, 1237, 213, None), (CharObject, 'A', 65, 65, None),
    (UUIDObject, u('74274274-2742-7427-4274-274274274274'), 1698059109, 595, None),
    (UUIDObject, u('12345678-1234-5678-9876-543298765432'), 0, 0, None),
]


def random_string(rng):
    alphabets = ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-',
                 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗ',
                 '中文字符日本語漢字ひらがなカタカナ한국어',
                 'äöüßéèêñçøåæœ€£¥']
    n = rng.randint(0, 24)
    roll = rng.random()
    if roll < 0.55:
        pool = alphabets[0]
    elif roll < 0.7:
        pool = alphabets[1]
    elif roll < 0.8:
        pool = alphabets[2]
    elif roll < 0.9:
        pool = alphabets[3]
    else:
        pool = ''.join(alphabets) + '😀🎉𝄞🚀'
    return ''.join(rng.choice(pool) for _ in range(n))


def random_decimal(rng):
    digits = rng.randint(1, 28)
    unscaled = rng.randint(0, 10 ** digits - 1)
    exp = rng.randint(-20, 10)
    sign = rng.choice((0, 1))
    return Decimal((sign, tuple(int(c) for c in str(unscaled)), exp))


def random_key(rng, kind):
    if kind == 'int':
        return IntObject, rng.choice([rng.randint(-2 ** 31, 2 ** 31 - 1), rng.randint(-1000, 1000)])
    if kind == 'long':
        return LongObject, rng.choice([rng.randint(-2 ** 63, 2 ** 63 - 1), rng.randint(-2 ** 40, 2 ** 40)])
    if kind == 'short':
        return ShortObject, rng.randint(-32768, 32767)
    if kind == 'byte':
        return ByteObject, rng.randint(-128, 127)
    if kind == 'string':
        return String, random_string(rng)
    if kind == 'uuid':
        return UUIDObject, uuid.UUID(int=rng.getrandbits(128))
    if kind == 'double':
        if rng.random() < 0.5:
            return DoubleObject, rng.uniform(-1e6, 1e6)
        while True:
            bits = rng.getrandbits(64)
            if (bits & 0x7FF0000000000000) != 0x7FF0000000000000:
                return DoubleObject, f64(bits)
    if kind == 'float':
        while True:
            bits = rng.getrandbits(32)
            if (bits & 0x7F800000) != 0x7F800000:
                return FloatObject, f32(bits)
    if kind == 'bool':
        return BoolObject, rng.random() < 0.5
    if kind == 'char':
        while True:
            c = rng.randint(0, 0xFFFF)
            if not 0xD800 <= c <= 0xDFFF:
                return CharObject, chr(c)
    if kind == 'date':
        return DateObject, dt_ms(rng.randint(-5 * 10 ** 12, 5 * 10 ** 12))
    if kind == 'timestamp':
        return TimestampObject, (dt_ms(rng.randint(-5 * 10 ** 12, 5 * 10 ** 12)), rng.randint(0, 999999))
    if kind == 'time':
        return TimeObject, timedelta(milliseconds=rng.randint(0, 86399999))
    if kind == 'decimal':
        return DecimalObject, random_decimal(rng)
    raise ValueError(kind)


KEY_KINDS = ['int', 'long', 'short', 'byte', 'string', 'uuid', 'double', 'float', 'bool', 'char', 'date',
             'timestamp', 'time', 'decimal']


def partition_entry(hint, value):
    data = serialize(hint, value)
    key = decode_value(data, TYPES)
    java = javahash.value_hash(key)
    py_hash = hint.hashcode(value, client=CLIENT)
    py_part = pyignite_partition_1024(py_hash)
    entry = {
        'key': key,
        'java_hash': java,
        'partitions': {str(p): javahash.partition(java, p) for p in PARTITION_COUNTS},
        'pyignite_partition_1024': py_part,
    }
    if (py_hash & javahash.M32) != (java & javahash.M32):
        entry['note'] = describe_hash_difference(key, py_hash, java) + \
            ' (pyignite hash %d); pyignite_partition_1024 is computed from that hash' % py_hash
    else:
        assert entry['partitions']['1024'] == py_part, (key, java, py_hash)
    return entry


def build_partitions():
    entries = []
    for hint, value, java, p1024, p1000 in PF_TABLE:
        e = partition_entry(hint, value)
        assert e['java_hash'] == java, (value, e['java_hash'], java)
        assert e['partitions']['1024'] == p1024, (value, e['partitions'])
        if p1000 is not None:
            assert e['partitions']['1000'] == p1000, (value, e['partitions'])
        entries.append(e)
    # edge values: extremes and hashes whose % and >>> paths matter
    edges = [(IntObject, -2 ** 31), (IntObject, 2 ** 31 - 1), (IntObject, 0), (IntObject, -1000), (IntObject, 999),
             (IntObject, -17), (LongObject, -2 ** 63), (LongObject, 2 ** 63 - 1), (LongObject, 2 ** 32),
             (LongObject, -2 ** 32), (ShortObject, -32768), (ByteObject, -128), (String, ''),
             (String, 'polygenelubricants'), (String, 'GydZG_'), (String, 'DESIGNING WORKHOUSES'),
             (DoubleObject, -0.0), (DoubleObject, 0.0), (DoubleObject, f64(0x7FF8000000000000)),
             (DoubleObject, f64(0xFFF8000000000000)), (FloatObject, f32(0x7FC00000)), (FloatObject, f32(0xFFC00000)),
             (FloatObject, f32(0x7FC00001)), (FloatObject, -0.0),
             (DecimalObject, Decimal('18446744073709551621')), (DecimalObject, Decimal('-234.567')),
             (DecimalObject, Decimal('0')), (DateObject, dt(1900, 1, 1)), (DateObject, dt_ms(-1)),
             (TimestampObject, (dt(1900, 1, 1), 5)), (UUIDObject, u('ffffffff-ffff-ffff-ffff-ffffffffffff')),
             (String, '😀😀'), (String, 'a𝄞b')]
    for hint, value in edges:
        entries.append(partition_entry(hint, value))
    rng = random.Random(SEED + 1)
    for i in range(2100):
        hint, value = random_key(rng, KEY_KINDS[i % len(KEY_KINDS)])
        entries.append(partition_entry(hint, value))
    return {
        'generator': GENERATOR,
        'formula': 'RendezvousAffinityFunction: power of two -> (h ^ (h >>> 16)) & (parts - 1); '
                   'otherwise safeAbs(h % parts) with Java truncating %',
        'keys': entries,
    }


# ---------------------------------------------------------------------------
# ids.json
# ---------------------------------------------------------------------------

ID_NAMES = [
    'Internal', 'NestedObject', 'id', 'str', 'internal', 'myCache', 'my_bucket', 'SQL_PUBLIC_STUDENT',
    'SQL_PUBLIC_CITY', 'Person', 'PERSON', 'person', 'org.apache.ignite.examples.model.Person',
    'java.lang.String', 'java.util.UUID', 'CamelCaseName', 'snake_case_name', 'MiXeD.CaSe.NaMe', 'a', 'A', 'x1',
    'default', 'ignite-sys-cache', 'field_with_underscores', 'aVeryLongFieldNameThatKeepsGoingAndGoingForAWhile',
    'Кириллица', 'КИРИЛЛИЦА', 'кириллица', 'юникод', 'Юникод', 'ユニコード', '名前', '中文字符', 'ÀÉÎÕÜ',
    'Ünïcödé', 'Straße', 'STRASSE', 'ΟΔΟΣ', 'Σ', 'ǅ', 'K', 'Ω', 'Ⅻ', 'Ａｂｃ', 'İstanbul', '😀', 'Emoji😀Type',
    '𐐀', 'org.example.Color', 'org.example.AllStandard', 'polygenelubricants', '',
]

ID_NOTES = {
    'ΟΔΟΣ': "Python's str.lower() applies the final-sigma rule (ς U+03C2); Java lowers each char to σ U+03C3",
    'İstanbul': "Python lowers U+0130 to 'i' + U+0307 (two chars); Java Character.toLowerCase gives 'i'",
    '𐐀': 'Python lowers the astral letter U+10400; Java lowers UTF-16 code units and leaves surrogates as is',
    '😀': 'pyignite hashes code points, Java hashes UTF-16 code units',
    'Emoji😀Type': 'pyignite hashes code points, Java hashes UTF-16 code units',
    '': 'an id of 0 is illegal for a type or field (Java throws); listed for the hash function only',
}

SCHEMAS = [
    ['id', 'str'], ['id', 'str', 'internal'], ['str', 'id'], ['id'], [], ['ID', 'Str'],
    ['byte', 'short', 'int', 'long', 'float', 'double', 'char', 'bool'],
    ['имя', '名前'], ['name', 'age', 'salary', 'department', 'hired', 'manager', 'tags'],
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p'],
    ['😀'], ['ΟΔΟΣ'],
]


def build_ids():
    names = []
    for name in ID_NAMES:
        entry = {
            'name': name,
            'entity_id': javahash.lower_case_hash(name),
            'cache_id': javahash.string_hash(name),
            'pyignite_entity_id': pyutils.entity_id(name),
            'pyignite_cache_id': pyutils.cache_id(name),
        }
        differs = entry['entity_id'] != entry['pyignite_entity_id'] or entry['cache_id'] != entry['pyignite_cache_id']
        if differs:
            entry['note'] = ID_NOTES[name]
        else:
            assert name not in ID_NOTES or name == '', name
        names.append(entry)
    by = {e['name']: e for e in names}
    assert by['Internal']['entity_id'] == 570410685
    assert by['NestedObject']['entity_id'] == 1633038070
    assert by['id']['entity_id'] == 3355 and by['str']['entity_id'] == 114225
    assert by['internal']['entity_id'] == 570410685
    assert by['myCache']['cache_id'] == 1482644790
    assert by['my_bucket']['cache_id'] == -1982087203
    assert by['SQL_PUBLIC_STUDENT']['cache_id'] == 1165737206
    schemas = []
    for fields in SCHEMAS:
        ids = [javahash.lower_case_hash(f) for f in fields]
        entry = {
            'fields': fields,
            'field_ids': ids,
            'schema_id': javahash.schema_id(ids),
            'pyignite_schema_id': pyutils.schema_id(OrderedDict((f, None) for f in fields)),
        }
        if entry['schema_id'] != entry['pyignite_schema_id']:
            if not fields:
                entry['note'] = ('no fields: pyignite returns 0; the Java writer keeps the FNV-1 offset basis '
                                 '0x811C9DC5 (readers ignore it when HAS_SCHEMA is clear)')
            else:
                entry['note'] = 'field ids differ between pyignite and Java lower-casing/hashing: ' + \
                    ID_NOTES.get(fields[0], '')
        schemas.append(entry)
    assert schemas[0]['schema_id'] == -951190169
    return {
        'generator': GENERATOR,
        'entity_id': 'type/field id: Java String.hashCode over Character.toLowerCase of each UTF-16 code unit',
        'cache_id': 'cache id: plain Java String.hashCode of the cache name',
        'schema_id': 'FNV-1 (basis 0x811C9DC5, prime 0x01000193) over the field ids, each LSB first',
        'names': names,
        'schemas': schemas,
    }


# ---------------------------------------------------------------------------
# requests.json
# ---------------------------------------------------------------------------

CACHE = 'myCache'
CACHE_ID = javahash.string_hash(CACHE)
CURRENT_TX = vars(tx_api)['__CURRENT_TX']


def version_str(v):
    return '%d.%d.%d' % v


class RequestSet:
    def __init__(self):
        self.entries = []
        self.next_id = 1
        self.conn = FakeConnection(CLIENT)

    def set_protocol(self, version):
        CLIENT.protocol_context = ProtocolContext(version, BitmaskFeature.CLUSTER_API)

    def cache_info(self, version=(1, 7, 0), expiry=None, cache=CACHE):
        return CacheInfo(cache_id=pyutils.cache_id(cache), expiry_policy=expiry,
                         protocol_context=ProtocolContext(version, BitmaskFeature.CLUSTER_API))

    def handshake(self, name, version, args, username=None, password=None, hex=None, note=None):
        ctx = ProtocolContext(version, BitmaskFeature.CLUSTER_API)
        with BinaryStream(CLIENT) as stream:
            HandshakeRequest(ctx, username, password).from_python(stream)
            data = bytes(stream.getvalue())
        if hex is not None:
            assert data.hex() == hex.replace(' ', ''), (name, data.hex())
        declared = struct.unpack_from('<i', data)[0]
        entry = {'name': name, 'op': 1, 'request_id': None, 'protocol': version_str(version), 'hex': data.hex(),
                 'args': args}
        notes = ['handshake: "op" is the handshake code byte 1; there is no request id']
        if declared != len(data) - 4:
            notes.append('QUIRK: pyignite computes the length from len(str) (characters), not UTF-8 bytes: '
                         'declared %d, actual payload %d bytes' % (declared, len(data) - 4))
            fixed = struct.pack('<i', len(data) - 4) + data[4:]
            entry['hex_correct_length'] = fixed.hex()
        if note:
            notes.append(note)
        entry['note'] = '; '.join(notes)
        self.entries.append(entry)

    def request(self, name, fn, *fargs, args, version=(1, 7, 0), request_id=None, tx_id=None, note=None,
                **fkwargs):
        rid = request_id if request_id is not None else self.next_id
        self.next_id = max(self.next_id, rid) + 1 if request_id is None else self.next_id
        self.set_protocol(version)
        pquery._QUERY_COUNTER = rid - 1
        token = CURRENT_TX.set(tx_api.TransactionContext(tx_id, self.conn)) if tx_id is not None else None
        self.conn.captured = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                fn(self.conn, *fargs, **fkwargs)
        except Captured:
            pass
        finally:
            if token is not None:
                CURRENT_TX.reset(token)
            self.set_protocol((1, 7, 0))
        data = self.conn.captured
        if data is None:
            raise RuntimeError('%s: no request was sent' % name)
        length, op, got_rid = struct.unpack_from('<ihq', data)
        assert length == len(data) - 4, (name, length, len(data))
        assert got_rid == rid, (name, got_rid, rid)
        entry = {'name': name, 'op': op, 'request_id': rid, 'protocol': version_str(version), 'hex': data.hex(),
                 'args': args}
        if note:
            entry['note'] = note
        self.entries.append(entry)
        return data


def tx_end_call(conn, tx_id, committed):
    return tx_api.tx_end(tx_id, committed)


QUERY_ENTITY = {
    'key_type_name': 'java.lang.Integer',
    'value_type_name': 'Student',
    'table_name': 'STUDENT',
    'key_field_name': 'id',
    'value_field_name': None,
    'query_fields': [
        {'name': 'id', 'type_name': 'java.lang.Integer', 'is_key_field': True, 'is_notnull_constraint_field': True},
        {'name': 'name', 'type_name': 'java.lang.String', 'default_value': 'nobody', 'precision': 64},
        {'name': 'gpa', 'type_name': 'java.math.BigDecimal', 'precision': 5, 'scale': 2},
        {'name': 'login', 'type_name': 'java.lang.String', 'is_notnull_constraint_field': True, 'default_value': None},
    ],
    'field_name_aliases': [
        {'field_name': 'name', 'alias': 'FULL_NAME'},
        {'field_name': 'gpa', 'alias': 'GRADE'},
    ],
    'query_indexes': [
        {'index_name': 'STUDENT_NAME_IDX', 'index_type': IndexType.SORTED, 'inline_size': -1,
         'fields': [{'name': 'name', 'is_descending': False}, {'name': 'gpa', 'is_descending': True}]},
        {'index_name': 'STUDENT_LOGIN_FT', 'index_type': IndexType.FULLTEXT, 'inline_size': 32,
         'fields': [{'name': 'login'}]},
    ],
}

QUERY_ENTITY_ARGS = {
    'keyType': 'java.lang.Integer', 'valueType': 'Student', 'tableName': 'STUDENT', 'keyFieldName': 'id',
    'valueFieldName': None,
    'fields': [
        {'name': 'id', 'typeName': 'java.lang.Integer', 'isKey': True, 'notNull': True, 'default': None,
         'precision': -1, 'scale': -1},
        {'name': 'name', 'typeName': 'java.lang.String', 'isKey': False, 'notNull': False,
         'default': {'t': 'string', 'v': 'nobody'}, 'precision': 64, 'scale': -1},
        {'name': 'gpa', 'typeName': 'java.math.BigDecimal', 'isKey': False, 'notNull': False, 'default': None,
         'precision': 5, 'scale': 2},
        {'name': 'login', 'typeName': 'java.lang.String', 'isKey': False, 'notNull': True, 'default': None,
         'precision': -1, 'scale': -1},
    ],
    'aliases': [['name', 'FULL_NAME'], ['gpa', 'GRADE']],
    'indexes': [
        {'name': 'STUDENT_NAME_IDX', 'type': 0, 'inlineSize': -1, 'fields': [['name', False], ['gpa', True]]},
        {'name': 'STUDENT_LOGIN_FT', 'type': 1, 'inlineSize': 32, 'fields': [['login', False]]},
    ],
}


def int_key(v):
    return {'t': 'int', 'v': v}


def str_val(s):
    return {'t': 'string', 'v': s}


CONFIG_NOTE = ('QUIRK: the i32 after the request id ("config length") is written by pyignite as %d: ConfigQuery '
               'computes it before the frame length is known (header.length is still 0), so it is always '
               '-18. The server skips this field. hex_correct_length has the bytes a correct client sends '
               '(length of what follows the field)')


def build_requests():
    rs = RequestSet()
    req = rs.request

    # -- handshakes (PROTOCOL-FACTS 2.1) --
    rs.handshake('handshake.1.7.0.noauth', (1, 7, 0), {'version': '1.7.0', 'features': [4]},
                 hex='0e000000 01 0100 0700 0000 02 0c 01000000 04')
    rs.handshake('handshake.1.7.0.auth', (1, 7, 0),
                 {'version': '1.7.0', 'features': [4], 'username': 'ignite', 'password': 'ignite'},
                 username='ignite', password='ignite',
                 hex='24000000 01 0100 0700 0000 02 0c 01000000 04 09 06000000 69676e697465 09 06000000 69676e697465')
    rs.handshake('handshake.1.2.0.noauth', (1, 2, 0), {'version': '1.2.0'}, hex='08000000 01 0100 0200 0000 02')
    rs.handshake('handshake.1.6.0.noauth', (1, 6, 0), {'version': '1.6.0'})
    rs.handshake('handshake.1.4.0.noauth', (1, 4, 0), {'version': '1.4.0'})
    rs.handshake('handshake.1.6.0.auth', (1, 6, 0), {'version': '1.6.0', 'username': 'admin', 'password': 's3cr3t!'},
                 username='admin', password='s3cr3t!')
    rs.handshake('handshake.1.7.0.auth.non_ascii', (1, 7, 0),
                 {'version': '1.7.0', 'features': [4], 'username': 'пользователь', 'password': 'пароль'},
                 username='пользователь', password='пароль')

    ci = rs.cache_info
    k1 = (1, IntObject)
    cache_args = {'cacheName': CACHE, 'cacheId': CACHE_ID, 'flags': 0}

    # -- key-value (1000-1021) --
    req('cache_get', api.cache_get, ci(), 1, key_hint=IntObject, args=dict(cache_args, key=int_key(1)))
    req('cache_get.long_key', api.cache_get, ci(), 1,
        args=dict(cache_args, key={'t': 'long', 'v': '1'}), note='un-hinted Python int key is a Long')
    req('cache_get.protocol_1.2.0', api.cache_get, ci((1, 2, 0)), 1, key_hint=IntObject,
        args=dict(cache_args, key=int_key(1)), version=(1, 2, 0))
    req('cache_put', api.cache_put, ci(), 1, 'value1', key_hint=IntObject, value_hint=String,
        args=dict(cache_args, key=int_key(1), value=str_val('value1')))
    req('cache_put.object_value', api.cache_put, ci(), 2, internal(), key_hint=IntObject,
        args=dict(cache_args, key=int_key(2), value='object Internal{id: Int 2, str: "lorem ipsum"} (compact footer)'))
    req('cache_put.big_request_id', api.cache_put, ci(), 1, 'value1', key_hint=IntObject, value_hint=String,
        request_id=0x0001020304050607,
        args=dict(cache_args, key=int_key(1), value=str_val('value1')))
    req('cache_put_if_absent', api.cache_put_if_absent, ci(), 1, 'value1', key_hint=IntObject, value_hint=String,
        args=dict(cache_args, key=int_key(1), value=str_val('value1')))
    req('cache_get_all', api.cache_get_all, ci(), [k1, (2, IntObject), (3, IntObject)],
        args=dict(cache_args, keys=[int_key(1), int_key(2), int_key(3)]))
    req('cache_put_all', api.cache_put_all, ci(), OrderedDict([(k1, ('one', String)), ((2, IntObject), ('two', String))]),
        args=dict(cache_args, pairs=[[int_key(1), str_val('one')], [int_key(2), str_val('two')]]))
    req('cache_get_and_put', api.cache_get_and_put, ci(), 1, 'value2', key_hint=IntObject, value_hint=String,
        args=dict(cache_args, key=int_key(1), value=str_val('value2')))
    req('cache_get_and_replace', api.cache_get_and_replace, ci(), 1, 'value3', key_hint=IntObject,
        value_hint=String, args=dict(cache_args, key=int_key(1), value=str_val('value3')))
    req('cache_get_and_remove', api.cache_get_and_remove, ci(), 1, key_hint=IntObject,
        args=dict(cache_args, key=int_key(1)))
    req('cache_get_and_put_if_absent', api.cache_get_and_put_if_absent, ci(), 1, 'value4', key_hint=IntObject,
        value_hint=String, args=dict(cache_args, key=int_key(1), value=str_val('value4')))
    req('cache_replace', api.cache_replace, ci(), 1, 'value5', key_hint=IntObject, value_hint=String,
        args=dict(cache_args, key=int_key(1), value=str_val('value5')))
    req('cache_replace_if_equals', api.cache_replace_if_equals, ci(), 1, 'old', 'new', key_hint=IntObject,
        sample_hint=String, value_hint=String,
        args=dict(cache_args, key=int_key(1), sample=str_val('old'), value=str_val('new')))
    req('cache_contains_key', api.cache_contains_key, ci(), 1, key_hint=IntObject,
        args=dict(cache_args, key=int_key(1)))
    req('cache_contains_keys', api.cache_contains_keys, ci(), [k1, (2, IntObject)],
        args=dict(cache_args, keys=[int_key(1), int_key(2)]))
    req('cache_clear', api.cache_clear, ci(), args=dict(cache_args))
    req('cache_clear_key', api.cache_clear_key, ci(), 1, key_hint=IntObject, args=dict(cache_args, key=int_key(1)))
    req('cache_clear_keys', api.cache_clear_keys, ci(), [k1, (2, IntObject)],
        args=dict(cache_args, keys=[int_key(1), int_key(2)]))
    req('cache_remove_key', api.cache_remove_key, ci(), 1, key_hint=IntObject, args=dict(cache_args, key=int_key(1)))
    req('cache_remove_if_equals', api.cache_remove_if_equals, ci(), 1, 'old', key_hint=IntObject,
        sample_hint=String, args=dict(cache_args, key=int_key(1), sample=str_val('old')))
    req('cache_remove_keys', api.cache_remove_keys, ci(), [k1, (2, IntObject)],
        args=dict(cache_args, keys=[int_key(1), int_key(2)]))
    req('cache_remove_all', api.cache_remove_all, ci(), args=dict(cache_args))
    req('cache_get_size', api.cache_get_size, ci(), args=dict(cache_args, peekModes=[]))
    req('cache_get_size.primary_backup', api.cache_get_size, ci(), [PeekModes.PRIMARY, PeekModes.BACKUP],
        args=dict(cache_args, peekModes=[2, 3]))
    req('cache_local_peek', api.cache_local_peek, ci(), 1, key_hint=IntObject, peek_modes=[PeekModes.ALL],
        args=dict(cache_args, key=int_key(1), peekModes=[0]),
        note='pyignite appends i32 n + peek-mode bytes after the key; the server ignores them')

    # -- expiry policy and transactions in CacheInfo --
    ep = ExpiryPolicy(create=1000, update=ExpiryPolicy.UNCHANGED, access=ExpiryPolicy.ETERNAL)
    exp_args = dict(cache_args, flags=4, expiryPolicy={'create': '1000', 'update': '-2', 'access': '-1'})
    req('cache_put.expiry_policy', api.cache_put, ci(expiry=ep), 1, 'value1', key_hint=IntObject, value_hint=String,
        args=dict(exp_args, key=int_key(1), value=str_val('value1')))
    req('cache_get.expiry_policy.1.6.0', api.cache_get, ci((1, 6, 0), expiry=ep), 1, key_hint=IntObject,
        version=(1, 6, 0), args=dict(exp_args, key=int_key(1)))
    req('cache_put.tx', api.cache_put, ci(), 1, 'value1', key_hint=IntObject, value_hint=String, tx_id=7,
        args=dict(cache_args, flags=2, txId=7, key=int_key(1), value=str_val('value1')))
    req('cache_put.expiry_policy.tx', api.cache_put, ci(expiry=ep), 1, 'value1', key_hint=IntObject,
        value_hint=String, tx_id=0x12345678,
        args=dict(exp_args, flags=6, txId=0x12345678, key=int_key(1), value=str_val('value1')),
        note='order: cacheId, flags, expiry policy, tx id')
    req('cache_put.tx.protocol_1.5.0', api.cache_put, ci((1, 5, 0)), 1, 'value1', key_hint=IntObject,
        value_hint=String, tx_id=7, version=(1, 5, 0),
        args=dict(cache_args, key=int_key(1), value=str_val('value1')),
        note='pyignite only sends the tx flag from protocol 1.6.0 on, so a tx id is ignored at 1.5.0')

    # -- scan / sql / cursors --
    req('scan', api.scan, ci(), 3, args=dict(cache_args, filter=None, pageSize=3, partition=-1, local=False))
    req('scan.partition5.local', api.scan, ci(), 3, 5, True,
        args=dict(cache_args, filter=None, pageSize=3, partition=5, local=True))
    req('scan_cursor_get_page', api.scan_cursor_get_page, 42, args={'cursorId': '42'})
    req('sql_cursor_get_page', api.sql_cursor_get_page, 43, args={'cursorId': '43'})
    req('sql_fields_cursor_get_page', api.sql_fields_cursor_get_page, 0x1122334455667788, 3,
        args={'cursorId': str(0x1122334455667788)})
    req('resource_close', api.resource_close, 42, args={'resourceId': '42'})
    req('sql', api.sql, ci(), 'Student', 'age > ? and name = ?', 2, [(18, IntObject), 'Ann'], True, True, True, 5000,
        args=dict(cache_args, table='Student', query='age > ? and name = ?', pageSize=2,
                  queryArgs=[int_key(18), str_val('Ann')], distributedJoins=True, local=True, replicatedOnly=True,
                  timeoutMs='5000'),
        note='OP_QUERY_SQL (deprecated). pyignite argument order: distributed_joins, replicated_only, local; wire '
             'order: distributedJoins, local, replicatedOnly, pageSize, timeout')
    req('sql_fields.defaults', api.sql_fields, CacheInfo(cache_id=0, protocol_context=CLIENT.protocol_context),
        'SELECT 1', 1024, schema='PUBLIC',
        args={'cacheId': 0, 'flags': 0, 'schema': 'PUBLIC', 'pageSize': 1024, 'maxRows': -1, 'query': 'SELECT 1',
              'queryArgs': [], 'statementType': 0, 'distributedJoins': False, 'local': False,
              'replicatedOnly': False, 'enforceJoinOrder': False, 'collocated': False, 'lazy': False,
              'timeoutMs': '0', 'includeFieldNames': False},
        note='what Client.sql() sends by default (cache id 0, schema PUBLIC)')
    req('sql_fields.all_params', api.sql_fields, ci(), 'SELECT name FROM Student WHERE id > ? AND name <> ?', 5,
        [(1, IntObject), 'x'], 'MYSCHEMA', StatementType.SELECT, True, True, True, True, True, True, True, 100, 5000,
        args=dict(cache_args, schema='MYSCHEMA', pageSize=5, maxRows=100,
                  query='SELECT name FROM Student WHERE id > ? AND name <> ?',
                  queryArgs=[int_key(1), str_val('x')], statementType=1, distributedJoins=True, local=True,
                  replicatedOnly=True, enforceJoinOrder=True, collocated=True, lazy=True, timeoutMs='5000',
                  includeFieldNames=True))

    # -- cache management (1050-1056) --
    req('cache_get_names', api.cache_get_names, args={})
    req('cache_create_with_name', api.cache_create, CACHE, args={'name': CACHE})
    req('cache_get_or_create_with_name', api.cache_get_or_create, CACHE, args={'name': CACHE})
    req('cache_get_or_create_with_name.unicode', api.cache_get_or_create, 'кэш', args={'name': 'кэш'})
    req('cache_destroy', api.cache_destroy, CACHE, args={'cacheId': CACHE_ID})
    req('cache_get_configuration', api.cache_get_configuration, ci(), args=dict(cache_args))

    def config_request(name, fn, props, args):
        data = req(name, fn, props, args=args)
        cfg_len = struct.unpack_from('<i', data, 14)[0]
        entry = rs.entries[-1]
        if cfg_len != len(data) - 18:
            entry['note'] = CONFIG_NOTE % cfg_len
            entry['hex_correct_length'] = (data[:14] + struct.pack('<i', len(data) - 18) + data[18:]).hex()

    config_request('cache_create_with_config.name_only', api.cache_create_with_config, {P.PROP_NAME: CACHE},
                   {'properties': [[0, CACHE]]})
    config_request('cache_get_or_create_with_config.basic', api.cache_get_or_create_with_config, OrderedDict([
        (P.PROP_NAME, CACHE), (P.PROP_CACHE_MODE, CacheMode.PARTITIONED), (P.PROP_BACKUPS_NUMBER, 1),
        (P.PROP_CACHE_ATOMICITY_MODE, CacheAtomicityMode.TRANSACTIONAL)]),
        {'properties': [[0, CACHE], [1, 2], [3, 1], [2, 0]]})
    config_request('cache_create_with_config.query_entity', api.cache_create_with_config, OrderedDict([
        (P.PROP_NAME, 'SQL_PUBLIC_STUDENT'), (P.PROP_SQL_SCHEMA, 'PUBLIC'), (P.PROP_QUERY_ENTITIES, [QUERY_ENTITY])]),
        {'properties': [[0, 'SQL_PUBLIC_STUDENT'], [203, 'PUBLIC'], [200, [QUERY_ENTITY_ARGS]]]})
    config_request('cache_create_with_config.expiry_policy', api.cache_create_with_config, OrderedDict([
        (P.PROP_NAME, CACHE), (P.PROP_EXPIRY_POLICY, ExpiryPolicy(create=1000, update=-2, access=-1))]),
        {'properties': [[0, CACHE], [407, {'create': '1000', 'update': '-2', 'access': '-1'}]]})
    config_request('cache_create_with_config.key_configuration', api.cache_create_with_config, OrderedDict([
        (P.PROP_NAME, CACHE),
        (P.PROP_CACHE_KEY_CONFIGURATION, [{'type_name': 'Internal', 'affinity_key_field_name': 'id'}])]),
        {'properties': [[0, CACHE], [401, [['Internal', 'id']]]]})
    all_props = OrderedDict([
        (P.PROP_NAME, CACHE), (P.PROP_CACHE_MODE, CacheMode.REPLICATED),
        (P.PROP_CACHE_ATOMICITY_MODE, CacheAtomicityMode.ATOMIC), (P.PROP_BACKUPS_NUMBER, 2),
        (P.PROP_WRITE_SYNCHRONIZATION_MODE, WriteSynchronizationMode.PRIMARY_SYNC), (P.PROP_COPY_ON_READ, False),
        (P.PROP_READ_FROM_BACKUP, True), (P.PROP_DATA_REGION_NAME, 'default'), (P.PROP_IS_ONHEAP_CACHE_ENABLED, True),
        (P.PROP_QUERY_ENTITIES, [QUERY_ENTITY]), (P.PROP_QUERY_PARALLELISM, 4), (P.PROP_QUERY_DETAIL_METRIC_SIZE, 10),
        (P.PROP_SQL_SCHEMA, 'PUBLIC'), (P.PROP_SQL_INDEX_INLINE_MAX_SIZE, 64), (P.PROP_SQL_ESCAPE_ALL, True),
        (P.PROP_MAX_QUERY_ITERATORS, 1024), (P.PROP_REBALANCE_MODE, RebalanceMode.ASYNC),
        (P.PROP_REBALANCE_DELAY, 1000), (P.PROP_REBALANCE_TIMEOUT, 10000), (P.PROP_REBALANCE_BATCH_SIZE, 524288),
        (P.PROP_REBALANCE_BATCHES_PREFETCH_COUNT, 2), (P.PROP_REBALANCE_ORDER, 3), (P.PROP_REBALANCE_THROTTLE, 5),
        (P.PROP_GROUP_NAME, 'group1'),
        (P.PROP_CACHE_KEY_CONFIGURATION, [{'type_name': 'Internal', 'affinity_key_field_name': 'id'}]),
        (P.PROP_DEFAULT_LOCK_TIMEOUT, 3000), (P.PROP_MAX_CONCURRENT_ASYNC_OPERATIONS, 500),
        (P.PROP_PARTITION_LOSS_POLICY, PartitionLossPolicy.READ_WRITE_SAFE), (P.PROP_EAGER_TTL, True),
        (P.PROP_STATISTICS_ENABLED, True), (P.PROP_EXPIRY_POLICY, ExpiryPolicy(create=60000, update=-2, access=0)),
    ])
    config_request('cache_create_with_config.all_properties', api.cache_create_with_config, all_props, {
        'properties': [[0, CACHE], [1, 1], [2, 1], [3, 2], [4, 2], [5, False], [6, True], [100, 'default'],
                       [101, True], [200, [QUERY_ENTITY_ARGS]], [201, 4], [202, 10], [203, 'PUBLIC'], [204, 64],
                       [205, True], [206, 1024], [300, 1], [301, '1000'], [302, '10000'], [303, 524288],
                       [304, '2'], [305, 3], [306, '5'], [400, 'group1'], [401, [['Internal', 'id']]],
                       [402, '3000'], [403, 500], [404, 2], [405, True], [406, True],
                       [407, {'create': '60000', 'update': '-2', 'access': '0'}]]})

    # -- partitions, binary types, transactions, cluster --
    req('cache_partitions', api.cache_get_node_partitions, [CACHE_ID, javahash.string_hash('SQL_PUBLIC_STUDENT')],
        args={'cacheIds': [CACHE_ID, javahash.string_hash('SQL_PUBLIC_STUDENT')]})
    req('get_binary_type', api.get_binary_type, 'Internal', args={'typeId': Internal.type_id})
    req('put_binary_type.Internal', api.put_binary_type, 'Internal', None, False, Internal.schema,
        args={'typeId': Internal.type_id, 'typeName': 'Internal', 'affinityKeyFieldName': None,
              'fields': [['id', 3, 3355], ['str', 9, 114225]], 'isEnum': False,
              'schemas': [[Internal.schema_id, [3355, 114225]]]},
        note='what pyignite sends when it registers Internal before the first put')
    req('put_binary_type.NestedObject.affinity', api.put_binary_type, 'NestedObject', 'id', False,
        NestedObject.schema,
        args={'typeId': NestedObject.type_id, 'typeName': 'NestedObject', 'affinityKeyFieldName': 'id',
              'fields': [['id', 3, 3355], ['str', 9, 114225], ['internal', 103, 570410685]], 'isEnum': False,
              'schemas': [[NestedObject.schema_id, [3355, 114225, 570410685]]]})
    req('put_binary_type.no_fields', api.put_binary_type, 'EmptyObject',
        args={'typeId': Empty.type_id, 'typeName': 'EmptyObject', 'affinityKeyFieldName': None, 'fields': [],
              'isEnum': False, 'schemas': [[0, []]]},
        note='no fields: pyignite still sends one schema (id 0, no field ids)')
    req('tx_start', tx_api.tx_start, TransactionConcurrency.PESSIMISTIC, TransactionIsolation.REPEATABLE_READ,
        args={'concurrency': 1, 'isolation': 1, 'timeoutMs': '0', 'label': None})
    req('tx_start.label', tx_api.tx_start, TransactionConcurrency.OPTIMISTIC, TransactionIsolation.SERIALIZABLE, 2500,
        'my-tx', args={'concurrency': 0, 'isolation': 2, 'timeoutMs': '2500', 'label': 'my-tx'})
    req('tx_end.commit', tx_end_call, 7, True, tx_id=7, args={'txId': 7, 'committed': True})
    req('tx_end.rollback', tx_end_call, 7, False, tx_id=7, args={'txId': 7, 'committed': False})
    req('cluster_get_state', api_cluster.cluster_get_state, args={})
    req('cluster_set_state.active', api_cluster.cluster_set_state, ClusterState.ACTIVE, args={'state': 1})
    req('cluster_set_state.inactive', api_cluster.cluster_set_state, ClusterState.INACTIVE, args={'state': 0})
    req('cluster_set_state.active_read_only', api_cluster.cluster_set_state, ClusterState.ACTIVE_READ_ONLY,
        args={'state': 2})

    assert rs.entries[0]['hex'] == '0e00000001010007000000020c0100000004'
    by = {e['name']: e for e in rs.entries}
    # frame of a cache put: len, op 1001, req id 1... cacheId myCache, flags 0, Int 1, String "value1"
    put = by['cache_put']
    assert put['hex'] == (struct.pack('<ihqib', 2 + 8 + 4 + 1 + 5 + 11, 1001, put['request_id'], CACHE_ID, 0) +
                          bytes.fromhex('0301000000') + bytes.fromhex('0906000000') + b'value1').hex()
    return {
        'generator': GENERATOR,
        'note': 'full frames including the i32 length prefix; request ids fixed by setting pyignite.queries.query.'
                '_QUERY_COUNTER to request_id - 1 before each call',
        'requests': rs.entries,
    }


# ---------------------------------------------------------------------------

def write_json(path, obj):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        json.dump(obj, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write('\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(HERE, '..', '..', 'Tests', 'Vectors'),
                        help='output folder (default: Tests/Vectors of this repository)')
    opts = parser.parse_args()
    check_environment()
    os.makedirs(opts.out, exist_ok=True)
    outputs = [
        ('values.json', build_values),
        ('partitions.json', build_partitions),
        ('ids.json', build_ids),
        ('requests.json', build_requests),
    ]
    for fname, builder in outputs:
        obj = builder()
        write_json(os.path.join(opts.out, fname), obj)
        count = len(next(v for k, v in obj.items() if isinstance(v, list)))
        print('%-16s %5d entries' % (fname, count))


if __name__ == '__main__':
    main()
