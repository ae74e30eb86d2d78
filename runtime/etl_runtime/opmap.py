"""Map Ray's physical operators back to graph nodes (pure functions, no Ray import).

Ray reports operators after fusion, e.g. `ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)`,
and splits a sort into `SortSample(partitions=N)`, `SortShuffleMap(...)`, `SortShuffleReduce(...)`.
`map_operators(chain, operator_names)` assigns each node of a sink's chain (ids + kinds, in the
order the script emits them) to the operators that run it:

* each operator name is split on `->` (outside parentheses/quotes) into components;
* anchors: `ListFiles`/`Read*` -> the read node, `MapBatches(<family>__<id>)` -> node `<id>`
  (a bare family name such as `MapBatches(AddColumnActor)` -> the next node of that kind),
  `Sort*` phases -> the sort node (all phases of one sort name it), `Write` -> the write node;
* nodes between two anchors (expression nodes: add-column expressions, drop-columns, ...)
  go to the `Project`/`Filter` components between those anchors, in order;
* a node still unassigned (fused or pushed into another operator) is attached to the operator
  of the anchor before it (or after it, if none comes before).

A node may appear in several operators (ListFiles + ReadFiles, the sort phases); an operator
may have no node (`Input`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from .naming import FAMILIES, parse_wrapper_name

Chain = Sequence[Tuple[str, str]]  # [(node id, kind)]

_UDF_OPS = ("MapBatches", "MapRows", "FlatMap", "Filter")
# map_batches UDFs Ray itself uses for column operations it cannot plan as a Project
# (e.g. drop_columns after an expression of unknown type): expression-like
_RAY_COLUMN_UDFS = ("drop_columns", "select_columns", "rename_columns")
_SORT_PHASES = {"SortSample": 0, "SortShuffleMap": 1, "SortShuffleReduce": 2}


def split_operator_name(name: str) -> List[str]:
    """Split a fused operator name on `->` at parenthesis depth 0, outside quotes."""
    parts, buf, depth, quote, i = [], [], 0, None, 0
    while i < len(name):
        ch = name[i]
        if quote:
            if ch == "\\" and i + 1 < len(name):
                buf.append(name[i : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "-" and depth == 0 and name.startswith("->", i):
            parts.append("".join(buf).strip())
            buf = []
            i += 2
            continue
        buf.append(ch)
        i += 1
    parts.append("".join(buf).strip())
    return [p for p in parts if p]


@dataclass
class Component:
    op: int  # index of the operator it belongs to
    text: str
    role: str  # "none" | "read" | "sort" | "write" | "udf" | "expr" | "other"
    phase: Optional[int] = None  # read: ListFiles 0, Read* 1; sort: sample 0, map 1, reduce 2
    node_id: Optional[str] = None  # udf named after its node
    kind: Optional[str] = None  # udf: node kind implied by the wrapper family


def classify(text: str, op: int = 0) -> Component:
    """What one component of an operator name stands for."""
    head = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text)
    word = head.group(0) if head else ""
    if word in ("Input", "InputDataBuffer"):
        return Component(op, text, "none")
    if word == "ListFiles":
        return Component(op, text, "read", phase=0)
    if word.startswith("Read"):
        return Component(op, text, "read", phase=1)
    if word in _SORT_PHASES:
        return Component(op, text, "sort", phase=_SORT_PHASES[word])
    if word == "Sort":
        return Component(op, text, "sort")
    if word == "Write":
        return Component(op, text, "write")
    if word == "Project":
        return Component(op, text, "expr")
    if word in _UDF_OPS:
        inner = text[len(word) :]
        inner = inner[1:-1] if inner.startswith("(") and inner.endswith(")") else ""
        if inner in _RAY_COLUMN_UDFS:
            return Component(op, text, "expr")
        family, node_id = parse_wrapper_name(inner)
        if family is not None:
            return Component(op, text, "udf", node_id=node_id, kind=FAMILIES[family])
        return Component(op, text, "expr" if word == "Filter" else "udf")
    return Component(op, text, "other")


def _matches(comp: Component, kind: str) -> bool:
    if comp.role == "read":
        return kind.startswith("read")
    if comp.role == "sort":
        return kind == "sort"
    if comp.role == "write":
        return kind == "write"
    if comp.role == "udf":
        return kind == comp.kind if comp.kind else kind in ("udf-filter", "add-column")
    return False


def _continues(prev: Optional[Component], comp: Component) -> bool:
    """True if `comp` is a later phase of the same read/sort as `prev`."""
    return (
        prev is not None
        and prev.role == comp.role
        and comp.role in ("read", "sort")
        and prev.phase is not None
        and comp.phase is not None
        and prev.phase < comp.phase
    )


def map_operators(chain: Chain, operator_names: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """[(operator name, [node ids in chain order])] for each operator, in operator order."""
    ids = [n for n, _ in chain]
    index = {n: i for i, n in enumerate(ids)}
    comps = [classify(part, op) for op, name in enumerate(operator_names) for part in split_operator_name(name)]

    # 1. anchors: component index -> chain index
    anchor: Dict[int, int] = {}
    taken: set = set()
    pos, last = 0, None
    for ci, comp in enumerate(comps):
        if comp.role in ("none", "expr", "other"):
            continue
        if _continues(comps[last] if last is not None else None, comp):
            anchor[ci] = anchor[last]
            last = ci
            continue
        j = None
        if comp.node_id is not None and comp.node_id in index:
            j = index[comp.node_id]
        elif comp.node_id is None:
            j = next((k for k in range(pos, len(chain)) if k not in taken and _matches(comp, chain[k][1])), None)
        if j is None:
            continue
        anchor[ci], last = j, ci
        taken.add(j)
        pos = max(pos, j + 1)

    assigned: Dict[int, List[int]] = {ci: [j] for ci, j in anchor.items()}  # comp -> chain idxs

    # 2. unanchored nodes: to absorbing components between the surrounding anchors
    by_chain: Dict[int, List[int]] = {}
    for ci, j in anchor.items():
        by_chain.setdefault(j, []).append(ci)
    segments: Dict[Tuple[Optional[int], Optional[int]], List[int]] = {}
    for j in range(len(chain)):
        if j in by_chain:
            continue
        before = [k for k in by_chain if k < j]
        after = [k for k in by_chain if k > j]
        prev_ci = max(by_chain[max(before)]) if before else None
        next_ci = min(by_chain[min(after)]) if after else None
        segments.setdefault((prev_ci, next_ci), []).append(j)
    for (prev_ci, next_ci), nodes in segments.items():
        lo = -1 if prev_ci is None else prev_ci
        hi = len(comps) if next_ci is None else next_ci
        absorbers = [
            ci for ci in range(lo + 1, hi) if comps[ci].role in ("expr", "udf") and ci not in anchor
        ]
        if absorbers:
            for t, j in enumerate(nodes):
                assigned.setdefault(absorbers[min(t, len(absorbers) - 1)], []).append(j)
        else:
            home = prev_ci if prev_ci is not None else next_ci
            if home is not None:
                assigned.setdefault(home, []).extend(nodes)

    # 3. group by operator
    result: List[Tuple[str, List[str]]] = []
    for op, name in enumerate(operator_names):
        idxs = sorted({j for ci, js in assigned.items() if comps[ci].op == op for j in js})
        result.append((name, [ids[j] for j in idxs]))
    return result
