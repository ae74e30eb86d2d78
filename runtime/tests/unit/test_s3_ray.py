"""Reads and staged writes on S3 through a local Ray (moto's S3 server on loopback): a hive
dataset read with a connection's filesystem and written back equals pandas on the same rows; a
UDF failing in the middle of the write leaves the previous output complete and no staged
objects; the script-side API takes only the connection's name."""
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from s3_server import BUCKET, S3Server  # noqa: E402

import etl_runtime as rt  # noqa: E402
from etl_runtime import s3  # noqa: E402
from etl_runtime.writes import Run  # noqa: E402

PLAN = rt.Plan(pipeline_id="p", nodes={"src": "read-parquet", "out": "write"}, sinks={"out": ["src", "out"]})


@pytest.fixture(scope="module")
def server():
    with S3Server() as srv:
        yield srv


@pytest.fixture
def lake(server, monkeypatch):
    monkeypatch.setenv(s3.ENV_VAR, json.dumps({"lake": server.connection()}))
    s3._CACHE.clear()
    fs = s3.filesystem("lake")
    frame = pd.DataFrame({"id": range(300), "votes": [i % 17 for i in range(300)], "cat": ["a", "b", "c"] * 100})
    for cat, part in frame.groupby("cat"):
        for i in range(2):
            with fs.open_output_stream(f"{BUCKET}/src/cat={cat}/part-{i}.parquet") as f:
                pq.write_table(pa.Table.from_pandas(part.iloc[i::2].drop(columns=["cat"]), preserve_index=False), f)
    return fs, frame


def objects(server, prefix):
    out = server.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {o["Key"]: o["ETag"] for o in out.get("Contents", []) if not o["Key"].endswith("/")}


def read_s3(fs, prefix):
    return pads.dataset(f"{BUCKET}/{prefix}", filesystem=fs, format="parquet").to_table().to_pandas().sort_values("id").reset_index(drop=True)


def run_write(ray, fn=None, mode="overwrite"):
    from ray.data.datasource import Partitioning
    from ray.data.expressions import col

    ds = ray.data.read_parquet(rt.path(f"s3://{BUCKET}/src"), filesystem=rt.filesystem("lake"), partitioning=Partitioning("hive"))
    ds = ds.filter(expr=col("votes") > 3)
    if fn is not None:
        ds = ds.map_batches(fn, batch_format="pandas", batch_size=20)
    run = Run(PLAN, "rs3")
    run.preflight([rt.writes.make_target("out", f"s3://{BUCKET}/out/r", "parquet", mode, "rs3", "lake")])
    try:
        rows = run.write(ds, node="out", path=f"s3://{BUCKET}/out/r", format="parquet", mode=mode, connection="lake")
        run.commit()
        return rows
    except BaseException:
        run.discard()
        raise


def test_read_and_write_on_s3_match_pandas(ray_local, server, lake):
    fs, frame = lake
    rows = run_write(ray_local)
    want = frame[frame["votes"] > 3].sort_values("id").reset_index(drop=True)
    got = read_s3(fs, "out/r")
    assert rows == len(want) == len(got)
    assert got["id"].tolist() == want["id"].tolist()
    assert got["votes"].tolist() == want["votes"].tolist()
    assert got["cat"].astype(str).tolist() == want["cat"].tolist()
    assert not [k for k in objects(server, "") if "etl-staging" in k]


def test_a_failure_mid_write_keeps_the_previous_output(ray_local, server, lake):
    fs, frame = lake
    run_write(ray_local)
    before = objects(server, "out/r/")

    def boom(batch):
        if (batch["id"] > 250).any():
            raise ValueError("mid-write failure")
        return batch

    with pytest.raises(Exception, match="mid-write failure"):
        run_write(ray_local, boom)
    assert objects(server, "out/r/") == before
    assert len(read_s3(fs, "out/r")) == int((frame["votes"] > 3).sum())
    assert not [k for k in objects(server, "") if "etl-staging" in k]
