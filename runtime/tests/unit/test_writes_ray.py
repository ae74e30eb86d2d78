"""writes on a local Ray: every format x mode end to end, row counts, and a failure in the
middle of a write that leaves the previous output untouched and no staging behind."""
import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import etl_runtime as rt
from etl_runtime.writes import FORMATS, MODES, Run, WriteError

PLAN = rt.Plan(pipeline_id="p", nodes={"src": "read-parquet", "out": "write"}, sinks={"out": ["src", "out"]})


def frame(n: int, offset: int = 0) -> pd.DataFrame:
    ids = list(range(offset, offset + n))
    return pd.DataFrame({"id": ids, "name": [f"n,{i}\n\"q\"" for i in ids], "score": [i / 4 for i in ids]})


def read_back(path: Path, fmt: str) -> pd.DataFrame:
    files = sorted(p for p in path.rglob("*") if p.is_file())
    if fmt == "parquet":
        parts = [pq.read_table(f).to_pandas() for f in files]
    elif fmt == "csv":
        parts = [pacsv.read_csv(f, parse_options=pacsv.ParseOptions(newlines_in_values=True)).to_pandas() for f in files]
    else:
        parts = [pd.read_json(f, lines=True) for f in files]
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", "name", "score"])
    return df.sort_values("id").reset_index(drop=True)[["id", "name", "score"]]


def blocks(ray, df: pd.DataFrame, n: int):
    """A dataset of `n` blocks (from_pandas(override_num_blocks=) trips on pandas 3 in Ray 2.60)."""
    size = max(1, -(-len(df) // n))
    return ray.data.from_pandas([df.iloc[i : i + size] for i in range(0, len(df), size)] or [df])


def snapshot(path: Path) -> dict:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list:
    return [p.name for p in parent.iterdir() if ".etl-" in p.name]


def write(ray, df: pd.DataFrame, path: Path, fmt: str, mode: str, run_id: str) -> Run:
    run = Run(PLAN, run_id)
    run.preflight([rt.writes.make_target("out", str(path), fmt, mode, run_id)])
    rows = run.write(blocks(ray, df, 3), node="out", path=str(path), format=fmt, mode=mode)
    assert rows == len(df)
    return run


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", MODES)
def test_stage_then_commit(ray_local, tmp_path, fmt, mode):
    target = tmp_path / "out" / "result"
    old = frame(5, offset=100)
    if mode != "error":
        write(ray_local, old, target, fmt, "error", "first").commit()
    before = snapshot(target) if target.exists() else None

    run = write(ray_local, frame(20), target, fmt, mode, "second")
    # staged, not visible
    assert (snapshot(target) if target.exists() else None) == before
    assert leftovers(target.parent) == [".result.etl-staging-second"]
    assert run.commit() == {"out": 20}
    assert leftovers(target.parent) == []

    got = read_back(target, fmt)
    expected = pd.concat([old, frame(20)]) if mode == "append" else frame(20)
    expected = expected.sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_empty_dataset_commits_an_empty_directory(ray_local, tmp_path):
    target = tmp_path / "empty"
    run = Run(PLAN, "e")
    ds = ray_local.data.from_pandas(frame(10)).limit(0)
    assert run.write(ds, node="out", path=str(target), format="csv", mode="error") == 0
    run.commit()
    assert target.is_dir() and list(target.iterdir()) == []


BOOM = "def keep(batch):\n    if (batch['id'] >= 150).any():\n        raise ValueError('boom at ' + str(batch['id'].min()))\n    return batch['id'] >= 0\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_in_the_middle_keeps_the_previous_output(ray_local, tmp_path, fmt):
    target = tmp_path / "out"
    write(ray_local, frame(7), target, fmt, "error", "good").commit()
    before = snapshot(target)

    run = Run(PLAN, "bad")
    ds = blocks(ray_local, frame(200), 8)
    ds = ds.map_batches(rt.udf_filter("keep", BOOM), batch_format="pandas")
    with pytest.raises(Exception) as info:
        run.write(ds, node="out", path=str(target), format=fmt, mode="overwrite")
    assert rt.errors.find_udf_error(info.value).line == 3
    run.discard()
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


def test_write_rejects_unknown_sinks_and_double_writes(ray_local, tmp_path):
    run = Run(PLAN, "x", planning=True)
    with pytest.raises(WriteError, match="not a sink"):
        run.write(None, node="other", path=str(tmp_path / "a"), format="csv", mode="error")
    assert run.write(None, node="out", path=str(tmp_path / "a"), format="csv", mode="error") == 0
    with pytest.raises(WriteError, match="twice"):
        run.write(None, node="out", path=str(tmp_path / "b"), format="csv", mode="error")
    assert not (tmp_path / "a").exists()  # planning writes nothing


@pytest.mark.parametrize("fmt", FORMATS)
def test_target_name_with_quotes_backslash_and_line_break(ray_local, tmp_path, fmt):
    # the `escaping` golden's path: Ray deletes "\n" from write paths (urllib), so it used to
    # write beside the staging dir, and the run reported 0 rows and committed an empty target
    target = tmp_path / "out" / '"q"' / "it's\\here\n"
    run = write(ray_local, frame(20), target, fmt, "overwrite", "esc")
    assert run.rows_written == {"out": 20}
    assert run.commit() == {"out": 20}
    assert sorted(p.name for p in target.parent.iterdir()) == ["it's\\here\n"]
    pd.testing.assert_frame_equal(read_back(target, fmt), frame(20), check_dtype=False)
