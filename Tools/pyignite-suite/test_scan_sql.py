"""Scan paging and partitions; SQL over the canned results in sql-fixtures.json."""
import pytest
from pyignite.datatypes import IntObject
from pyignite.exceptions import SQLError


def test_scan_pages(cache):
    cache.put_all({i: f'v{i}' for i in range(10)})
    with cache.scan(page_size=3) as cursor:
        rows = dict(cursor)
    assert rows == {i: f'v{i}' for i in range(10)}


def test_scan_one_partition(cache):
    cache.put_all({i: i for i in range(1, 20)})
    assert dict(cache.scan(partitions=1)) == {1: 1}


def test_scan_early_close(cache):
    cache.put_all({i: i for i in range(10)})
    cursor = cache.scan(page_size=2)
    first = next(cursor)
    assert first[0] in range(10)
    cursor.close()


def test_sql_select_with_field_names(client, sql_fixtures):
    with client.sql('SELECT ID, NAME FROM CITY ORDER BY ID', page_size=2, include_field_names=True) as cursor:
        rows = list(cursor)
    assert rows[0] == ['ID', 'NAME']
    assert rows[1:] == [[1, 'Amsterdam'], [2, 'Berlin'], [3, 'Cairo'], [4, 'Delhi'], [5, 'Edinburgh']]


def test_sql_update_count(client, sql_fixtures):
    assert list(client.sql('UPDATE CITY SET NAME = ? WHERE ID > ?', query_args=['x', 3])) == [[2]]


def test_sql_unknown_query(client):
    with pytest.raises(SQLError, match=r'^42000: Failed to parse query. Table "NO_SUCH_TABLE" not found'):
        list(client.sql('SELECT * FROM NO_SUCH_TABLE'))


def test_sql_row_query(client, sql_fixtures):
    from pyignite.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES
    cache = client.get_or_create_cache({PROP_NAME: 'py_rows', PROP_QUERY_ENTITIES: [{
        'table_name': 'SUITE_ROW', 'key_field_name': None, 'key_type_name': 'java.lang.Long', 'value_field_name': None,
        'value_type_name': 'SuiteRow', 'query_fields': [
            {'name': 'AGE', 'type_name': 'java.lang.Integer', 'is_key_field': False, 'is_notnull_constraint_field': False,
             'default_value': None, 'precision': -1, 'scale': -1}],
        'field_name_aliases': [], 'query_indexes': [],
    }]})
    try:
        rows = list(cache.select_row('AGE > ?', query_args=[30], page_size=1))
        assert rows == [(1, 'one'), (2, 'two'), (3, 'three')]
    finally:
        cache.destroy()
