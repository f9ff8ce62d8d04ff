"""The value set both clients write and check in the cross-client exchange (mirrored in
Tests/IgniteTestNodeTests/CrossClientExchangeTests.swift). Keys are Longs in the cache given on the command line.

KNOWN is written by an ordinary (compact-footer) client; FULL_FOOTER by a client with compact_footer=False, so one
binary type (ExchangePerson) is stored with both footer forms."""
import datetime
import decimal
import uuid
from collections import OrderedDict

from pyignite import GenericObjectMeta
from pyignite.datatypes import (
    BinaryEnumObject, BinaryObject, BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharArrayObject,
    CharObject, CollectionObject, DateArrayObject, DateObject, DecimalArrayObject, DecimalObject, DoubleArrayObject,
    DoubleObject, FloatArrayObject, FloatObject, IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject,
    ObjectArrayObject, ShortArrayObject, ShortObject, String, StringArrayObject, TimeArrayObject, TimeObject,
    TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)


class ExchangePerson(metaclass=GenericObjectMeta, type_name='ExchangePerson', schema=OrderedDict([
    ('name', String), ('age', IntObject), ('score', DoubleObject),
])):
    pass


class ExchangeOrder(metaclass=GenericObjectMeta, type_name='ExchangeOrder', schema=OrderedDict([
    ('id', LongObject), ('customer', BinaryObject), ('note', String),
])):
    pass


WHEN = datetime.datetime.fromtimestamp(1715953512.125)
# The type id of the enum values: the Java hash of the lower-cased name 'exchangecolor' (not registered as a type).
COLOR_TYPE_ID = 1385168672

KNOWN = OrderedDict([
    (1, (-7, ByteObject)),
    (2, (-12345, ShortObject)),
    (3, (123456789, IntObject)),
    (4, (-1234567890123, LongObject)),
    (5, (2.5, FloatObject)),
    (6, (3.14159, DoubleObject)),
    (7, ('Ж', CharObject)),
    (8, (True, BoolObject)),
    (9, ('hello, мир 😀', String)),
    (10, (uuid.UUID('12345678-1234-5678-9abc-def012345678'), UUIDObject)),
    (11, (WHEN, DateObject)),
    (12, ((WHEN, 456789), TimestampObject)),
    (13, (datetime.timedelta(hours=13, minutes=45, seconds=12, milliseconds=125), TimeObject)),
    (14, (decimal.Decimal('-234.567'), DecimalObject)),
    (15, (b'\x00\x01\x7f\x80\xff', ByteArrayObject)),
    (16, ([1, -2, 70000], IntArrayObject)),
    (17, ([1, -2, 2 ** 40], LongArrayObject)),
    (18, ([1.5, -2.25], DoubleArrayObject)),
    (19, (['a', None, 'мир'], StringArrayObject)),
    (20, ((CollectionObject.ARR_LIST, [1, 'x']), CollectionObject)),
    (21, ((MapObject.HASH_MAP, {'a': 1}), MapObject)),
    (22, ((ObjectArrayObject.OBJECT, [1, 'two', None]), ObjectArrayObject)),
    (23, ([True, False], BoolArrayObject)),
    (24, (ExchangePerson(name='Ada', age=36, score=1234.5), None)),
    (25, (ExchangePerson(name='Кирилл', age=-1, score=0.0), None)),
    (26, ([1, -2, 300], ShortArrayObject)),
    (27, ([1.5, -0.25], FloatArrayObject)),
    (28, (['a', 'Ж'], CharArrayObject)),
    (29, ([uuid.UUID('00000000-0000-0001-0000-000000000002')], UUIDArrayObject)),
    (30, ([WHEN], DateArrayObject)),
    (31, ([(WHEN, 1000)], TimestampArrayObject)),
    (32, ([decimal.Decimal('1.5'), decimal.Decimal('-0.001')], DecimalArrayObject)),
    (33, ([datetime.timedelta(seconds=1)], TimeArrayObject)),
    (34, ((COLOR_TYPE_ID, 2), BinaryEnumObject)),
    (35, ((CollectionObject.LINKED_LIST, ['q', 2]), CollectionObject)),
    (36, ('', String)),
    (37, (-2 ** 63, LongObject)),
    (38, (False, BoolObject)),
    (39, ((MapObject.LINKED_HASH_MAP, {1: ExchangePerson(name='Map', age=3, score=0.5)}), MapObject)),
    (41, (ExchangeOrder(id=7, customer=ExchangePerson(name='Linus', age=54, score=99.5), note='rush'), None)),
    (42, ((CollectionObject.ARR_LIST, [ExchangePerson(name='A', age=1, score=1.0),
                                       ExchangePerson(name='B', age=2, score=2.0)]), CollectionObject)),
])

FULL_FOOTER = OrderedDict([
    (40, (ExchangePerson(name='Grace', age=85, score=-7.25), None)),
])

EXCHANGE_CACHE = 'exchange'


def everything():
    """Every key with its expected value, both groups."""
    merged = OrderedDict(KNOWN)
    merged.update(FULL_FOOTER)
    return merged


def same(expected, actual):
    """Value equality; objects compare by type name and fields (recursively), wherever they are nested."""
    if isinstance(expected, (ExchangePerson, ExchangeOrder)):
        if type(actual).__name__ != type(expected).__name__:
            return False
        return all(same(getattr(expected, field), getattr(actual, field, object())) for field in expected.schema)
    if isinstance(expected, tuple) and isinstance(actual, tuple) and len(expected) == len(actual):
        return all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return all(same(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict) and expected.keys() == actual.keys():
        return all(same(expected[k], actual[k]) for k in expected)
    return expected == actual
