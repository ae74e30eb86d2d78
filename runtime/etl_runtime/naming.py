"""How UDF wrappers are named so the operator names Ray prints carry the graph node id.

Ray names a map operator after its UDF: `MapBatches(<function __name__>)` for a function and
`MapBatches(<class __name__>)` for a callable class (ray/data/_internal/logical/operators/
map_operator.py, `_get_operator_name`). Our wrappers are called `<family>__<node id>`, e.g.
`MapBatches(udf_filter__keep)` or `MapBatches(AddColumnActor__flag)`. Families never contain
`__`, so everything after the first `__` is the node id (ids match ^[A-Za-z_][A-Za-z0-9_]*$).
"""
from __future__ import annotations

from typing import Optional, Tuple

SEP = "__"

# family -> node kind it implements
FAMILIES = {
    "udf_filter": "udf-filter",
    "UdfFilterActor": "udf-filter",
    "add_column": "add-column",
    "AddColumnActor": "add-column",
}


def wrapper_name(family: str, node_id: str) -> str:
    if family not in FAMILIES:
        raise ValueError(f"unknown wrapper family {family!r}")
    return f"{family}{SEP}{node_id}"


def parse_wrapper_name(name: str) -> Tuple[Optional[str], Optional[str]]:
    """`udf_filter__keep` -> ("udf_filter", "keep"); `AddColumnActor` -> ("AddColumnActor", None);
    anything else -> (None, None)."""
    family, sep, node_id = name.partition(SEP)
    if family not in FAMILIES:
        return None, None
    return family, (node_id or None) if sep else None
