"""Key-value operations with every data type through the test node."""
import datetime
import decimal
import uuid

import pytest
from pyignite.datatypes import (
    BoolArrayObject, BoolObject, ByteArrayObject, ByteObject, CharArrayObject, CharObject, CollectionObject,
    DateArrayObject, DateObject, DecimalArrayObject, DecimalObject, DoubleArrayObject, DoubleObject, FloatArrayObject,
    FloatObject, IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject, ObjectArrayObject, ShortArrayObject,
    ShortObject, String, StringArrayObject, TimeObject, TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.key_value import PeekModes
from pyignite.exceptions import CacheError

NOW = datetime.datetime(2024, 5, 17, 13, 45, 12, 123000)

VALUES = [
    (1, ByteObject, 1), (-7, ByteObject, 2), (-12345, ShortObject, 3), (123456789, IntObject, 4),
    (-1234567890123, LongObject, 5), (2.5, FloatObject, 6), (3.14159, DoubleObject, 7), ('Z', CharObject, 8),
    ('Ж', CharObject, 9), (True, BoolObject, 10), (False, BoolObject, 11), ('hello, мир', String, 12), ('', String, 13),
    ('😀', String, 14), (uuid.UUID('12345678-1234-5678-9abc-def012345678'), UUIDObject, 15), (NOW, DateObject, 16),
    ((NOW, 456789), TimestampObject, 17), (datetime.timedelta(hours=13, minutes=45, seconds=12), TimeObject, 18),
    (decimal.Decimal('123.45'), DecimalObject, 19), (decimal.Decimal('-234.567'), DecimalObject, 20),
    (decimal.Decimal('0'), DecimalObject, 21), (b'\x00\x01\x7f\x80\xff', ByteArrayObject, 22),
    ([1, -2, 300], ShortArrayObject, 23), ([1, -2, 70000], IntArrayObject, 24), ([1, -2, 2 ** 40], LongArrayObject, 25),
    ([1.5, -2.25], FloatArrayObject, 26), ([1.5, -2.25, 1e300], DoubleArrayObject, 27), (['a', 'Ж'], CharArrayObject, 28),
    ([True, False, True], BoolArrayObject, 29), (['a', None, 'мир'], StringArrayObject, 30),
    ([uuid.UUID('12345678-1234-5678-9abc-def012345678'), None], UUIDArrayObject, 31), ([NOW], DateArrayObject, 32),
    ([(NOW, 456789)], TimestampArrayObject, 33), ([decimal.Decimal('1.5'), decimal.Decimal('-2')], DecimalArrayObject, 34),
    ((ObjectArrayObject.OBJECT, [1, 'two', 3.0, None]), ObjectArrayObject, 35),
    ((CollectionObject.ARR_LIST, [1, 'x', 2.5]), CollectionObject, 36),
    ((CollectionObject.LINKED_LIST, ['a', 'b']), CollectionObject, 37),
    ((MapObject.HASH_MAP, {'a': 1, 'b': 2}), MapObject, 38),
    ((MapObject.LINKED_HASH_MAP, {1: 'x', 2: None}), MapObject, 39),
]


@pytest.mark.parametrize('value, hint, key', VALUES, ids=[f'{v[1].__name__}-{v[2]}' for v in VALUES])
def test_put_get_every_type(cache, value, hint, key):
    cache.put(key, value, value_hint=hint)
    result = cache.get(key)
    if hint is TimestampObject:
        assert result == value
    elif hint in (FloatObject,):
        assert result == pytest.approx(value)
    elif hint is FloatArrayObject:
        assert result == pytest.approx(value)
    elif hint is TimestampArrayObject:
        assert result == value
    elif hint is CollectionObject or hint is MapObject or hint is ObjectArrayObject:
        assert result[0] == value[0] and result[1] == value[1]
    else:
        assert result == value


def test_user_collection_comes_back_as_array_list(cache):
    cache.put(1, (CollectionObject.USER_COL, [1]), value_hint=CollectionObject)
    assert cache.get(1) == (CollectionObject.ARR_LIST, [1])
    cache.put(2, (CollectionObject.USER_SET, [1]), value_hint=CollectionObject)
    assert cache.get(2) == (CollectionObject.HASH_SET, [1])


def test_key_type_matters(cache):
    cache.put(2, 'int two', key_hint=IntObject)
    assert cache.get(2, key_hint=IntObject) == 'int two'
    assert cache.get(2) is None  # a Long key is another key


def test_key_value_operations(cache):
    assert cache.get(1) is None
    cache.put(1, 'a')
    assert cache.contains_key(1)
    assert not cache.contains_key(2)
    assert cache.get_and_put(1, 'b') == 'a'
    assert cache.get_and_put_if_absent(1, 'x') == 'b'
    assert cache.get_and_put_if_absent(2, 'c') is None
    assert cache.put_if_absent(2, 'y') is False
    assert cache.put_if_absent(3, 'd') is True
    assert cache.contains_keys([1, 2, 3])
    assert not cache.contains_keys([1, 4])
    assert cache.replace(1, 'e') is True
    assert cache.replace(9, 'e') is False
    assert cache.replace_if_equals(1, 'nope', 'f') is False
    assert cache.replace_if_equals(1, 'e', 'f') is True
    assert cache.get_and_replace(1, 'g') == 'f'
    assert cache.get_and_replace(9, 'g') is None
    assert cache.get_all([1, 2, 3, 9]) == {1: 'g', 2: 'c', 3: 'd'}
    assert cache.get_size() == 3
    assert cache.get_size([PeekModes.PRIMARY]) == 3
    assert cache.get_size([PeekModes.BACKUP]) == 0
    assert cache.remove_if_equals(3, 'x') is False
    assert cache.remove_if_equals(3, 'd') is True
    assert cache.get_and_remove(2) == 'c'
    assert cache.remove_key(1) is True
    assert cache.remove_key(1) is False
    cache.put_all({10: 1, 11: 2, 12: 3})
    cache.clear_key(10)
    cache.clear_keys([11])
    assert cache.get_all([10, 11, 12]) == {12: 3}
    cache.remove_keys([12])
    cache.put_all({20: 1, 21: 2})
    cache.remove_all()
    assert cache.get_size() == 0
    cache.put_all({30: 1})
    cache.clear()
    assert cache.get_size() == 0


def test_errors_have_real_texts(client, cache):
    with pytest.raises(CacheError, match=r'Cache does not exist \[cacheId= '):
        client.get_cache('never-created-cache').get(1)
    with pytest.raises(CacheError, match='a cache with the same name is already started'):
        client.create_cache(cache.name)


def test_cache_management(client):
    from pyignite.datatypes.prop_codes import (
        PROP_NAME, PROP_CACHE_ATOMICITY_MODE, PROP_BACKUPS_NUMBER, PROP_CACHE_KEY_CONFIGURATION, PROP_QUERY_ENTITIES,
    )
    settings = {
        PROP_NAME: 'py_config_cache', PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL, PROP_BACKUPS_NUMBER: 2,
        PROP_CACHE_KEY_CONFIGURATION: [{'type_name': 'blah', 'affinity_key_field_name': 'abc1234'}],
        PROP_QUERY_ENTITIES: [{
            'table_name': 'PERSON', 'key_field_name': None, 'key_type_name': 'java.lang.Long',
            'value_field_name': None, 'value_type_name': 'Person', 'query_fields': [
                {'name': 'id', 'type_name': 'java.lang.Long', 'is_key_field': True, 'is_notnull_constraint_field': False,
                 'default_value': None, 'precision': -1, 'scale': -1},
                {'name': 'name', 'type_name': 'java.lang.String', 'is_key_field': False,
                 'is_notnull_constraint_field': False, 'default_value': 'anon', 'precision': 32, 'scale': -1},
            ],
            'field_name_aliases': [{'field_name': 'name', 'alias': 'FULL_NAME'}], 'query_indexes': [],
        }],
    }
    cache = client.create_cache(settings)
    try:
        assert 'py_config_cache' in client.get_cache_names()
        read = client.get_or_create_cache('py_config_cache').settings
        assert read[PROP_CACHE_ATOMICITY_MODE] == CacheAtomicityMode.TRANSACTIONAL
        assert read[PROP_BACKUPS_NUMBER] == 2
        assert read[PROP_CACHE_KEY_CONFIGURATION] == [{'type_name': 'blah', 'affinity_key_field_name': 'abc1234'}]
        entity = read[PROP_QUERY_ENTITIES][0]
        aliases = {a['field_name']: a['alias'] for a in entity['field_name_aliases']}
        # The server gives every field an alias and, without sqlEscapeAll, upper-cases them (QueryUtils.normalizeQueryEntity).
        assert aliases == {'name': 'FULL_NAME', 'id': 'ID'}
        assert entity['table_name'] == 'PERSON'
        assert entity['query_fields'][1]['default_value'] == 'anon'
    finally:
        cache.destroy()
    assert 'py_config_cache' not in client.get_cache_names()


@pytest.mark.parametrize('escape', [False, True])
def test_query_entity_normalized(client, escape):
    """The server stores query entities as QueryUtils.normalizeQueryEntity makes them (observed on GridGain 8.10)."""
    from pyignite.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES, PROP_SQL_ESCAPE_ALL

    def field(name, type_name='java.lang.Long', key=False):
        return {'name': name, 'type_name': type_name, 'is_key_field': key, 'is_notnull_constraint_field': False,
                'default_value': None, 'precision': -1, 'scale': -1}
    cache = client.create_cache({PROP_NAME: f'py_norm_{int(escape)}', PROP_SQL_ESCAPE_ALL: escape, PROP_QUERY_ENTITIES: [{
        'table_name': 'person_t', 'key_field_name': None, 'key_type_name': 'java.lang.Long', 'value_field_name': None,
        'value_type_name': 'PersonNorm', 'query_fields': [field('id', key=True), field('name', 'java.lang.String'),
                                                         field('MixedCase'), field('x.y')],
        'field_name_aliases': [{'field_name': 'name', 'alias': 'full_name'}],
        'query_indexes': [{'index_name': None, 'index_type': 0, 'inline_size': -1, 'fields': [{'name': 'name', 'is_descending': False}]},
                          {'index_name': 'my_idx', 'index_type': 0, 'inline_size': -1, 'fields': [{'name': 'id', 'is_descending': True}]}],
    }]})
    try:
        entity = cache.settings[PROP_QUERY_ENTITIES][0]
        aliases = {a['field_name']: a['alias'] for a in entity['field_name_aliases']}
        indexes = [i['index_name'] for i in entity['query_indexes']]
        if escape:   # names kept as written; aliases added for the other fields (the part after the last '.')
            assert entity['table_name'] == 'person_t'
            assert aliases == {'id': 'id', 'name': 'full_name', 'MixedCase': 'MixedCase', 'x.y': 'y'}
            assert indexes == ['person_t_name_asc_idx', 'my_idx']
        else:
            assert entity['table_name'] == 'PERSON_T'
            assert aliases == {'id': 'ID', 'name': 'FULL_NAME', 'MixedCase': 'MIXEDCASE', 'x.y': 'Y'}
            assert indexes == ['PERSON_T_NAME_ASC_IDX', 'MY_IDX']
    finally:
        cache.destroy()
