"""The preview's source sample read from S3 (moto on loopback): the same first rows as pyarrow
reading the same files, through a connection's filesystem."""
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from s3_server import BUCKET, S3Server  # noqa: E402

from etl_runtime import s3  # noqa: E402
from etl_runtime.preview.sample import SourceFile, read_sample  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with S3Server() as srv:
        yield srv


def test_sample_of_an_s3_source_matches_pyarrow(server, monkeypatch):
    monkeypatch.setenv(s3.ENV_VAR, json.dumps({"lake": server.connection()}))
    s3._CACHE.clear()
    fs = s3.filesystem("lake")
    tables = [pa.table({"id": list(range(i * 10, i * 10 + 10)), "v": [float(x) for x in range(10)]}) for i in range(3)]
    files = []
    for i, t in enumerate(tables):
        key = f"{BUCKET}/sample/part=p{i}/f.parquet"
        with fs.open_output_stream(key) as f:
            pq.write_table(t, f)
        files.append(SourceFile(f"s3://{key}", 10, {"part": f"p{i}"}))
    table, read = read_sample(files, 25, ["id", "part"], filesystem=fs)
    assert read.rows == 25 and read.truncated
    assert table.column("id").to_pylist() == list(range(25))
    assert table.column("part").to_pylist() == ["p0"] * 10 + ["p1"] * 10 + ["p2"] * 5
    with pytest.raises(OSError, match="ACCESS_DENIED|AccessDenied"):
        read_sample([SourceFile(f"s3://{BUCKET}/private/x.parquet", 1, {})], 5, filesystem=fs)
