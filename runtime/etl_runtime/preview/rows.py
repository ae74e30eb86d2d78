"""Arrow table -> JSON-safe preview rows and column types (the pipeline document's type names).

Values: integers stay numbers while exactly representable in a JavaScript number (|n| <= 2**53 - 1),
else decimal strings; floats stay numbers, NaN/Infinity become the strings "NaN", "Infinity",
"-Infinity"; dates are ISO `YYYY-MM-DD`, timestamps ISO `YYYY-MM-DDTHH:MM:SS[.ffffff]` (with
the offset when the type has a time zone); decimals are strings; binary is base64; lists and
structs are arrays and objects of the same; nulls are null.

    columns, rows = to_rows(table, limit=100)
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
from typing import Any, Dict, List, Tuple

import pyarrow as pa

MAX_SAFE_INT = 2**53 - 1

_NAMES = {
    pa.bool_(): "bool",
    pa.int8(): "int8",
    pa.int16(): "int16",
    pa.int32(): "int32",
    pa.int64(): "int64",
    pa.uint8(): "uint8",
    pa.uint16(): "uint16",
    pa.uint32(): "uint32",
    pa.uint64(): "uint64",
    pa.float32(): "float32",
    pa.float64(): "float64",
    pa.string(): "string",
    pa.large_string(): "string",
    pa.binary(): "binary",
    pa.large_binary(): "binary",
    pa.date32(): "date32",
    pa.null(): "null",
}


def type_name(t: pa.DataType) -> str:
    """The pipeline's name for an Arrow type (types.ts DataType); `unknown` for the rest."""
    if pa.types.is_dictionary(t):
        return type_name(t.value_type)
    name = _NAMES.get(t)
    if name is not None:
        return name
    if pa.types.is_string_view(t):
        return "string"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_date64(t):
        return "date32"
    if pa.types.is_decimal(t):
        return "decimal"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return "list"
    if pa.types.is_struct(t):
        return "struct"
    return "unknown"


def json_value(v: Any) -> Any:
    """One Python value (from Arrow's to_pylist) made JSON-safe."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -MAX_SAFE_INT <= v <= MAX_SAFE_INT else str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return str(v)


def columns_of(schema: pa.Schema) -> List[Dict[str, str]]:
    return [{"name": f.name, "type": type_name(f.type)} for f in schema]


def to_rows(table: pa.Table, limit: int) -> Tuple[List[Dict[str, str]], List[List[Any]]]:
    """(columns, rows): the first `limit` rows as lists aligned with `columns`."""
    head = table.slice(0, max(0, limit))
    cols = [_column_values(head.column(i)) for i in range(head.num_columns)]
    rows = [list(r) for r in zip(*cols)] if cols else [[] for _ in range(head.num_rows)]
    return columns_of(table.schema), rows


def _column_values(col: pa.ChunkedArray) -> List[Any]:
    try:
        values = col.to_pylist()
    except (pa.ArrowInvalid, ValueError, OverflowError):
        # e.g. timestamps outside Python's datetime range: show Arrow's own text instead
        values = [None if not s.is_valid else str(s) for s in col]
    return [json_value(v) for v in values]
