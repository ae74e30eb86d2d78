"""main: version check, paths, Plan validation, failure attribution, and main() failing runs
(preflight before any work; a UDF error pinned to its node and line; previous output kept)."""
import importlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import etl_runtime as rt
from etl_runtime import events
from etl_runtime.failure import build_node, describe, root_message, trim

main_mod = importlib.import_module("etl_runtime.main")  # the attribute `etl_runtime.main` is the function


def parse(out):
    return [json.loads(l[len(events.PREFIX):]) for l in out.splitlines() if l.startswith(events.PREFIX)]


def test_require_runtime():
    rt.require_runtime("0.1.0")
    rt.require_runtime("0.1.9")
    for other in ("0.2.0", "1.0.0", "0"):
        with pytest.raises(RuntimeError, match="generated for etl_runtime"):
            rt.require_runtime(other)


def test_path(monkeypatch, tmp_path):
    monkeypatch.setenv("ETL_BASE_DIR", str(tmp_path))
    assert rt.path("data/reviews") == str(tmp_path / "data" / "reviews")
    assert rt.path("/abs/x") == "/abs/x"
    assert rt.path("s3://bucket/key") == "s3://bucket/key"
    monkeypatch.delenv("ETL_BASE_DIR")
    monkeypatch.chdir(tmp_path)
    assert rt.path("out") == str(tmp_path / "out")


def test_plan_validation():
    nodes = {"r": "read-parquet", "o": "write"}
    p = rt.Plan("p", nodes, sinks={"o": ["r", "o"]})
    assert p.chain("o") == [("r", "read-parquet"), ("o", "write")]
    with pytest.raises(ValueError, match="must end with"):
        rt.Plan("p", nodes, sinks={"o": ["o", "r"]})
    with pytest.raises(ValueError, match="unknown nodes"):
        rt.Plan("p", nodes, sinks={"o": ["x", "o"]})
    with pytest.raises(ValueError, match="repeats"):
        rt.Plan("p", nodes, sinks={"o": ["r", "r", "o"]})


def build_failing_at_write(run):
    # [read] read-parquet
    ds = None
    # [out] write csv
    raise OSError("disk full")


def test_build_comments_pin_errors_to_nodes():
    with pytest.raises(OSError) as info:
        build_failing_at_write(None)
    assert build_node(info.value, build_failing_at_write) == "out"
    ev = describe(info.value, build_failing_at_write)
    assert ev["nodeId"] == "out" and ev["message"] == "OSError: disk full" and ev["udfLine"] is None
    assert ev["traceback"][-1] == "OSError: disk full"


def test_root_message_of_a_chained_error():
    try:
        try:
            raise KeyError("inner")
        except KeyError as e:
            raise RuntimeError("outer wrapper") from e
    except RuntimeError as e:
        assert root_message(e) == "KeyError: 'inner'"


def test_describe_prefers_the_udf_error_text_in_a_ray_traceback():
    text = (
        "ray::ReadFiles->MapBatches(udf_filter__keep)() (pid=1)\n"
        '  File "/x/etl_runtime/udf.py", line 78, in _call\n    return fn(batch)\n'
        '  File "<udf keep>", line 4, in keep\n    raise ValueError("no books")\n'
        "ValueError: no books\n\nThe above exception was the direct cause of the following exception:\n\n"
        "ray::ReadFiles->MapBatches(udf_filter__keep)() (pid=1)\n"
        "etl_runtime.errors.UdfError: [node keep] line 4: ValueError: no books\n"
    )
    ev = describe(RuntimeError(text))
    assert (ev["nodeId"], ev["udfLine"], ev["message"]) == ("keep", 4, "ValueError: no books")
    assert ev["traceback"][0] == "Traceback (most recent call last):"
    assert ev["traceback"][1].strip().startswith('File "<udf keep>", line 4')


def test_trim_keeps_the_user_frames_and_the_error():
    lines = ["Traceback (most recent call last):", '  File "<udf k>", line 3, in keep', "    x()", "    ^^^"]
    lines += [f"  library frame {i}" for i in range(40)] + ["ValueError: v"]
    out = trim(lines, 20)
    assert len(out) == 20 and out[:4] == lines[:4] and "  ..." in out and out[-1] == "ValueError: v"
    assert trim(lines[:10], 20) == lines[:10]


def test_ray_connection_choice(monkeypatch):
    import ray

    calls = []
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda **kw: calls.append(kw))
    for var in ("RAY_ADDRESS", "RAY_JOB_CONFIG_JSON_ENV_VAR", "ETL_RAY_NUM_CPUS"):
        monkeypatch.delenv(var, raising=False)
    assert main_mod._init_ray() is True
    assert calls[-1]["address"] == "local" and calls[-1]["num_cpus"] is None  # never someone else's cluster
    assert calls[-1]["runtime_env"]["py_modules"][0].__name__ == "etl_runtime"
    monkeypatch.setenv("ETL_RAY_NUM_CPUS", "3")
    main_mod._init_ray()
    assert calls[-1]["num_cpus"] == 3
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    main_mod._init_ray()
    assert calls[-1]["address"] == "10.0.0.5:6379" and "runtime_env" in calls[-1]
    monkeypatch.setenv("RAY_JOB_CONFIG_JSON_ENV_VAR", "{}")  # a Jobs API driver: its runtime_env rules
    main_mod._init_ray()
    assert calls[-1] == {"address": "10.0.0.5:6379"}


PLAN = rt.Plan(
    pipeline_id="m",
    nodes={"read": "read-parquet", "keep": "udf-filter", "out": "write"},
    sinks={"out": ["read", "keep", "out"]},
)


def make_build(src: Path, out: Path, keep_source: str, mode: str):
    def build(run):
        # [read] read-parquet
        ds = __import__("ray").data.read_parquet(str(src))
        # [keep] udf-filter
        ds = ds.map_batches(rt.udf_filter("keep", keep_source), batch_format="pandas")
        # [out] write
        run.write(ds, node="out", path=str(out), format="parquet", mode=mode)

    return build


@pytest.fixture
def source(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(3):
        pq.write_table(pa.table({"v": list(range(i * 10, i * 10 + 10))}), d / f"p{i}.parquet")
    return d


def snapshot(path: Path) -> dict:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_mode_error_on_existing_output_fails_before_any_work(ray_local, source, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous")
    code = rt.main(PLAN, make_build(source, out, "def keep(b):\n    return b['v'] > 0\n", "error"), exit=False)
    assert code == 1
    evs = parse(capsys.readouterr().out)
    assert [e["type"] for e in evs] == ["run-started", "run-failed"]
    failed = evs[-1]
    assert failed["nodeId"] == "out" and "already exists" in failed["message"]
    assert snapshot(out) == {"keep.txt": b"previous"}


def test_missing_input_is_pinned_to_the_read_node(ray_local, tmp_path, capsys):
    code = rt.main(PLAN, make_build(tmp_path / "nope", tmp_path / "out", "def keep(b):\n    return b\n", "error"), exit=False)
    assert code == 1
    failed = parse(capsys.readouterr().out)[-1]
    assert failed["type"] == "run-failed" and failed["nodeId"] == "read"
    assert "FileNotFoundError" in failed["message"]


def test_udf_failure_keeps_previous_output_and_names_the_line(ray_local, source, tmp_path, capsys):
    out = tmp_path / "out"
    assert rt.main(PLAN, make_build(source, out, "def keep(b):\n    return b['v'] % 2 == 0\n", "overwrite"), exit=False) == 0
    evs = parse(capsys.readouterr().out)
    assert evs[-1]["type"] == "run-succeeded" and evs[-1]["rowsWritten"] == {"out": 15}
    assert any(e["type"] == "sink-committed" and e["rows"] == 15 for e in evs)
    before = snapshot(out)

    bad = "def keep(b):\n    x = b['v']\n    if (x > 25).any():\n        raise ValueError('too big')\n    return x >= 0\n"
    code = rt.main(PLAN, make_build(source, out, bad, "overwrite"), exit=False)
    assert code == 1
    failed = parse(capsys.readouterr().out)[-1]
    assert failed["type"] == "run-failed"
    assert (failed["nodeId"], failed["udfLine"]) == ("keep", 4)
    assert failed["message"] == "ValueError: too big"
    assert any('File "<udf keep>", line 4' in l for l in failed["traceback"])
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if ".etl-" in p.name] == []


def test_events_off(ray_local, source, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ETL_EVENTS", "0")
    out = tmp_path / "o2"
    out.mkdir()
    assert rt.main(PLAN, make_build(source, out, "def keep(b):\n    return b['v'] < 5\n", "error"), exit=False) == 1
    assert "ETL_EVENT" not in capsys.readouterr().out


def test_sort_partitions_follow_the_cluster_cpus():
    assert main_mod.sort_partitions(2, 200) == 4
    assert main_mod.sort_partitions(1, 200) == 2
    assert main_mod.sort_partitions(0.5, 200) == 2  # at least 2
    assert main_mod.sort_partitions(64, 200) == 128
    assert main_mod.sort_partitions(512, 200) == 200  # never above Ray's default


def test_configure_data_context_sets_sort_partitions_from_the_cluster(ray_local, monkeypatch):
    from ray.data.context import DataContext

    monkeypatch.delenv("RAY_DATA_DEFAULT_MIN_PARALLELISM", raising=False)
    ctx = DataContext()  # a fresh context: Ray's defaults
    assert ctx.default_hash_shuffle_parallelism == 200
    rt.configure_data_context(ctx)
    assert ctx.default_hash_shuffle_parallelism == 4  # ray_local has 2 CPUs
    monkeypatch.setenv("RAY_DATA_DEFAULT_MIN_PARALLELISM", "16")  # Ray's own knob wins
    other = DataContext()
    other.default_hash_shuffle_parallelism = 16
    rt.configure_data_context(other)
    assert other.default_hash_shuffle_parallelism == 16


def test_configure_data_context_without_ray_keeps_rays_default(monkeypatch):
    import ray
    from ray.data.context import DataContext

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    ctx = rt.configure_data_context(DataContext())
    assert ctx.default_hash_shuffle_parallelism == 200


def test_a_sort_of_a_read_writes_few_files(ray_local, tmp_path):
    # Ray 2.60 cannot estimate a parquet read's size: without the setting this sort runs 200
    # partitions (SortSample(partitions=200)) and writes one file per non-empty partition
    import ray
    from ray.data.context import DataContext

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        pq.write_table(pa.table({"k": [(i * 7919 + j * 104729) % 100003 for j in range(500)]}), src / f"p{i}.parquet")
    ctx = DataContext.get_current()
    saved = ctx.default_hash_shuffle_parallelism
    try:
        ctx.default_hash_shuffle_parallelism = 200  # Ray's default (the session fixture lowers it)
        rt.configure_data_context(ctx)
        ds = ray.data.read_parquet(str(src)).sort("k")
        out = tmp_path / "out"
        ds.write_parquet(str(out))
        files = sorted(out.iterdir())
        assert 1 <= len(files) <= 4, [f.name for f in files]
        parts = [pq.read_table(f).column("k").to_pylist() for f in files]
        assert all(p == sorted(p) for p in parts)
        assert sorted(k for p in parts for k in p) == sorted((i * 7919 + j * 104729) % 100003 for i in range(4) for j in range(500))
    finally:
        ctx.default_hash_shuffle_parallelism = saved
