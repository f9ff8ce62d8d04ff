"""An independent reader of Ignite binary data objects (PROTOCOL-FACTS section 7).

It turns the bytes pyignite wrote back into the tagged golden VALUE form, so
every VALUE in the vector files describes exactly what is in the bytes (and
the generator fails if pyignite wrote something this reader cannot explain).
It does not import pyignite.
"""

import struct
import uuid

import javahash

HAS_SCHEMA = 0x0002
HAS_RAW_DATA = 0x0004
OFFSET_ONE_BYTE = 0x0008
OFFSET_TWO_BYTES = 0x0010
COMPACT_FOOTER = 0x0020


class DecodeError(Exception):
    pass


class Reader:
    def __init__(self, buf: bytes, types=None):
        """types: {type_id: (type_name, [field names in schema order])}."""
        self.buf = bytes(buf)
        self.types = types or {}

    # -- primitives --
    def _unpack(self, fmt, pos):
        size = struct.calcsize(fmt)
        if pos + size > len(self.buf):
            raise DecodeError('read past end at %d' % pos)
        return struct.unpack_from(fmt, self.buf, pos)[0], pos + size

    def i8(self, pos):
        return self._unpack('<b', pos)

    def u8(self, pos):
        return self._unpack('<B', pos)

    def i16(self, pos):
        return self._unpack('<h', pos)

    def u16(self, pos):
        return self._unpack('<H', pos)

    def i32(self, pos):
        return self._unpack('<i', pos)

    def u32(self, pos):
        return self._unpack('<I', pos)

    def i64(self, pos):
        return self._unpack('<q', pos)

    def u64(self, pos):
        return self._unpack('<Q', pos)

    def count(self, pos):
        n, pos = self.i32(pos)
        if n < 0:
            raise DecodeError('negative length %d at %d' % (n, pos))
        return n, pos

    # -- typed helpers returning plain payload forms --
    def _string(self, pos):
        n, pos = self.count(pos)
        raw = self.buf[pos:pos + n]
        if len(raw) != n:
            raise DecodeError('short string')
        return raw.decode('utf-8'), pos + n

    def _uuid(self, pos):
        msb, pos = self.u64(pos)
        lsb, pos = self.u64(pos)
        return str(uuid.UUID(int=(msb << 64) | lsb)), pos

    def _decimal(self, pos):
        scale, pos = self.i32(pos)
        n, pos = self.count(pos)
        mag = bytearray(self.buf[pos:pos + n])
        if len(mag) != n or n == 0:
            raise DecodeError('bad decimal magnitude')
        negative = bool(mag[0] & 0x80)
        mag[0] &= 0x7F
        unscaled = int.from_bytes(bytes(mag), 'big')
        text = ('-' if negative else '') + str(unscaled)
        return {'scale': scale, 'unscaled': text}, pos + n

    def _timestamp(self, pos):
        ms, pos = self.i64(pos)
        nanos, pos = self.i32(pos)
        return {'ms': str(ms), 'nanos': nanos}, pos

    def _enum_body(self, pos):
        type_id, pos = self.i32(pos)
        if type_id == 0:
            raise DecodeError('enum with class name is not produced by pyignite')
        ordinal, pos = self.i32(pos)
        return type_id, ordinal, pos

    def _typed_elements(self, pos, code, reader):
        """Elements of a String/UUID/Date/... array: each `code`+payload or 101."""
        n, pos = self.count(pos)
        out = []
        for _ in range(n):
            tc, pos = self.u8(pos)
            if tc == 101:
                out.append(None)
            elif tc == code:
                val, pos = reader(pos)
                out.append(val)
            else:
                raise DecodeError('unexpected element type code %d (wanted %d)' % (tc, code))
        return out, pos

    def _prim_array(self, pos, fmt, conv):
        n, pos = self.count(pos)
        out = []
        for _ in range(n):
            x, pos = self._unpack(fmt, pos)
            out.append(conv(x))
        return out, pos

    # -- full data object --
    def value(self, pos):
        """Decode one full data object at pos: returns (VALUE, end position)."""
        start = pos
        tc, pos = self.u8(pos)
        if tc == 101:
            return {'t': 'null'}, pos
        if tc == 1:
            v, pos = self.i8(pos)
            return {'t': 'byte', 'v': v}, pos
        if tc == 2:
            v, pos = self.i16(pos)
            return {'t': 'short', 'v': v}, pos
        if tc == 3:
            v, pos = self.i32(pos)
            return {'t': 'int', 'v': v}, pos
        if tc == 4:
            v, pos = self.i64(pos)
            return {'t': 'long', 'v': str(v)}, pos
        if tc == 5:
            v, pos = self.u32(pos)
            return {'t': 'float', 'bits': '0x%08x' % v}, pos
        if tc == 6:
            v, pos = self.u64(pos)
            return {'t': 'double', 'bits': '0x%016x' % v}, pos
        if tc == 7:
            v, pos = self.u16(pos)
            return {'t': 'char', 'v': v}, pos
        if tc == 8:
            v, pos = self.u8(pos)
            if v not in (0, 1):
                raise DecodeError('bool byte %d' % v)
            return {'t': 'bool', 'v': v == 1}, pos
        if tc == 9:
            v, pos = self._string(pos)
            return {'t': 'string', 'v': v}, pos
        if tc == 10:
            v, pos = self._uuid(pos)
            return {'t': 'uuid', 'v': v}, pos
        if tc == 11:
            v, pos = self.i64(pos)
            return {'t': 'date', 'ms': str(v)}, pos
        if tc == 12:
            v, pos = self._prim_array(pos, '<B', int)
            return {'t': 'byteArray', 'v': v}, pos
        if tc == 13:
            v, pos = self._prim_array(pos, '<h', int)
            return {'t': 'shortArray', 'v': v}, pos
        if tc == 14:
            v, pos = self._prim_array(pos, '<i', int)
            return {'t': 'intArray', 'v': v}, pos
        if tc == 15:
            v, pos = self._prim_array(pos, '<q', str)
            return {'t': 'longArray', 'v': v}, pos
        if tc == 16:
            v, pos = self._prim_array(pos, '<I', lambda x: '0x%08x' % x)
            return {'t': 'floatArray', 'v': v}, pos
        if tc == 17:
            v, pos = self._prim_array(pos, '<Q', lambda x: '0x%016x' % x)
            return {'t': 'doubleArray', 'v': v}, pos
        if tc == 18:
            v, pos = self._prim_array(pos, '<H', int)
            return {'t': 'charArray', 'v': v}, pos
        if tc == 19:
            v, pos = self._prim_array(pos, '<B', int)
            if any(x not in (0, 1) for x in v):
                raise DecodeError('bool array byte not 0/1')
            return {'t': 'boolArray', 'v': [x == 1 for x in v]}, pos
        if tc == 20:
            v, pos = self._typed_elements(pos, 9, self._string)
            return {'t': 'stringArray', 'v': v}, pos
        if tc == 21:
            v, pos = self._typed_elements(pos, 10, self._uuid)
            return {'t': 'uuidArray', 'v': v}, pos
        if tc == 22:
            v, pos = self._typed_elements(pos, 11, lambda p: (lambda r: (str(r[0]), r[1]))(self.i64(p)))
            return {'t': 'dateArray', 'v': v}, pos
        if tc == 23:
            type_id, pos = self.i32(pos)
            if type_id == 0:
                raise DecodeError('object array with class name is not produced by pyignite')
            n, pos = self.count(pos)
            items = []
            for _ in range(n):
                item, pos = self.value(pos)
                items.append(item)
            return {'t': 'objectArray', 'typeId': type_id, 'v': items}, pos
        if tc == 24:
            n, pos = self.count(pos)
            kind, pos = self.i8(pos)
            items = []
            for _ in range(n):
                item, pos = self.value(pos)
                items.append(item)
            return {'t': 'collection', 'kind': kind, 'v': items}, pos
        if tc == 25:
            n, pos = self.count(pos)
            kind, pos = self.i8(pos)
            pairs = []
            for _ in range(n):
                k, pos = self.value(pos)
                val, pos = self.value(pos)
                pairs.append([k, val])
            return {'t': 'map', 'kind': kind, 'v': pairs}, pos
        if tc in (28, 38):
            type_id, ordinal, pos = self._enum_body(pos)
            return {'t': 'enum' if tc == 28 else 'binaryEnum', 'typeId': type_id, 'ordinal': ordinal}, pos
        if tc == 29:
            type_id, pos = self.i32(pos)
            if type_id == 0:
                raise DecodeError('enum array with class name is not produced by pyignite')
            n, pos = self.count(pos)
            items, codes = [], set()
            for _ in range(n):
                etc, pos = self.u8(pos)
                if etc == 101:
                    items.append(None)
                elif etc in (28, 38):
                    codes.add(etc)
                    et, eo, pos = self._enum_body(pos)
                    items.append({'typeId': et, 'ordinal': eo})
                else:
                    raise DecodeError('enum array element type code %d' % etc)
            if len(codes) > 1:
                raise DecodeError('mixed enum element codes')
            out = {'t': 'enumArray', 'typeId': type_id, 'v': items}
            if codes:
                out['elemCode'] = codes.pop()
            return out, pos
        if tc == 30:
            v, pos = self._decimal(pos)
            return dict(t='decimal', **v), pos
        if tc == 31:
            v, pos = self._typed_elements(pos, 30, self._decimal)
            return {'t': 'decimalArray', 'v': v}, pos
        if tc == 33:
            v, pos = self._timestamp(pos)
            return dict(t='timestamp', **v), pos
        if tc == 34:
            v, pos = self._typed_elements(pos, 33, self._timestamp)
            return {'t': 'timestampArray', 'v': v}, pos
        if tc == 36:
            v, pos = self.i64(pos)
            return {'t': 'time', 'ms': str(v)}, pos
        if tc == 37:
            v, pos = self._typed_elements(pos, 36, lambda p: (lambda r: (str(r[0]), r[1]))(self.i64(p)))
            return {'t': 'timeArray', 'v': v}, pos
        if tc == 103:
            return self._object(start)
        raise DecodeError('unsupported type code %d at %d' % (tc, start))

    def _object(self, start):
        pos = start + 1
        version, pos = self.u8(pos)
        if version != 1:
            raise DecodeError('object version %d' % version)
        flags, pos = self.u16(pos)
        type_id, pos = self.i32(pos)
        hash_code, pos = self.i32(pos)
        length, pos = self.i32(pos)
        schema_id, pos = self.i32(pos)
        schema_off, pos = self.i32(pos)
        end = start + length
        if end > len(self.buf):
            raise DecodeError('object length past end')
        if flags & HAS_RAW_DATA:
            raise DecodeError('raw data is not produced by pyignite')
        if not flags & HAS_SCHEMA:
            raise DecodeError('objects without schema are not produced by pyignite')
        if flags & OFFSET_ONE_BYTE:
            off_fmt = '<B'
        elif flags & OFFSET_TWO_BYTES:
            off_fmt = '<H'
        else:
            off_fmt = '<I'
        compact = bool(flags & COMPACT_FOOTER)
        entry = struct.calcsize(off_fmt) + (0 if compact else 4)
        footer_len = length - schema_off
        if footer_len < 0 or footer_len % entry:
            raise DecodeError('bad footer length %d' % footer_len)
        n = footer_len // entry
        if type_id not in self.types:
            raise DecodeError('unknown type id %d' % type_id)
        type_name, names = self.types[type_id]
        by_id = {javahash.lower_case_hash(nm): nm for nm in names}
        footer = []
        fpos = start + schema_off
        for _ in range(n):
            if compact:
                off, fpos = self._unpack(off_fmt, fpos)
                footer.append((None, off))
            else:
                fid, fpos = self.i32(fpos)
                off, fpos = self._unpack(off_fmt, fpos)
                footer.append((fid, off))
        if compact:
            if n != len(names):
                raise DecodeError('compact footer has %d offsets, schema %d fields' % (n, len(names)))
            footer = [(javahash.lower_case_hash(nm), off) for nm, (_, off) in zip(names, footer)]
        fields = []
        cur = start + 24
        for fid, off in footer:
            if cur - start != off:
                raise DecodeError('field offset %d, expected %d' % (off, cur - start))
            val, cur = self.value(cur)
            fields.append({'name': by_id[fid], 'fieldId': fid, 'value': val})
        if cur != start + schema_off:
            raise DecodeError('fields end at %d, schema offset %d' % (cur - start, schema_off))
        computed = javahash.byte_array_hash(self.buf[start + 24:start + schema_off])
        if computed != hash_code:
            raise DecodeError('header hash %d != computed %d' % (hash_code, computed))
        return {
            't': 'object',
            'typeName': type_name,
            'typeId': type_id,
            'compactFooter': compact,
            'schemaId': schema_id,
            'hashCode': hash_code,
            'fields': fields,
        }, end


def decode_value(buf: bytes, types=None):
    """Decode exactly one data object that fills the whole buffer."""
    r = Reader(buf, types)
    v, end = r.value(0)
    if end != len(r.buf):
        raise DecodeError('trailing bytes: consumed %d of %d' % (end, len(r.buf)))
    return v


def object_flags(buf: bytes, pos: int = 0) -> int:
    return struct.unpack_from('<H', buf, pos + 2)[0]
