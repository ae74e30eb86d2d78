"""Staged writes on S3 (no Ray): moto's S3 server on loopback with IAM enforced. Preflight
errors name the node and say what is wrong (credentials, bucket, access); the two-phase commit
replaces, appends or creates exactly; a failure during the commit leaves the previous output
complete; no staged object is left anywhere."""
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from s3_server import BUCKET, LOCKED, S3Server  # noqa: E402

from etl_runtime import s3  # noqa: E402
from etl_runtime.fsio import S3Storage, storage_for  # noqa: E402
from etl_runtime.writes import WriteError, commit, discard_one, make_target, preflight  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with S3Server() as srv:
        yield srv


@pytest.fixture
def conns(server, monkeypatch):
    """Connections `app` (IAM user with denied prefixes), `badkey`, `badsecret` in the job env."""
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv(s3.ENV_VAR, json.dumps({
        "app": server.connection(),
        "badkey": server.connection({"accessKeyId": "AKIANOTAKEY", "secretAccessKey": "nope"}),
        "badsecret": server.connection({"accessKeyId": server.app["accessKeyId"], "secretAccessKey": "wrong-secret"}),
    }))
    s3._CACHE.clear()
    return server


def keys(server, prefix="", markers=True):
    """Object keys; `markers=False` leaves out the empty "dir/" markers pyarrow creates when it
    deletes a prefix's last object (readers skip them)."""
    out = server.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(o["Key"] for o in out.get("Contents", []) if markers or not o["Key"].endswith("/"))


def table(n, start=0):
    return pa.table({"id": list(range(start, start + n)), "name": [f"r{i}" for i in range(start, start + n)]})


def put_parquet(fs, path, t):
    with fs.open_output_stream(path) as f:
        pq.write_table(t, f)


def staged(node, path, mode, tables, run_id="r1", connection="app"):
    t = make_target(node, path, "parquet", mode, run_id, connection)
    fs = t.location.fs
    for i, tab in enumerate(tables):
        put_parquet(fs, f"{t.staging}/part-{i}.parquet", tab)
    t.staged, t.rows = True, sum(x.num_rows for x in tables)
    return t


def read_back(server, prefix):
    fs = s3.filesystem("app")
    return pq.read_table(f"{BUCKET}/{prefix}", filesystem=fs).sort_by("id")


def test_staging_prefix_is_a_hidden_sibling(conns):
    t = make_target("out", f"s3://{BUCKET}/out/reviews", "parquet", "overwrite", "abc", "app")
    assert t.location.path == f"{BUCKET}/out/reviews"
    assert t.staging == f"{BUCKET}/out/.reviews.etl-staging-abc"
    with pytest.raises(WriteError, match="root of a bucket"):
        make_target("out", f"s3://{BUCKET}", "parquet", "overwrite", "abc", "app")


@pytest.mark.parametrize("conn,needle", [
    ("badkey", "access key id is not known"),
    ("badsecret", "secret access key is wrong"),
])
def test_preflight_wrong_credentials(conns, conn, needle):
    t = make_target("out", f"s3://{BUCKET}/out/x", "parquet", "overwrite", "r", conn)
    with pytest.raises(WriteError, match=needle) as e:
        preflight([t])
    assert e.value.node_id == "out"
    assert "wrong-secret" not in str(e.value) and "nope" not in str(e.value)


def test_preflight_missing_bucket_denied_prefix_and_unknown_connection(conns):
    with pytest.raises(WriteError, match="bucket 'no-such-bucket' does not exist"):
        preflight([make_target("out", "s3://no-such-bucket/out/x", "parquet", "overwrite", "r", "app")])
    with pytest.raises(WriteError, match="access denied"):
        preflight([make_target("out", f"s3://{BUCKET}/private/x", "parquet", "overwrite", "r", "app")])
    with pytest.raises(WriteError, match="access denied"):
        preflight([make_target("out", f"s3://{LOCKED}/x", "parquet", "overwrite", "r", "app")])
    with pytest.raises(WriteError, match="'missing' is not available"):
        preflight([make_target("out", f"s3://{BUCKET}/out/x", "parquet", "overwrite", "r", "missing")])
    assert not [k for k in keys(conns) if "etl-" in k], "preflight left objects behind"


def test_preflight_mode_error_on_existing_prefix(conns):
    put_parquet(s3.filesystem("app"), f"{BUCKET}/exists/a.parquet", table(1))
    with pytest.raises(WriteError, match="already exists"):
        preflight([make_target("out", f"s3://{BUCKET}/exists", "parquet", "error", "r", "app")])


def test_overwrite_replaces_the_previous_output_and_cleans_up(conns):
    fs = s3.filesystem("app")
    put_parquet(fs, f"{BUCKET}/ow/old-0.parquet", table(5, 100))
    put_parquet(fs, f"{BUCKET}/ow/part-0.parquet", table(5, 200))  # same name as a staged file
    t = staged("out", f"s3://{BUCKET}/ow", "overwrite", [table(3), table(2, 3)])
    commit([t])
    assert read_back(conns, "ow").equals(table(5))
    assert not [k for k in keys(conns) if "etl-staging" in k]
    assert len(keys(conns, "ow/", markers=False)) == 2


def test_error_and_append_modes(conns):
    t = staged("out", f"s3://{BUCKET}/em", "error", [table(2)])
    commit([t])
    assert read_back(conns, "em").equals(table(2))
    a = staged("out", f"s3://{BUCKET}/em", "append", [table(2, 2)], run_id="r2")
    commit([a])
    assert read_back(conns, "em").equals(table(4))
    assert [k for k in keys(conns, "em/") if k.startswith("em/r2-")]
    assert not [k for k in keys(conns) if "etl-staging" in k]


class FailingCopy(S3Storage):
    """Fails the n-th copy, like a network error in the middle of a commit."""

    def __init__(self, fs, fail_at):
        super().__init__(fs)
        self.fail_at, self.copies = fail_at, 0

    def copy(self, src, dst):
        self.copies += 1
        if self.copies == self.fail_at:
            raise OSError("simulated failure during CopyObject")
        super().copy(src, dst)


def test_a_failure_during_the_commit_keeps_the_previous_output_complete(conns, tmp_path):
    fs = s3.filesystem("app")
    put_parquet(fs, f"{BUCKET}/keep/old-0.parquet", table(4, 50))
    put_parquet(fs, f"{BUCKET}/keep/old-1.parquet", table(4, 60))
    before = keys(conns, "keep/")
    t = staged("out", f"s3://{BUCKET}/keep", "overwrite", [table(3), table(3, 3), table(3, 6)])
    broken = FailingCopy(fs, fail_at=3)
    with pytest.raises(OSError, match="simulated"):
        commit([t], storage=lambda loc: broken)
    assert keys(conns, "keep/", markers=False) == before
    assert read_back(conns, "keep").equals(pa.concat_tables([table(4, 50), table(4, 60)]))
    discard_one(t)
    assert not [k for k in keys(conns) if "etl-staging" in k]


def test_two_sinks_local_and_s3_are_all_or_nothing(conns, tmp_path):
    """The S3 sink fails to commit: the local sink's rename is undone too."""
    local_out = tmp_path / "local"
    local_out.mkdir()
    (local_out / "old.txt").write_text("old")
    lt = make_target("a", str(local_out), "parquet", "overwrite", "r9")
    Path(lt.staging).mkdir()
    (Path(lt.staging) / "new.txt").write_text("new")
    lt.staged = True
    st = staged("b", f"s3://{BUCKET}/both", "overwrite", [table(2)], run_id="r9")
    fs = s3.filesystem("app")

    def storage(loc):
        return FailingCopy(fs, fail_at=1) if not loc.local else storage_for(loc)

    with pytest.raises(OSError):
        commit([lt, st], storage=storage)
    assert sorted(p.name for p in local_out.iterdir()) == ["old.txt"]
    assert keys(conns, "both/") == []  # not even an empty "both/" marker
    discard_one(st)


def test_a_failed_commit_of_a_new_target_leaves_no_marker_so_mode_error_can_run_again(conns):
    fs = s3.filesystem("app")
    t = staged("out", f"s3://{BUCKET}/fresh", "error", [table(2), table(2, 2)], run_id="r5")
    with pytest.raises(OSError, match="simulated"):
        commit([t], storage=lambda loc: FailingCopy(fs, fail_at=2))
    discard_one(t)
    assert keys(conns, "fresh") == [] and not [k for k in keys(conns) if ".fresh.etl-staging" in k]
    preflight([make_target("out", f"s3://{BUCKET}/fresh", "parquet", "error", "r6", "app")])


def test_sealed_connections_open_with_the_key_file_once(tmp_path, monkeypatch):
    """What a Ray job gets: the settings XOR a one-time pad in its runtime_env, the pad as a
    file of its working_dir (read once, then deleted)."""
    import base64
    import os

    plain = json.dumps({"lake": {"region": "eu-west-1", "accessKeyId": "AK", "secretAccessKey": "very-secret"}}).encode()
    pad = os.urandom(len(plain))
    sealed = base64.b64encode(bytes(a ^ b for a, b in zip(plain, pad))).decode()
    assert "very-secret" not in sealed
    (tmp_path / s3.KEY_FILE).write_bytes(base64.b64encode(pad))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(s3.ENV_VAR, raising=False)
    monkeypatch.setenv(s3.SEALED_VAR, sealed)
    s3._unsealed.clear()
    assert s3.config("lake")["secretAccessKey"] == "very-secret"
    assert not (tmp_path / s3.KEY_FILE).exists()
    assert s3.config("lake")["region"] == "eu-west-1"  # remembered by the driver
    s3._unsealed.clear()
    with pytest.raises(s3.ConnectionError_, match="key file"):
        s3.config("lake")
