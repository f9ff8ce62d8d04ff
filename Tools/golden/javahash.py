"""Independent Python ports of the Java semantics the Ignite server uses.

Nothing here imports pyignite: these functions are the "Java side" that the
golden vectors compare pyignite against (PROTOCOL-FACTS sections 7.9, 7.10,
7.11, 8.3 and 8.4).  Every function returns a signed 32-bit Python int.
"""

import struct

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def i32(x: int) -> int:
    """Wrap an arbitrary Python int to a signed 32-bit value (Java int)."""
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def i64(x: int) -> int:
    """Wrap an arbitrary Python int to a signed 64-bit value (Java long)."""
    x &= M64
    return x - (1 << 64) if x & (1 << 63) else x


def utf16_units(s: str):
    """The UTF-16 code units of a string, as Java's String.charAt sees them."""
    b = s.encode('utf-16-le', 'surrogatepass')
    return struct.unpack('<%dH' % (len(b) // 2), b)


# --- java.lang.* hashCode() -------------------------------------------------

def string_hash(s: str) -> int:
    """String.hashCode(): h = 31*h + c over UTF-16 code units, int overflow."""
    h = 0
    for u in utf16_units(s):
        h = (31 * h + u) & M32
    return i32(h)


def long_hash(v: int) -> int:
    """Long.hashCode(): (int)(v ^ (v >>> 32))."""
    u = v & M64
    return i32(u ^ (u >> 32))


def float_hash(bits: int) -> int:
    """Float.hashCode() = floatToIntBits(): every NaN becomes 0x7fc00000."""
    bits &= M32
    if (bits & 0x7F800000) == 0x7F800000 and (bits & 0x007FFFFF):
        bits = 0x7FC00000
    return i32(bits)


def double_hash(bits: int) -> int:
    """Double.hashCode(): doubleToLongBits (NaN -> 0x7ff8000000000000), then Long."""
    bits &= M64
    if (bits & 0x7FF0000000000000) == 0x7FF0000000000000 and (bits & 0x000FFFFFFFFFFFFF):
        bits = 0x7FF8000000000000
    return long_hash(bits)


def bool_hash(v: bool) -> int:
    return 1231 if v else 1237


def uuid_hash(msb: int, lsb: int) -> int:
    """UUID.hashCode(): hilo = msb ^ lsb; (int)(hilo >> 32) ^ (int)hilo."""
    hilo = (msb ^ lsb) & M64
    return i32((hilo >> 32) ^ hilo)


def date_hash(ms: int) -> int:
    """java.util.Date.hashCode() (also Timestamp, Time): (int)ms ^ (int)(ms >> 32)."""
    return i32((ms & M32) ^ ((ms >> 32) & M32))


def biginteger_hash(v: int) -> int:
    """java.math.BigInteger.hashCode(): fold 32-bit magnitude words (MSW first), times signum."""
    mag = abs(v)
    words = []
    while mag:
        words.insert(0, mag & M32)
        mag >>= 32
    h = 0
    for w in words:
        h = (31 * h + w) & M32
    sign = (v > 0) - (v < 0)
    return i32(i32(h) * sign)


def bigdecimal_hash(unscaled: int, scale: int) -> int:
    """java.math.BigDecimal.hashCode() for BigDecimal(BigInteger unscaled, int scale).

    The (BigInteger, int) constructor keeps the value "compact" (intCompact)
    when the magnitude fits in 63 bits; otherwise it is INFLATED and the
    BigInteger path is used.
    """
    if abs(unscaled) < (1 << 63):
        v = abs(unscaled)
        temp = i32(i32(i32(v >> 32) * 31) + (v & M32))
        return i32(31 * (-temp if unscaled < 0 else temp) + scale)
    return i32(31 * biginteger_hash(unscaled) + scale)


def binary_enum_hash(type_id: int, ordinal: int) -> int:
    """BinaryEnumObjectImpl.hashCode(): 31 * typeId + ordinal."""
    return i32(31 * type_id + ordinal)


def byte_array_hash(data: bytes) -> int:
    """BinaryArrayIdentityResolver: h = 1; h = 31*h + (signed byte)."""
    h = 1
    for b in data:
        h = (31 * h + (b - 256 if b > 127 else b)) & M32
    return i32(h)


# --- ids (BinaryBasicIdMapper, BinaryUtils) ---------------------------------

def java_char_lower(u: int) -> int:
    """Character.toLowerCase(char) for one UTF-16 code unit (simple case mapping)."""
    if 0xD800 <= u <= 0xDFFF:
        return u  # surrogates have no case; Java lowers code unit by code unit
    if u == 0x0130:
        return 0x0069  # LATIN CAPITAL LETTER I WITH DOT ABOVE: simple mapping is 'i'
    low = chr(u).lower()
    if len(low) != 1:
        raise ValueError('no simple lower-case mapping known for U+%04X' % u)
    return ord(low)


def lower_case_hash(name: str) -> int:
    """BinaryBasicIdMapper.lowerCaseHashCode(): type ids and field ids."""
    h = 0
    for u in utf16_units(name):
        h = (31 * h + java_char_lower(u)) & M32
    return i32(h)


FNV1_OFFSET_BASIS = 0x811C9DC5
FNV1_PRIME = 0x01000193


def schema_id(field_ids) -> int:
    """BinaryUtils.schemaInitialId/updateSchemaId: FNV-1 over the field ids, LSB first.

    With no fields the Java writer keeps the FNV offset basis.
    """
    h = FNV1_OFFSET_BASIS
    for fid in field_ids:
        fid &= M32
        for shift in (0, 8, 16, 24):
            h ^= (fid >> shift) & 0xFF
            h = (h * FNV1_PRIME) & M32
    return i32(h)


# --- RendezvousAffinityFunction ----------------------------------------------

def partition(h: int, parts: int) -> int:
    """RendezvousAffinityFunction.calculatePartition with Java int semantics."""
    h = i32(h)
    mask = parts - 1 if (parts & (parts - 1)) == 0 else -1
    if mask >= 0:
        return (h ^ ((h & M32) >> 16)) & mask
    r = abs(h) % parts  # Java %: truncating, sign of the dividend
    if h < 0:
        r = -r
    r = abs(r)  # safeAbs; |r| < parts so Integer.MIN_VALUE cannot occur here
    return r


# --- hashCode of a tagged golden VALUE ---------------------------------------

def value_hash(v):
    """Java hashCode() of the value a tagged VALUE dict describes, or None.

    None for null, arrays, collections and maps (Java identity / not used for
    affinity).
    """
    t = v['t']
    if t in ('byte', 'short', 'int', 'char'):
        return i32(v['v'])
    if t == 'long':
        return long_hash(int(v['v']))
    if t == 'float':
        return float_hash(int(v['bits'], 16))
    if t == 'double':
        return double_hash(int(v['bits'], 16))
    if t == 'bool':
        return bool_hash(v['v'])
    if t == 'string':
        return string_hash(v['v'])
    if t == 'uuid':
        n = int(v['v'].replace('-', ''), 16)
        return uuid_hash(n >> 64, n & M64)
    if t in ('date', 'timestamp', 'time'):
        return date_hash(int(v['ms']))
    if t == 'decimal':
        return bigdecimal_hash(int(v['unscaled']), v['scale'])
    if t in ('enum', 'binaryEnum'):
        return binary_enum_hash(v['typeId'], v['ordinal'])
    if t == 'object':
        return v['hashCode']
    return None
