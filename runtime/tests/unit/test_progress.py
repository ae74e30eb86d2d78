"""progress on a real Ray 2.60: the operator names Ray prints, mapped to our node ids, and the
stage events (running -> succeeded, rows, the write's rows filled in after staging)."""
import json
import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from ray.data.context import DataContext
from ray.data.expressions import col

import etl_runtime as rt
from etl_runtime import events, fn, progress
from etl_runtime.opmap import map_operators

CHAIN = ["read", "ratio", "drop", "keep", "sort", "flag", "out"]
PLAN = rt.Plan(
    pipeline_id="p",
    nodes={"read": "read-parquet", "ratio": "add-column", "drop": "drop-columns", "keep": "udf-filter",
           "sort": "sort", "flag": "add-column", "out": "write"},
    sinks={"out": CHAIN},
    preserve_order=True,
)
KEEP = "def keep(batch):\n    return batch['total_votes'] > 10\n"
FLAG = "def compute(batch):\n    return batch['total_votes'] < 100\n"


def parse(out):
    return [json.loads(l[len(events.PREFIX):]) for l in out.splitlines() if l.startswith(events.PREFIX)]


def test_real_operator_names_map_to_nodes(ray_local, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    rng = np.random.default_rng(1)
    for i in range(2):
        pq.write_table(pa.table({"total_votes": rng.integers(0, 300, 50), "helpful_votes": rng.integers(0, 50, 50),
                                 "body": ["x"] * 50}), src / f"p{i}.parquet")
    ctx = DataContext.get_current()
    progress.activate(PLAN, ctx)
    try:
        ds = ray_local.data.read_parquet(str(src))
        ds = ds.with_column("ratio", fn.div(col("helpful_votes"), col("total_votes")))
        ds = ds.drop_columns(["body"])
        ds = ds.map_batches(rt.udf_filter("keep", KEEP), batch_format="pandas")
        ds = ds.sort(["total_votes"], descending=[True])
        ds = ds.map_batches(rt.add_column_python("flag", "low", FLAG, "bool"), batch_format="pandas")
        run = rt.Run(PLAN, "t1")
        rows = run.write(ds, node="out", path=str(tmp_path / "out"), format="parquet", mode="error")
        run.commit()
    finally:
        progress.deactivate(ctx)
    evs = [e for e in parse(capsys.readouterr().out) if e["type"] == "stage"]
    stages = {e["stage"]: e["nodes"] for e in evs}
    print("Ray 2.60 operator names:", list(stages))

    # What Ray 2.60 prints for this pipeline (partitions=4: the test context's shuffle default)
    fused_read = "ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)"
    reduce = next(s for s in stages if s.startswith("SortShuffleReduce"))
    assert re.fullmatch(r"SortShuffleReduce\(partitions=\d+\)->MapBatches\(add_column__flag\)->Write", reduce)
    assert stages["ListFiles"] == ["read"]
    assert stages[fused_read] == ["read", "ratio", "drop", "keep"]
    assert stages[reduce] == ["sort", "flag", "out"]
    assert [s for s in stages if s.startswith("Sort")][:2][0].startswith("SortSample(")
    assert set(n for nodes in stages.values() for n in nodes) == set(CHAIN)
    assert map_operators(PLAN.chain("out"), ["Input", *stages]) [1:] == list(stages.items())

    # every stage ends succeeded; rows are reported; the write's rows come after staging
    final = {}
    for e in evs:
        final[e["stageIndex"]] = e
        assert e["sink"] == "out" and e["state"] in ("running", "succeeded")
    assert all(e["state"] == "succeeded" for e in final.values())
    by_name = {e["stage"]: e for e in final.values()}
    kept = by_name[fused_read]["rowsOut"]
    assert kept == rows and 0 < rows < 100
    assert by_name[reduce]["rowsOut"] == rows
    assert (tmp_path / "out").is_dir()


class FakeMetrics:
    def __init__(self, **kw):
        self.row_outputs_taken = kw.get("rows", 0)
        self.num_row_inputs_received = kw.get("rows_in", 0)
        self.bytes_outputs_taken = kw.get("bytes", 0)
        self.num_tasks_finished = kw.get("done", 0)
        self.num_tasks_running = kw.get("running", 0)
        self.num_tasks_submitted = kw.get("submitted", 0)
        self.num_inputs_received = kw.get("inputs", 0)
        self.num_tasks_failed = kw.get("failed", 0)


class FakeOp:
    def __init__(self, name):
        self.name, self.metrics, self.completed = name, FakeMetrics(), False

    def has_completed(self):
        return self.completed


class FakeExecutor:
    def __init__(self, names):
        self._topology = {FakeOp(n): None for n in names}

    @property
    def ops(self):
        return list(self._topology)


NAMES = ["Input", "ListFiles", "ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)",
         "SortSample(partitions=4)", "SortShuffleMap(partitions=4)",
         "SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write"]


def start(sink="out"):
    ex = FakeExecutor(NAMES)
    cb = progress.ProgressCallback()
    progress.activate(PLAN, DataContext())
    with progress.executing_sink(sink):
        cb.before_execution_starts(ex)
    return ex, cb


def test_stage_events_follow_operator_state(capsys, monkeypatch):
    monkeypatch.setattr(events, "_throttle", events.Throttle(0.25, clock=lambda: 0.0))  # time stands still
    ex, cb = start()
    cb.on_execution_step(ex)  # nothing started: no events
    assert parse(capsys.readouterr().out) == []
    lf, read = ex.ops[1], ex.ops[2]
    lf.metrics.num_tasks_submitted = 1
    cb.on_execution_step(ex)
    cb.on_execution_step(ex)  # unchanged: not repeated
    lf.completed, lf.metrics.row_outputs_taken = True, 2
    read.metrics.num_tasks_submitted, read.metrics.row_outputs_taken = 1, 10
    cb.on_execution_step(ex)
    read.metrics.row_outputs_taken = 20  # within 0.25 s of the last event: throttled
    cb.on_execution_step(ex)
    evs = parse(capsys.readouterr().out)
    assert [(e["stage"], e["state"], e["rowsOut"]) for e in evs] == [
        ("ListFiles", "running", 0),
        ("ListFiles", "succeeded", 2),
        ("ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)", "running", 10),
    ]
    assert evs[2]["nodes"] == ["read", "ratio", "drop", "keep"] and evs[2]["sink"] == "out"
    for op in ex.ops:
        op.completed = True
    cb.after_execution_succeeds(ex)
    final = parse(capsys.readouterr().out)
    assert [e["state"] for e in final] == ["succeeded"] * 5
    assert final[1]["rowsOut"] == 20
    assert final[-1]["rowsOut"] is None  # a Write operator reports write results, not rows
    progress.sink_staged("out", 17)
    (filled,) = parse(capsys.readouterr().out)
    assert filled["stage"].endswith("->Write") and filled["rowsOut"] == 17 and filled["state"] == "succeeded"
    progress.deactivate(DataContext())


def test_failure_marks_the_operator_the_error_names(capsys):
    ex, cb = start()
    ex.ops[1].completed = True
    ex.ops[1].metrics.num_tasks_submitted = 1
    cb.on_execution_step(ex)
    ex.ops[2].metrics.num_tasks_submitted = 1
    cb.on_execution_step(ex)
    capsys.readouterr()
    for op in ex.ops:  # Ray marks everything finished when it shuts down after an error
        op.completed = True
    err = RuntimeError("ray::ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)() (pid=1) boom")
    cb.after_execution_fails(ex, err)
    states = [(e["stage"], e["state"]) for e in parse(capsys.readouterr().out)]
    assert states == [
        ("ListFiles", "succeeded"),
        ("ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)", "failed"),
        ("SortSample(partitions=4)", "cancelled"),
        ("SortShuffleMap(partitions=4)", "cancelled"),
        ("SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write", "cancelled"),
    ]
    assert progress.failed_stage("out")["nodes"] == ["read", "ratio", "drop", "keep"]
    progress.deactivate(DataContext())


def test_failed_tasks_identify_the_operator_without_a_message(capsys):
    ex, cb = start()
    ex.ops[4].metrics.num_tasks_submitted, ex.ops[4].metrics.num_tasks_failed = 1, 1
    cb.after_execution_fails(ex, RuntimeError("opaque"))
    states = {e["stage"]: e["state"] for e in parse(capsys.readouterr().out)}
    assert states["SortShuffleMap(partitions=4)"] == "failed"
    assert states["ListFiles"] == "cancelled"
    progress.deactivate(DataContext())


def test_executions_outside_a_write_or_plan_emit_nothing(capsys):
    ex = FakeExecutor(NAMES)
    cb = progress.ProgressCallback()
    progress.activate(PLAN, DataContext())
    cb.before_execution_starts(ex)  # no sink being written
    ex.ops[1].metrics.num_tasks_submitted = 1
    cb.on_execution_step(ex)
    cb.after_execution_succeeds(ex)
    with progress.executing_sink("not-a-sink"):
        cb2 = progress.ProgressCallback()
        cb2.before_execution_starts(ex)
    cb2.after_execution_succeeds(ex)
    assert parse(capsys.readouterr().out) == []
    ctx = DataContext()
    progress.activate(PLAN, ctx)
    progress.activate(PLAN, ctx)
    assert ctx.custom_execution_callback_classes.count(progress.ProgressCallback) == 1
    progress.deactivate(ctx)
    assert progress.ProgressCallback not in ctx.custom_execution_callback_classes
