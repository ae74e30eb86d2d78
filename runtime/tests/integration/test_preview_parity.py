"""Preview parity: for every golden pipeline and every node in it, the rows a preview shows
equal the rows a real Ray run of the same sub-graph produces on the same sample input.

* The source: a generated reviews dataset (several files per partition). The sample is what a
  preview reads: the first SAMPLE_ROWS rows in Ray's file order, spanning files and partitions.
* Preview side: the generated preview module, run by the worker's own `compute_preview` (sample
  read from the full dataset, Ray Data's plan executed in-process) in a separate Python process
  set up exactly as the preview worker is — no Ray cluster, auto-connect off — which must still
  have started no Ray when it is done (this test's own process runs Ray for the real side).
* Real side: the generated script of the same sub-graph (the previewed node's ancestors, the
  node, a parquet sink), run by `rt.main` on a local Ray — tasks, actor pools, a real sort
  shuffle, a staged write — over a copy of exactly the sampled rows (same file layout, so the
  same hive partition values); its output is read back with pyarrow.
* Compared with pandas: same columns in the same order with the same Arrow types, the same
  rows value for value (as multisets), and, after a sort, both in the sort's order.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

SAMPLE_ROWS = 400  # first partition (Apparel) has ~320 rows in 3 files: the sample spans 4+ files, 2 partitions
READ_PATHS = ["data/reviews", "data/we'ird \"dir\"\\reviews ✓"]  # read paths of the goldens


@pytest.fixture(scope="module")
def parity(tmp_path_factory):
    """(manifest cases, full base dir, mirror base dir)."""
    from etl_runtime.preview.sample import list_files, read_sample

    tmp = tmp_path_factory.mktemp("parity")
    full, mirror = tmp / "full", tmp / "mirror"
    src = full / "data" / "reviews"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_reviews.py"), "--rows", "4000", "--files-per-partition", "3",
                    "--out", str(src)], check=True, capture_output=True)
    # The mirror holds exactly the sampled rows, file by file, under the same relative paths.
    table, read = read_sample(list_files(str(src)), SAMPLE_ROWS)
    assert read.rows == SAMPLE_ROWS and len(read.parts) >= 4 and len({os.path.dirname(p) for p, _ in read.parts}) >= 2
    for rel_root in READ_PATHS:
        for f, rows in read.parts:
            dst = mirror / rel_root / os.path.relpath(f, src)
            dst.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pq.read_table(f).slice(0, rows), dst)
        if rel_root != READ_PATHS[0]:
            shutil.copytree(src, full / rel_root)
    mirrored, _ = read_sample(list_files(str(mirror / READ_PATHS[0])), 10 * SAMPLE_ROWS)
    assert mirrored.equals(table), "the mirror does not hold exactly the sample"

    out = tmp / "cases"
    res = subprocess.run(["npx", "tsx", "server/preview/parity-cases.ts", "--base", str(mirror), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    cases = json.loads((out / "manifest.json").read_text())
    return cases, full, mirror


# Runs in a child process: the worker's own set-up (worker._load_ray: Ray Data imported, no
# cluster, auto-connect off), then every case's preview, each table written as Arrow IPC.
_PREVIEW_ALL = r"""
import json, sys
from pathlib import Path
import pyarrow as pa
from etl_runtime.preview import worker
worker._load_ray()
import ray
from etl_runtime.preview.run import compute_preview
from etl_runtime.preview.sample import list_files

cases, full, out, sample_rows = json.loads(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
for n, case in enumerate(cases):
    src = full / case["readPath"]
    files = [{"path": f.path, "rows": f.rows, "partition": f.partition} for f in list_files(str(src))]
    table, info = compute_preview({"nodeId": case["node"], "module": Path(case["module"]).read_text(), "rows": 10 * sample_rows,
                                   "sourceRows": sample_rows, "maxSourceRows": sample_rows,
                                   "source": {"path": str(src), "columns": None, "files": files}})
    if table is not None:
        with pa.OSFile(str(out / f"{n}.arrow"), "wb") as f, pa.ipc.new_file(f, table.schema) as w:
            w.write_table(table)
    (out / f"{n}.json").write_text(json.dumps(info))
assert not ray.is_initialized(), "a preview started Ray"
"""


@pytest.fixture(scope="module")
def previews(parity, tmp_path_factory):
    """Per case: (the preview's rows as Arrow, before the worker turns them into JSON; its facts)."""
    cases, full, _mirror = parity
    out = tmp_path_factory.mktemp("previews")
    env = {**os.environ, "ETL_BASE_DIR": str(full), "PYTHONPATH": os.pathsep.join([str(ROOT / "runtime"), os.environ.get("PYTHONPATH", "")])}
    env.pop("RAY_ADDRESS", None)
    res = subprocess.run([sys.executable, "-c", _PREVIEW_ALL, json.dumps(cases), str(full), str(out), str(SAMPLE_ROWS)],
                         env=env, capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stderr[-4000:]
    result = []
    for n in range(len(cases)):
        arrow = out / f"{n}.arrow"
        table = pa.ipc.open_file(pa.memory_map(str(arrow))).read_all() if arrow.exists() else None
        info = json.loads((out / f"{n}.json").read_text())
        assert info["sourceRowsRead"] == SAMPLE_ROWS
        result.append((table, info))
    return result


def _real_run(case, mirror: Path) -> pa.Table:
    import etl_runtime as rt

    os.environ["ETL_BASE_DIR"] = str(mirror)
    os.environ["ETL_EVENTS"] = "0"
    shutil.rmtree(case["sinkPath"], ignore_errors=True)
    spec = importlib.util.spec_from_file_location(f"parity_{case['key']}", case["script"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert rt.main(mod.PLAN, mod.build, exit=False) == 0, f"real run of {case['golden']}/{case['node']} failed"
    files = sorted(str(p) for p in Path(case["sinkPath"]).rglob("*.parquet"))
    # Ray writes one file per block; a block whose values are all null may carry type null.
    return pa.concat_tables([pq.read_table(f) for f in files], promote_options="default") if files else None


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in one canonical order (by their printed values), so multisets compare equal."""
    key = [repr(tuple(r)) for r in df.itertuples(index=False, name=None)]
    order = sorted(range(len(df)), key=key.__getitem__)
    return df.iloc[order].reset_index(drop=True)


def _assert_sorted(table: pa.Table, keys, side: str) -> None:
    rows = list(zip(*[table.column(k["column"]).to_pylist() for k in keys]))
    for a, b in zip(rows, rows[1:]):
        for k, x, y in zip(keys, a, b):
            if x == y:
                continue
            if x is None or y is None:
                assert y is None, f"{side}: null before a value in {k['column']}"  # nulls last
            else:
                assert (x > y) if k["descending"] else (x < y), f"{side}: {k['column']} out of order: {x!r} then {y!r}"
            break


def test_every_golden_node_previews_like_a_real_run(parity, previews, ray_local):
    cases, _full, mirror = parity
    assert len({c["golden"] for c in cases}) >= 10
    real_by_key = {}
    for n, case in enumerate(cases):
        where = f"{case['golden']}/{case['node']}"
        started = time.perf_counter()
        preview, res = previews[n]
        if case["key"] not in real_by_key:
            real_by_key[case["key"]] = _real_run(case, mirror)
        real = real_by_key[case["key"]]
        if real is None or real.num_rows == 0:
            assert res["outputRows"] == 0, f"{where}: preview has rows, the real run wrote none"
            continue
        assert preview is not None, f"{where}: the real run wrote {real.num_rows} rows, the preview none"
        assert preview.schema.names == real.schema.names, where
        for field, real_type in zip(preview.schema, real.schema.types):
            if not pa.types.is_null(real_type):  # no file of the real run had a value there
                assert str(field.type) == str(real_type), f"{where}: {field.name} is {field.type} in the preview, {real_type} in the run"
        assert preview.num_rows == real.num_rows == res["outputRows"], where
        pd.testing.assert_frame_equal(_canonical(preview.to_pandas()), _canonical(real.to_pandas()), check_exact=True, obj=where)
        if case["sortKeys"]:
            _assert_sorted(preview, case["sortKeys"], f"{where} preview")
            _assert_sorted(real, case["sortKeys"], f"{where} real run")
        print(f"[{n + 1}/{len(cases)}] {where}: {real.num_rows} rows equal ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
