"""End to end: a hand-written script in the shape the compiler generates (Plan + build + main:
with_column, a udf-filter on an actor pool, a sort, a Python add-column, a parquet write),
run as a subprocess against the session's Ray; checks its ETL_EVENT lines and its output
against pandas.
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl_runtime import events

RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCRIPT = textwrap.dedent('''
    # Generated-style pipeline 'reviews' (hand-written for the runtime's end-to-end test).
    import ray
    from ray.data import ActorPoolStrategy
    from ray.data.expressions import col, lit

    import etl_runtime as rt
    from etl_runtime import fn

    rt.require_runtime("0.1.0")

    # [keep] udf-filter 'US with votes'
    KEEP_SOURCE = (
        "def keep(batch):\\n"
        "    return (batch['marketplace'] == 'US') & (batch['total_votes'] % 7 != 0)\\n"
    )
    # [flag] add-column python 'low votes'
    FLAG_SOURCE = (
        "def compute(batch):\\n"
        "    return batch['total_votes'] < 100\\n"
    )

    PLAN = rt.Plan(
        pipeline_id="reviews",
        nodes={"read": "read-parquet", "ratio": "add-column", "drop": "drop-columns", "keep": "udf-filter",
               "sort": "sort", "flag": "add-column", "out": "write"},
        labels={"read": "reviews", "keep": "US with votes"},
        sinks={"out": ["read", "ratio", "drop", "keep", "sort", "flag", "out"]},
        preserve_order=True,
    )


    def build(run):
        # [read] read-parquet 'reviews'
        ds_read = ray.data.read_parquet(rt.path("data/reviews"))
        # [ratio] add-column helpful_ratio = round(helpful_votes / total_votes, 2)
        ds_ratio = ds_read.with_column("helpful_ratio", fn.round_to(fn.div(col("helpful_votes"), col("total_votes")), lit(2)))
        # [drop] drop-columns review_body
        ds_drop = ds_ratio.drop_columns(["review_body"])
        # [keep] udf-filter 'US with votes' on an actor pool (1..2)
        ds_keep = ds_drop.map_batches(
            rt.udf_filter("keep", KEEP_SOURCE, compute="actors"),
            batch_format="pandas",
            compute=ActorPoolStrategy(min_size=1, max_size=2),
        )
        # [sort] sort by total_votes desc, review_id asc (nulls last)
        ds_sort = ds_keep.sort(["total_votes", "review_id"], descending=[True, False])
        # [flag] add-column python low_votes: bool on tasks
        ds_flag = ds_sort.map_batches(rt.add_column_python("flag", "low_votes", FLAG_SOURCE, "bool"), batch_format="pandas")
        # [out] write parquet to out/reviews (mode overwrite, staged then committed)
        run.write(ds_flag, node="out", path=rt.path("out/reviews"), format="parquet", mode="overwrite")


    if __name__ == "__main__":
        rt.main(PLAN, build)
''')


def make_input(base):
    rng = np.random.default_rng(7)
    frames = []
    d = base / "data" / "reviews"
    d.mkdir(parents=True)
    for i in range(3):
        n = 120
        df = pd.DataFrame({
            "review_id": [f"R{i}-{j:04d}" for j in range(n)],
            "marketplace": rng.choice(["US", "UK", "DE"], n),
            "total_votes": rng.integers(0, 300, n),
            "helpful_votes": rng.integers(0, 50, n),
            "review_body": ["body"] * n,
        })
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), d / f"part-{i}.parquet")
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def expected_output(df):
    df = df[(df["marketplace"] == "US") & (df["total_votes"] % 7 != 0)].copy()
    ratio = df["helpful_votes"] / df["total_votes"]  # total_votes > 0 here
    df["helpful_ratio"] = [float(np.sign(r) * np.floor(abs(r) * 100 + 0.5) / 100) for r in ratio]
    df = df.drop(columns=["review_body"]).sort_values(["total_votes", "review_id"], ascending=[False, True])
    df["low_votes"] = df["total_votes"] < 100
    return df.reset_index(drop=True)


def test_generated_style_script_runs_end_to_end(ray_local, tmp_path):
    base = tmp_path / "base"
    source = make_input(base)
    script = tmp_path / "reviews.py"
    script.write_text(SCRIPT)
    (base / "out" / "reviews").mkdir(parents=True)
    (base / "out" / "reviews" / "old.parquet").write_bytes(b"previous output")  # overwritten on commit

    env = {
        **os.environ,
        "PYTHONPATH": RUNTIME_DIR,
        "ETL_BASE_DIR": str(base),
        "ETL_RUN_ID": "e2e1",
        "RAY_ADDRESS": ray_local.get_runtime_context().gcs_address,  # the session's Ray: no 2nd start
        "RAY_DATA_DEFAULT_MIN_PARALLELISM": "4",  # a sort of 360 rows: 4 partitions, not 200
    }
    proc = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    evs = [json.loads(l[len(events.PREFIX):]) for l in proc.stdout.splitlines() if l.startswith(events.PREFIX)]
    types = [e["type"] for e in evs]
    assert types[0] == "run-started" and types[-1] == "run-succeeded"
    assert types.index("preflight-ok") < types.index("stage") < types.index("sink-committed")
    started = evs[0]
    assert started["pipelineId"] == "reviews" and started["runId"] == "e2e1" and started["sinks"] == ["out"]

    stages = [e for e in evs if e["type"] == "stage"]
    names = list(dict.fromkeys(e["stage"] for e in stages))
    print("Ray 2.60 operator names:", names)
    nodes_of = {e["stage"]: e["nodes"] for e in stages}
    assert nodes_of["ListFiles"] == ["read"]
    assert nodes_of["ReadFilesParquetV2->Project->MapBatches(UdfFilterActor__keep)"] == ["read", "ratio", "drop", "keep"]
    assert nodes_of["SortSample(partitions=4)"] == ["sort"]
    assert nodes_of["SortShuffleMap(partitions=4)"] == ["sort"]
    assert nodes_of["SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write"] == ["sort", "flag", "out"]
    last = {}
    for e in stages:
        last[e["stageIndex"]] = e
    assert all(e["state"] == "succeeded" for e in last.values())

    expected = expected_output(source)
    assert evs[-1]["rowsWritten"] == {"out": len(expected)}
    committed = next(e for e in evs if e["type"] == "sink-committed")
    assert committed["rows"] == len(expected) and committed["path"] == str(base / "out" / "reviews")

    out = base / "out" / "reviews"
    assert not (out / "old.parquet").exists()
    assert [p.name for p in (base / "out").iterdir()] == ["reviews"]  # no staging / old copies left
    files = sorted(out.glob("*.parquet"))
    got = pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
    # one sorted file per reduce partition; partitions are ordered by key ranges
    got = got.sort_values(["total_votes", "review_id"], ascending=[False, True]).reset_index(drop=True)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert pq.read_schema(files[0]).field("low_votes").type == pa.bool_()
