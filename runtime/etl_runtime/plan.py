"""`Plan`: the static facts a generated script declares about its graph.

Used to map Ray operators back to graph nodes (per sink: the linear chain of node ids in the
order the script emits them) and to label events. Validated on construction so a compiler bug
shows up as a clear error before Ray starts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Sequence, Tuple


@dataclass(frozen=True)
class Plan:
    pipeline_id: str
    nodes: Mapping[str, str]  # node id -> kind ("read-parquet", "add-column", ...)
    labels: Mapping[str, str] = field(default_factory=dict)
    sinks: Mapping[str, Sequence[str]] = field(default_factory=dict)  # sink id -> chain
    preserve_order: bool = False

    def __post_init__(self) -> None:
        for sink, chain in self.sinks.items():
            if not chain or chain[-1] != sink:
                raise ValueError(f"Plan: the chain of sink {sink!r} must end with {sink!r}: {list(chain)}")
            unknown = [n for n in chain if n not in self.nodes]
            if unknown:
                raise ValueError(f"Plan: sink {sink!r} chain names unknown nodes {unknown}")
            if len(set(chain)) != len(chain):
                raise ValueError(f"Plan: sink {sink!r} chain repeats a node: {list(chain)}")

    def chain(self, sink: str) -> List[Tuple[str, str]]:
        """[(node id, kind)] feeding `sink`, in emitted order (ending with the sink)."""
        if sink not in self.sinks:
            raise KeyError(f"Plan has no sink {sink!r} (sinks: {sorted(self.sinks)})")
        return [(n, self.nodes[n]) for n in self.sinks[sink]]

    def label(self, node: str) -> str:
        return self.labels.get(node, node)

    def to_event(self) -> Dict[str, object]:
        """The graph part of the run-started event."""
        return {
            "pipelineId": self.pipeline_id,
            "sinks": list(self.sinks),
            "nodes": [{"id": n, "kind": k, "label": self.label(n)} for n, k in self.nodes.items()],
        }
