"""Live progress: a Ray Data ExecutionCallback that emits `stage` events mapped to graph nodes.

Ray 2.60 instantiates every class in `DataContext.custom_execution_callback_classes` (no
arguments) for each execution (ray/data/_internal/planner/planner.py) and calls
`before_execution_starts`, `on_execution_step` (every scheduling loop step, executor thread),
`after_execution_succeeds` / `after_execution_fails` (from `StreamingExecutor.shutdown`).
The executor's `_topology` (ordered op -> state) gives each physical operator's `name` and
`metrics` (OpRuntimeMetrics). Internal API: pinned to Ray 2.60 and covered by tests.

Each execution belongs to the sink `Run.write` is staging (set with `executing_sink`);
executions outside a write emit nothing. Operators ending in `Write` report write results, not
rows, so their `rowsOut` is filled in by `sink_staged` once the staged rows are counted.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Dict, List, Optional

from ray.data._internal.execution.execution_callback import ExecutionCallback
from ray.data.context import DataContext

from . import events
from .errors import ANSI
from .opmap import map_operators, split_operator_name
from .plan import Plan

_lock = threading.Lock()
_plan: Optional[Plan] = None
_sink: Optional[str] = None
_finals: Dict[str, List[Dict[str, Any]]] = {}  # sink -> final stage events of its last execution
_failed: Dict[str, Dict[str, Any]] = {}  # sink -> the stage event of the failing operator


def activate(plan: Plan, context: Optional[DataContext] = None) -> None:
    """Use `plan` for mapping and register the callback in the (current) DataContext."""
    global _plan
    _plan = plan
    _finals.clear()
    _failed.clear()
    ctx = context or DataContext.get_current()
    if ProgressCallback not in ctx.custom_execution_callback_classes:
        ctx.custom_execution_callback_classes.append(ProgressCallback)


def deactivate(context: Optional[DataContext] = None) -> None:
    global _plan, _sink
    _plan, _sink = None, None
    ctx = context or DataContext.get_current()
    while ProgressCallback in ctx.custom_execution_callback_classes:
        ctx.custom_execution_callback_classes.remove(ProgressCallback)


@contextlib.contextmanager
def executing_sink(sink: str):
    """Executions started inside this block are reported as feeding `sink`."""
    global _sink
    with _lock:
        previous, _sink = _sink, sink
    try:
        yield
    finally:
        with _lock:
            _sink = previous


def failed_stage(sink: str) -> Optional[Dict[str, Any]]:
    return _failed.get(sink)


def sink_staged(sink: str, rows: int) -> None:
    """Re-emit the final event of the operator(s) that wrote `sink`, with the rows written."""
    for ev in _finals.get(sink, []):
        if "Write" in [c.split("(")[0] for c in split_operator_name(ev["stage"])]:
            fields = dict(ev, rowsOut=rows)
            state = fields.pop("state")
            events.emit_throttled(_key(sink, fields["stageIndex"]), state, "stage", force=True, **fields)


def _error_text(error: BaseException) -> str:
    parts, seen, e = [], set(), error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        parts.append(str(e))
        e = getattr(e, "cause", None) or e.__cause__
    return ANSI.sub("", "\n".join(parts))


def _key(sink: str, index: int) -> str:
    return f"{sink}:{index}"


def _metric(metrics: Any, name: str) -> Optional[int]:
    value = getattr(metrics, name, None)
    return int(value) if isinstance(value, (int, float)) else None


class ProgressCallback(ExecutionCallback):
    def __init__(self) -> None:
        self._stages: List[tuple] = []  # (index, op, name, nodes, writes)
        self._sink: Optional[str] = None
        self._done = False
        self._states: Dict[int, str] = {}
        self._sent: Dict[int, Dict[str, Any]] = {}  # last event that went out, per stage

    # -- Ray hooks
    def before_execution_starts(self, executor) -> None:
        plan, sink = _plan, _sink
        if plan is None or sink is None or sink not in plan.sinks:
            return
        ops = list(executor._topology)
        mapping = map_operators(plan.chain(sink), [op.name for op in ops])
        self._sink = sink
        self._stages = [
            (i, op, name, nodes, "Write" in [c.split("(")[0] for c in split_operator_name(name)])
            for i, (op, (name, nodes)) in enumerate(zip(ops, mapping))
            if nodes
        ]

    def on_execution_step(self, executor) -> None:
        if self._stages and not self._done:
            self._report(final=None)

    def after_execution_succeeds(self, executor) -> None:
        if self._stages:
            self._report(final="succeeded")

    def after_execution_fails(self, executor, error: Exception) -> None:
        if self._stages:
            self._report(final="failed", error=error)

    # -- reporting
    def _event(self, index, op, name, nodes, writes, state) -> Dict[str, Any]:
        m = op.metrics
        ev = {
            "stage": name,
            "stageIndex": index,
            "nodes": nodes,
            "sink": self._sink,
            "state": state,
            "rowsOut": None if writes else _metric(m, "row_outputs_taken"),
            "rowsIn": _metric(m, "num_row_inputs_received"),
            "bytesOut": None if writes else _metric(m, "bytes_outputs_taken"),
            "tasksDone": _metric(m, "num_tasks_finished"),
            "tasksRunning": _metric(m, "num_tasks_running"),
        }
        return ev

    @staticmethod
    def _completed(op) -> bool:
        fn = getattr(op, "has_completed", None) or getattr(op, "completed", None)
        try:
            return bool(fn()) if fn else False
        except Exception:
            return False

    @staticmethod
    def _started(op) -> bool:
        m = op.metrics
        return any((_metric(m, k) or 0) > 0 for k in ("num_tasks_submitted", "row_outputs_taken", "num_inputs_received"))

    def _state(self, index: int, op, final: Optional[str], failed: set) -> Optional[str]:
        if self._states.get(index) == "succeeded":
            return "succeeded"
        if final == "failed":
            # after a failure Ray marks every operator finished: trust only what was seen
            if index in failed:
                return "failed"
            if not failed and self._started(op):
                return "failed"
            return "cancelled"
        if final == "succeeded" or self._completed(op):
            return "succeeded"
        return "running" if self._started(op) else None

    def _failed_stages(self, error: Optional[BaseException]) -> set:
        """Operators that failed: those with failed tasks, else the one the error names."""
        failed = {i for i, op, *_ in self._stages if (_metric(op.metrics, "num_tasks_failed") or 0) > 0}
        if failed or error is None:
            return failed
        text = _error_text(error)
        named = [(len(name), i) for i, _, name, *_ in self._stages if name in text]
        return {max(named)[1]} if named else set()

    def _report(self, final: Optional[str], error: Optional[BaseException] = None) -> None:
        failed = self._failed_stages(error) if final == "failed" else set()
        finals = []
        for index, op, name, nodes, writes in self._stages:
            state = self._state(index, op, final, failed)
            if state is None:
                continue
            ev = self._event(index, op, name, nodes, writes, state)
            changed = self._states.get(index) != state
            self._states[index] = state
            if final or changed or ev != self._sent.get(index):
                fields = dict(ev)
                fields.pop("state")
                if events.emit_throttled(
                    _key(self._sink, index), state, "stage", force=bool(final) or changed, **fields
                ):
                    self._sent[index] = ev
            if final:
                finals.append(ev)
                if state == "failed" and self._sink not in _failed:
                    _failed[self._sink] = ev
        if final:
            self._done = True
            _finals[self._sink] = finals
