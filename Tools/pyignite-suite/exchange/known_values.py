"""The value set both clients write and check in the cross-client exchange (mirrored in
Tests/IgniteTestNodeTests/CrossClientExchangeTests.swift). Keys are Longs 1...N in cache EXCHANGE_CACHE."""
import datetime
import decimal
import uuid
from collections import OrderedDict

from pyignite import GenericObjectMeta
from pyignite.datatypes import (
    BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharObject, CollectionObject, DateObject, DecimalObject,
    DoubleArrayObject, DoubleObject, FloatObject, IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject,
    ObjectArrayObject, ShortObject, String, StringArrayObject, TimeObject, TimestampObject, UUIDObject,
)


class ExchangePerson(metaclass=GenericObjectMeta, type_name='ExchangePerson', schema=OrderedDict([
    ('name', String), ('age', IntObject), ('score', DoubleObject),
])):
    pass


WHEN = datetime.datetime.fromtimestamp(1715953512.125)

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
])

EXCHANGE_CACHE = 'exchange'


def same(expected, actual):
    if isinstance(expected, ExchangePerson):
        return (getattr(actual, 'name', object()), getattr(actual, 'age', None), getattr(actual, 'score', None)) == \
            (expected.name, expected.age, expected.score)
    return expected == actual
