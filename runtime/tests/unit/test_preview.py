"""Preview pieces: the sample reader (first rows in Ray's file order, partition columns as Ray
adds them), JSON-safe rows, run_preview (errors pinned to node and line, a sample that grows
when a filter leaves too few rows, fresh actor UDF instances; no Ray cluster needed), and the
worker process itself: it answers without starting any Ray process."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl_runtime.preview.rows import json_value, to_rows, type_name
from etl_runtime.preview.run import PreviewError, run_preview
from etl_runtime.preview.sample import SourceFile, list_files, read_sample


@pytest.fixture()
def dataset(tmp_path):
    """Two partitions, three files, two row groups in the first file."""
    root = tmp_path / "data"
    (root / "cat=a").mkdir(parents=True)
    (root / "cat=b%20c").mkdir(parents=True)
    (root / "_ignored").mkdir()
    pq.write_table(pa.table({"x": list(range(10)), "s": [f"r{i}" for i in range(10)]}), root / "cat=a" / "p0.parquet", row_group_size=5)
    pq.write_table(pa.table({"x": list(range(10, 14)), "s": [None, "q", "r", "s"]}), root / "cat=a" / "p1.parquet")
    pq.write_table(pa.table({"x": [100, 101], "s": ["u", "v"]}), root / "cat=b%20c" / "p0.parquet")
    pq.write_table(pa.table({"x": [-1]}), root / "_ignored" / "p.parquet")
    return root


def test_lists_files_like_the_server(dataset):
    files = list_files(str(dataset))
    assert [os.path.relpath(f.path, dataset) for f in files] == ["cat=a/p0.parquet", "cat=a/p1.parquet", "cat=b%20c/p0.parquet"]
    assert [f.rows for f in files] == [10, 4, 2]
    assert files[2].partition == {"cat": "b c"}


def test_reads_the_first_rows_across_row_groups_and_files(dataset):
    table, read = read_sample(list_files(str(dataset)), 12)
    assert table.column_names == ["x", "s", "cat"]
    assert table.schema.field("cat").type == pa.string()
    assert table.column("x").to_pylist() == list(range(12))
    assert read.rows == 12 and read.truncated
    assert [(os.path.basename(os.path.dirname(p)), n) for p, n in read.parts] == [("cat=a", 10), ("cat=a", 2)]

    whole, read = read_sample(list_files(str(dataset)), 1000)
    assert whole.num_rows == 16 and not read.truncated
    assert whole.column("cat").to_pylist()[-2:] == ["b c", "b c"]
    _, exact = read_sample(list_files(str(dataset)), 16)
    assert not exact.truncated


def test_reads_only_the_columns_asked_for(dataset):
    table, _ = read_sample(list_files(str(dataset)), 3, columns=["s"])
    assert table.column_names == ["s"]
    table, _ = read_sample(list_files(str(dataset)), 3, columns=["cat"])  # only a partition column
    assert table.column_names == ["x", "cat"] and table.num_rows == 3


def test_type_names_follow_the_pipeline_types():
    assert [type_name(t) for t in (pa.int32(), pa.large_string(), pa.date32(), pa.timestamp("us", tz="UTC"), pa.decimal128(5, 2),
                                   pa.list_(pa.int8()), pa.dictionary(pa.int8(), pa.string()), pa.bool_())] == \
        ["int32", "string", "date32", "timestamp", "decimal", "list", "string", "bool"]


def test_values_are_json_safe():
    assert json_value(2**53 - 1) == 2**53 - 1
    assert json_value(2**53) == "9007199254740992"
    assert json_value(-(2**63)) == "-9223372036854775808"
    assert [json_value(v) for v in (float("nan"), float("inf"), float("-inf"), 0.5)] == ["NaN", "Infinity", "-Infinity", 0.5]
    assert json_value(dt.date(2015, 1, 31)) == "2015-01-31"
    assert json_value(dt.datetime(2015, 1, 31, 8, 30, 0, 120)) == "2015-01-31T08:30:00.000120"
    assert json_value(decimal.Decimal("1.10")) == "1.10"
    assert json_value(b"\x00\xff") == "AP8="
    assert json_value({"a": [1, None, 2**60]}) == {"a": [1, None, "1152921504606846976"]}
    table = pa.table({"i": pa.array([1, None], pa.int64()), "t": pa.array([dt.datetime(2020, 1, 1), None], pa.timestamp("us"))})
    columns, rows = to_rows(table, 5)
    assert columns == [{"name": "i", "type": "int64"}, {"name": "t", "type": "timestamp"}]
    assert rows == [[1, "2020-01-01T00:00:00"], [None, None]]


MODULE = '''
import ray
from ray.data import ActorPoolStrategy
from ray.data.datasource import Partitioning
from ray.data.expressions import col
import etl_runtime as rt
from etl_runtime import fn

KEEP_SOURCE = {keep!r}
TWICE_SOURCE = {twice!r}
NODES = {{"read": "read-parquet", "twice": "add-column", "keep": "udf-filter", "sort": "sort"}}
PRESERVE_ORDER = True


def build_preview(read_sample):
    # [read] read-parquet from data
    ds_read = read_sample(rt.path({path!r}), partitioning=Partitioning("hive"))
    # [twice] add-column python twice: int64 on an actor pool (1..2)
    ds_twice = ds_read.map_batches(
        rt.add_column_python("twice", "y", TWICE_SOURCE, "int64", compute="actors"),
        batch_format="pandas", batch_size=None, compute=ActorPoolStrategy(min_size=1, max_size=2), udf_modifying_row_count=False,
    )
    # [keep] udf-filter on tasks
    ds_keep = ds_twice.map_batches(rt.udf_filter("keep", KEEP_SOURCE, compute="tasks"), batch_format="pandas", batch_size=None)
    # [sort] sort by x desc (nulls last)
    ds_sort = ds_keep.sort(["x"], descending=[True])
    return ds_sort
'''


def _request(dataset, keep="def keep(batch):\n    return batch['x'] % 2 == 0\n", twice="def compute(batch):\n    return batch['x'] * 2\n", rows=3, max_source=1000):
    path = str(dataset)
    files = [{"path": f.path, "rows": f.rows, "partition": f.partition} for f in list_files(path)]
    return {"nodeId": "sort", "module": MODULE.format(keep=keep, twice=twice, path=path), "rows": rows, "maxSourceRows": max_source,
            "source": {"path": path, "columns": None, "files": files}}


def test_runs_the_module_on_a_sample_and_grows_it_when_a_filter_drops_rows(dataset):
    res = run_preview(_request(dataset, keep="def keep(batch):\n    return batch['x'] >= 100\n"))
    assert [c["name"] for c in res["columns"]] == ["x", "s", "cat", "y"]
    assert res["rows"] == [[101, "v", "b c", 202], [100, "u", "b c", 200]]  # sorted desc; the last file's rows
    assert res["sourceRowsRead"] == 16 and not res["sourceTruncated"]  # 3 -> 30 rows asked: all 16 read
    assert res["sampleRows"] == 2 == res["outputRows"]


def test_each_preview_builds_fresh_actor_udfs(dataset):
    first = run_preview(_request(dataset))
    second = run_preview(_request(dataset, twice="def compute(batch):\n    return batch['x'] * 3\n"))
    assert [r[-1] for r in first["rows"]] == [200, 24, 20]
    assert [r[-1] for r in second["rows"]] == [300, 36, 30]


def test_a_udf_exception_is_pinned_to_its_node_and_line(dataset):
    with pytest.raises(PreviewError) as e:
        run_preview(_request(dataset, twice="def compute(batch):\n    zero = 0\n    return batch['x'] // zero + {}['k']\n"))
    err = e.value.to_json()
    assert (err["code"], err["nodeId"], err["line"]) == ("UDF_ERROR", "twice", 3)
    assert err["message"].startswith("KeyError")
    assert any('File "<udf twice>", line 3' in l for l in err["traceback"])


def test_a_syntax_error_is_pinned_before_anything_runs(dataset):
    with pytest.raises(PreviewError) as e:
        run_preview(_request(dataset, keep="def keep(batch):\n    return (batch['x']\n"))
    assert (e.value.code, e.value.node_id) == ("UDF_ERROR", "keep")
    assert "SyntaxError" in e.value.message


def test_a_source_that_cannot_be_read_is_pinned_to_the_read(dataset):
    req = _request(dataset)
    req["source"]["files"][0]["path"] += ".gone"
    with pytest.raises(PreviewError) as e:
        run_preview(req)
    assert (e.value.code, e.value.node_id) == ("SOURCE_ERROR", "read")


def _children(pid: int) -> list:
    """Pids of a process's children (Linux /proc)."""
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            out += [int(c) for c in f.read().split()]
    return out


def test_the_worker_answers_without_starting_a_ray_cluster(dataset):
    """The warm worker as the server runs it: ready, then previews right away — no GCS, raylet
    or Ray worker processes (a local Ray took 4 s and more before the first answer), not even
    for a UDF that calls Ray itself."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(os.path.dirname(os.path.dirname(__file__))), os.environ.get("PYTHONPATH", "")]),
           "ETL_BASE_DIR": str(dataset)}
    env.pop("RAY_ADDRESS", None)
    proc = subprocess.Popen([sys.executable, "-m", "etl_runtime.preview.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["type"] == "ready" and ready["pid"] == proc.pid
        for rid, req in (("1", _request(dataset)), ("2", _request(dataset, keep="def keep(batch):\n    return batch['x'] >= 100\n"))):
            proc.stdin.write(json.dumps({**req, "id": rid, "op": "preview", "timeoutMs": 60_000}) + "\n")
            proc.stdin.flush()
            reply = json.loads(proc.stdout.readline())
            assert reply["id"] == rid and reply["ok"], reply
        assert reply["result"]["rows"] == [[101, "v", "b c", 202], [100, "u", "b c", 200]]
        # A UDF calling Ray itself: said so on its node and line; no Ray is started for it.
        calls_ray = "def compute(batch):\n    import ray\n    ray.get(ray.put(1))\n    return batch['x']\n"
        proc.stdin.write(json.dumps({**_request(dataset, twice=calls_ray), "id": "3", "op": "preview", "timeoutMs": 60_000}) + "\n")
        proc.stdin.flush()
        err = json.loads(proc.stdout.readline())["error"]
        assert (err["code"], err["nodeId"], err["line"]) == ("PREVIEW_UNSUPPORTED", "twice", 3)
        assert err["message"].startswith("Previews run without a Ray cluster")
        assert _children(proc.pid) == []
    finally:
        proc.stdin.close()
        try:
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
