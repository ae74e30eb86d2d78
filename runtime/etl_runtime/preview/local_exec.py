"""Execute a small Ray Dataset in this process with Ray Data's own operator code, no cluster.

A preview builds the real Ray Dataset (the generated per-node code, on `dataset_from_arrow`
of a sample) and hands it here. Ray plans it exactly as a run would (logical optimizer,
planner, operator fusion); then, instead of scheduling tasks and actors — hundreds of
milliseconds to seconds per execution on a local Ray, more with an actor pool or a sort —
each physical operator's transform runs in-process on the sample's blocks:

* `MapOperator` (tasks or actor pool): its `MapTransformer` — the very object a Ray task or
  actor would run, fused chain included — initialised and applied to all blocks as one task;
* sort (`SortShuffleMap` + `SortShuffleReduce`): Ray's own range-partition function with a
  single partition (no boundaries) and its sort reduce function; a fused map after the
  reduce runs like the map operators above;
* `InputDataBuffer`: the sample's blocks.

Nothing here needs a Ray cluster, so the preview worker never starts one (`ray.init` of a
local Ray costs 4 s and more before the first answer): the sample's block is held in this
process (`LocalBlock`, where `ray.from_arrow` would `ray.put` it) and, while Ray is not
initialised, the node id Ray Data writes into block stats is a fixed stand-in
(`allow_without_cluster`). With Ray initialised (tests that also run jobs) the same code runs
unchanged.

Any other operator raises `UnsupportedOperator` (a new node kind needs a line here; the
parity test runs every golden pipeline through both paths).
Tested against Ray 2.60.0 (pinned in runtime/requirements.txt): it reaches into Ray internals.
"""
from __future__ import annotations

from typing import Callable, List, Optional

import pyarrow as pa


class UnsupportedOperator(RuntimeError):
    """The plan holds an operator this executor does not know."""


class OperatorFailed(Exception):
    """An operator raised; `operator` is Ray's operator name (e.g. `Project->MapBatches(...)`)."""

    def __init__(self, operator: str, cause: BaseException):
        super().__init__(f"{operator}: {cause}")
        self.operator = operator
        self.__cause__ = cause


# Stands in for a Ray node id in block stats when no cluster is connected (a nil NodeID's hex).
LOCAL_NODE_ID = "ff" * 28
_allowed = False


def allow_without_cluster() -> None:
    """Let Ray Data's planning and operator code run in a process with no Ray cluster.

    Ray Data stamps every block's stats with `get_runtime_context().get_node_id()`, which
    raises while Ray is not initialised; it then answers LOCAL_NODE_ID (only then: with Ray
    up, Ray's answer). Idempotent. Example: allow_without_cluster(); execute(ds)"""
    global _allowed
    if _allowed:
        return
    import ray
    from ray.runtime_context import RuntimeContext

    ray_get_node_id = RuntimeContext.get_node_id

    def get_node_id(self) -> str:
        return ray_get_node_id(self) if ray.is_initialized() else LOCAL_NODE_ID

    get_node_id.__doc__ = ray_get_node_id.__doc__
    RuntimeContext.get_node_id = get_node_id
    _allowed = True


class LocalBlock:
    """A block held in this process where Ray Data expects an ObjectRef to it (the input of a
    FromArrow); `execute` reads it back. Never leaves the process (a preview's Dataset is
    executed here only)."""

    __slots__ = ("block",)

    def __init__(self, block):
        self.block = block

    def __repr__(self) -> str:
        return f"LocalBlock({type(self.block).__name__}, {getattr(self.block, 'num_rows', '?')} rows)"


def dataset_from_arrow(table: pa.Table):
    """`ray.data.from_arrow(table)` without a cluster: the same logical plan — a FromArrow
    over one block with its metadata — but the block stays in this process (a `LocalBlock`,
    not `ray.put`) and its metadata is computed here (from_arrow_refs runs a remote task)."""
    from ray.data._internal.logical.interfaces import LogicalPlan
    from ray.data._internal.logical.operators import FromArrow
    from ray.data._internal.stats import DatasetStats
    from ray.data._internal.util import get_table_block_metadata_schema
    from ray.data.context import DataContext
    from ray.data.dataset import MaterializedDataset

    allow_without_cluster()
    metadata_schema = [get_table_block_metadata_schema(table)]
    stats = DatasetStats(metadata={"FromArrow": metadata_schema}, parent=None)
    context = DataContext.get_current().copy()
    return MaterializedDataset(LogicalPlan(FromArrow([LocalBlock(table)], metadata_schema), context), context, stats)


def _block_of(ref):
    """The block a FromArrow input stands for: a LocalBlock's, or (a Dataset built with
    ray.data.from_arrow on a connected Ray) the object's."""
    if isinstance(ref, LocalBlock):
        return ref.block
    import ray

    return ray.get(ref)


def _chain(dag) -> list:
    ops = []
    op = dag
    while True:
        ops.append(op)
        deps = op.input_dependencies
        if not deps:
            break
        if len(deps) != 1:
            raise UnsupportedOperator(f"{op.name} has {len(deps)} inputs; previews run linear chains")
        op = deps[0]
    return ops[::-1]


def _run_transformer(transformer, blocks: list, name: str, data_context) -> list:
    from ray.data._internal.execution.interfaces.task_context import TaskContext
    from ray.data._internal.execution.operators.map_transformer import TransformClock
    from ray.data.context import DataContext

    import ray.data

    # What Ray's _map_task does around the transformer (without stats and retries). An actor
    # pool's init_fn builds the UDF instances once per actor process, into a module global it
    # then never replaces: clear it, so each operator of each preview gets fresh instances,
    # as it would on a fresh actor.
    task = TaskContext(task_idx=0, op_name=name)
    ray.data._map_actor_context = None
    try:
        with DataContext.current(data_context), TaskContext.current(task):
            transformer.override_target_max_block_size(task.target_max_block_size_override)
            transformer.init()
            return list(transformer.apply_transform(iter(blocks), task, clock=TransformClock()))
    finally:
        ray.data._map_actor_context = None


def execute(ds, on_operator: Optional[Callable[[str], None]] = None) -> Optional[pa.Table]:
    """Run `ds` (a lazy Ray Dataset over in-memory blocks) here; its rows as one Arrow table,
    or None when no block came out (no rows and so no schema: the caller knows the columns).
    `on_operator(name)` is called before each operator runs (for error attribution)."""
    from ray.data._internal.execution.operators.input_data_buffer import InputDataBuffer
    from ray.data._internal.execution.operators.map_operator import MapOperator
    from ray.data._internal.execution.operators.shuffle_operators.shuffle_reduce_operator import ShuffleReduceOp
    from ray.data._internal.execution.operators.shuffle_operators.shuffle_tasks import _partition_blocks_to_shards
    from ray.data._internal.execution.operators.shuffle_operators.sort_sampling_operator import SortSamplingOp
    from ray.data._internal.execution.operators.shuffle_operators.sort_shuffle_map_operator import SortShuffleMapOp
    from ray.data._internal.execution.operators.sort_shuffle import make_range_partition_fn
    from ray.data._internal.logical.optimizers import get_execution_plan
    from ray.data.block import BlockAccessor
    from ray.data.context import DataContext

    allow_without_cluster()
    plan, _callbacks = get_execution_plan(ds._logical_plan)
    data_context = ds.context if getattr(ds, "context", None) is not None else DataContext.get_current()
    blocks: List = []
    for op in _chain(plan.dag):
        if on_operator is not None:
            on_operator(op.name)
        try:
            if isinstance(op, InputDataBuffer):
                bundles = op._input_data or []
                blocks = [_block_of(ref) for bundle in bundles for ref in bundle.block_refs]
            elif isinstance(op, MapOperator):
                blocks = _run_transformer(op._map_transformer, blocks, op.name, data_context)
            elif isinstance(op, SortSamplingOp):
                continue  # boundaries only matter with several partitions; one is used below
            elif isinstance(op, SortShuffleMapOp):
                op._sort_key.validate_schema(_schema_of(blocks))
                with DataContext.current(data_context):
                    partition = make_range_partition_fn([], op._sort_key, data_context)
                    shards = _partition_blocks_to_shards(tuple(blocks), partition)
                blocks = shards.get(0, [])
            elif isinstance(op, ShuffleReduceOp):
                with DataContext.current(data_context):
                    out = list(op._reduce_fn(0, [blocks])) if blocks else []
                fused = op._fused_output_map_transformer
                blocks = _run_transformer(fused, out, op.name, data_context) if fused is not None and out else out
            else:
                raise UnsupportedOperator(f"the preview cannot run Ray operator {op.name} ({type(op).__name__})")
        except UnsupportedOperator:
            raise
        except Exception as e:  # noqa: BLE001 - re-raised with the operator's name
            raise OperatorFailed(op.name, e) from e
    tables = [BlockAccessor.for_block(b).to_arrow() for b in blocks]
    if not tables:
        return None
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables, promote_options="default")


def _schema_of(blocks: list):
    from ray.data.block import BlockAccessor

    for b in blocks:
        return BlockAccessor.for_block(b).schema()
    return None

