"""Type names of the pipeline document (server/pipeline/types.ts) -> Arrow / Ray DataType.

One table for the runtime: Python add-column output types, `fn.cast`, and the `type=` hints
of polymorphic expression helpers all go through `arrow_type(name)`.
"""
from __future__ import annotations

import pyarrow as pa

_ARROW = {
    "bool": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
    "string": pa.string(),
    "binary": pa.binary(),
    "date32": pa.date32(),
    "timestamp": pa.timestamp("us"),  # naive, microseconds (what pandas/Ray write by default)
    "null": pa.null(),
}

# Types a user may declare for a Python add-column (DECLARABLE_TYPES in types.ts).
DECLARABLE = ("bool", "int64", "float64", "string", "date32", "timestamp")


def arrow_type(name: str) -> pa.DataType:
    try:
        return _ARROW[name]
    except KeyError:
        raise ValueError(f"unknown type {name!r}; expected one of {sorted(_ARROW)}") from None


def ray_type(name: str):
    """The Ray `DataType` for a type name (Ray import deferred: workers may not need it)."""
    from ray.data.datatype import DataType

    return DataType.from_arrow(arrow_type(name))
