"""Complex objects with registered classes: metadata registration, round trips, schemas and type names."""
from collections import OrderedDict

import pytest
from pyignite import GenericObjectMeta
from pyignite.datatypes import BinaryObject, DoubleObject, IntObject, LongObject, String
from pyignite.exceptions import CacheError


class Address(metaclass=GenericObjectMeta, type_name='SuiteAddress', schema=OrderedDict([
    ('street', String), ('zip', IntObject),
])):
    pass


class Person(metaclass=GenericObjectMeta, type_name='SuitePerson', schema=OrderedDict([
    ('name', String), ('age', IntObject), ('salary', DoubleObject), ('address', BinaryObject),
])):
    pass


def test_nested_object_round_trip(client, cache):
    person = Person(name='Ada', age=36, salary=1234.5, address=Address(street='Main St', zip=12345))
    cache.put(1, person)
    read = cache.get(1)
    assert read.type_name == 'SuitePerson'
    assert (read.name, read.age, read.salary) == ('Ada', 36, 1234.5)
    assert (read.address.street, read.address.zip) == ('Main St', 12345)
    meta = client.get_binary_type('SuitePerson')
    assert meta['type_exists']
    assert list(meta['schemas'][0].keys()) == ['name', 'age', 'salary', 'address']


def test_null_fields(cache):
    cache.put(2, Person(name=None, age=None, salary=None, address=None))
    read = cache.get(2)
    assert read.name is None and read.address is None


def test_complex_object_as_key(cache):
    cache.put(Address(street='Key St', zip=1), 'by-object-key')
    assert cache.get(Address(street='Key St', zip=1)) == 'by-object-key'
    assert cache.get(Address(street='Key St', zip=2)) is None


def test_second_schema_is_kept(client, cache):
    class V1(metaclass=GenericObjectMeta, type_name='SuiteVersioned', schema=OrderedDict([('a', IntObject)])):
        pass

    class V2(metaclass=GenericObjectMeta, type_name='SuiteVersioned', schema=OrderedDict([('a', IntObject), ('b', String)])):
        pass

    cache.put(1, V1(a=1))
    cache.put(2, V2(a=2, b='two'))
    assert cache.get(1).a == 1
    read = cache.get(2)
    assert (read.a, read.b) == (2, 'two')
    assert len(client.get_binary_type('SuiteVersioned')['schemas']) == 2


def test_conflicting_field_type_is_rejected(client):
    client.put_binary_type('SuiteConflict', schema=OrderedDict([('a', IntObject)]))
    with pytest.raises(CacheError, match="has a different/incorrect type for field 'a'. Expected 'int' but 'long' was provided"):
        client.put_binary_type('SuiteConflict', schema=OrderedDict([('a', LongObject)]))


def test_missing_binary_type(client):
    assert client.get_binary_type('NeverRegisteredSuiteType')['type_exists'] is False
