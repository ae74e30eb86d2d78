"""S3 on a real Ray against moto's S3 server on loopback (IAM enforced): the acceptance pipeline
reads s3:// and writes s3:// through the CLI and through the app's run service, and its output
equals DuckDB on the same input; bad S3 settings fail on the right node with nothing written;
a run failing mid-write leaves the previous output complete with no staged objects; and the
connection's secrets appear in no API answer, script, run record, job log or app log."""
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pytest

from conftest import GCS_PORT, ROOT
from runs_helpers import App, ray_get
from test_acceptance import assert_acceptance_output, expected_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from s3_server import BUCKET, S3Server  # noqa: E402

EXAMPLE = json.loads((ROOT / "examples" / "reviews.pipeline.json").read_text())
SECRET_KEY = "5e" * 32
# The flag add-column runs fused with the write (after the sort): blocks of highly voted rows
# are written to staging before a block with few votes raises — a failure in the middle of the write.
FLAG_FAILS_MID_WRITE = (
    "def compute(batch):\n"
    "    if (batch[\"total_votes\"] < 3).any():\n"
    "        raise ValueError(\"few votes mid-write\")\n"
    "    return batch[\"total_votes\"] < 100\n"
)


@pytest.fixture(scope="module")
def s3srv():
    with S3Server() as srv:
        yield srv


@pytest.fixture(scope="module")
def s3app(s3srv, base_dir, ray_cluster, tmp_path_factory):
    """The reviews dataset uploaded to s3://etl-test/data/reviews, and an app installation with
    connections `lake` (the app user's keys) and `badsecret` (a wrong secret)."""
    address, token = ray_cluster
    admin = s3srv.client()
    src = base_dir / "data" / "reviews"
    for p in sorted(src.rglob("*.parquet")):
        admin.put_object(Bucket=BUCKET, Key=f"data/reviews/{p.relative_to(src).as_posix()}", Body=p.read_bytes())
    tmp = tmp_path_factory.mktemp("s3app")
    app = App(tmp, base_dir, address, token, ETL_SECRET_KEY=SECRET_KEY, AWS_EC2_METADATA_DISABLED="true")
    for name, secret in [("lake", s3srv.app["secretAccessKey"]), ("badsecret", "not-the-secret")]:
        res = subprocess.run(["npx", "tsx", "server/cli/main.ts", "connection", "add", name, "--endpoint", s3srv.endpoint,
                              "--path-style", "--region", "us-east-1"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env={**app.env, "ETL_S3_ACCESS_KEY_ID": s3srv.app["accessKeyId"], "ETL_S3_SECRET_ACCESS_KEY": secret})
        assert res.returncode == 0, res.stdout + res.stderr
    return app


def etl(app: App, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["npx", "tsx", "server/cli/main.ts", *args], cwd=ROOT, env=app.env,
                          capture_output=True, text=True, timeout=300)


def s3_pipeline(pid: str, out: str, *, flag=None, connection="lake", src="data/reviews", mode="overwrite") -> dict:
    doc = copy.deepcopy(EXAMPLE)
    doc["id"], doc["name"] = pid, pid
    for n in doc["nodes"]:
        if n["kind"] == "read-parquet":
            n["params"].update(path=f"s3://{BUCKET}/{src}", connection="lake")
        if n["kind"] == "write":
            n["params"].update(path=f"s3://{BUCKET}/{out}", connection=connection, mode=mode)
        if n["id"] == "flag" and flag is not None:
            n["params"]["source"] = flag
    return doc


def run_cli(app: App, doc: dict) -> subprocess.CompletedProcess:
    f = app.tmp / f"{doc['id']}.pipeline.json"
    f.write_text(json.dumps(doc))
    return etl(app, "run", str(f))


def fs_admin(s3srv) -> pafs.S3FileSystem:
    return pafs.S3FileSystem(access_key=s3srv.admin["accessKeyId"], secret_key=s3srv.admin["secretAccessKey"],
                             endpoint_override=s3srv.endpoint.split("://")[1], scheme="http", region="us-east-1")


def objects(s3srv, prefix: str) -> dict:
    """key -> ETag of every object under `prefix` (directory markers left out)."""
    out = s3srv.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {o["Key"]: o["ETag"] for o in out.get("Contents", []) if not o["Key"].endswith("/")}


def staged_leftovers(s3srv) -> list:
    return [k for k in objects(s3srv, "") if "etl-staging" in k or "etl-old" in k]


def read_s3(s3srv, prefix: str) -> pd.DataFrame:
    files = sorted(f"{BUCKET}/{k}" for k in objects(s3srv, prefix + "/") if k.endswith(".parquet"))
    assert files, f"no parquet objects under {prefix}"
    return pads.dataset(files, format="parquet", filesystem=fs_admin(s3srv)).to_table().to_pandas()


def assert_matches_duckdb(got: pd.DataFrame, base_dir: Path) -> None:
    assert_acceptance_output(got, expected_rows(base_dir / "data" / "reviews"))

def test_cli_reads_and_writes_s3_and_matches_duckdb(s3app, s3srv, base_dir):
    res = run_cli(s3app, s3_pipeline("s3-cli", "out/cli"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert_matches_duckdb(read_s3(s3srv, "out/cli"), base_dir)
    assert staged_leftovers(s3srv) == []
    # facts of the S3 dataset from footers, through the CLI
    facts = etl(s3app, "inspect", f"s3://{BUCKET}/data/reviews", "--connection", "lake", "--json")
    assert facts.returncode == 0, facts.stderr
    assert json.loads(facts.stdout)["info"]["numRows"] == pads.dataset(base_dir / "data" / "reviews", partitioning="hive").count_rows()


def test_failure_mid_write_keeps_the_previous_s3_output(s3app, s3srv, base_dir):
    first = run_cli(s3app, s3_pipeline("s3-keep", "out/keep"))
    assert first.returncode == 0, first.stdout + first.stderr
    before = objects(s3srv, "out/keep/")
    assert before
    res = run_cli(s3app, s3_pipeline("s3-keep", "out/keep", flag=FLAG_FAILS_MID_WRITE))
    assert res.returncode != 0
    assert "node flag" in res.stderr and "few votes mid-write" in res.stderr, res.stderr
    assert objects(s3srv, "out/keep/") == before, "the previous output changed"
    assert_matches_duckdb(read_s3(s3srv, "out/keep"), base_dir)
    assert staged_leftovers(s3srv) == []


@pytest.mark.parametrize("case,edit,needle", [
    ("wrong credentials", dict(connection="badsecret"), "secret access key is wrong"),
    ("missing bucket", dict(out="x"), None),
    ("denied prefix", dict(out="private/out"), "access denied"),
])
def test_bad_s3_targets_fail_on_the_write_node_with_nothing_written(s3app, s3srv, case, edit, needle):
    before = objects(s3srv, "")
    doc = s3_pipeline(f"s3-bad-{case.split()[0]}", edit.get("out", "out/bad"), connection=edit.get("connection", "lake"))
    if case == "missing bucket":
        for n in doc["nodes"]:
            if n["kind"] == "write":
                n["params"]["path"] = "s3://no-such-bucket/out"
        needle = "bucket 'no-such-bucket' does not exist"
    res = run_cli(s3app, doc)
    assert res.returncode != 0
    assert "node out" in res.stderr and needle in res.stderr, res.stderr
    assert objects(s3srv, "") == before


def test_bad_s3_sources_fail_on_the_read_node_before_running(s3app, s3srv):
    s3srv.client().put_object(Bucket=BUCKET, Key="data/notes.txt", Body=b"not parquet")
    for src, needle in [("data/notes.txt", "not a parquet file"), ("private/reviews", "Access denied")]:
        doc = s3_pipeline("s3-badsrc", "out/badsrc", src=src)
        f = s3app.tmp / "badsrc.pipeline.json"
        f.write_text(json.dumps(doc))
        res = etl(s3app, "check", str(f))
        assert res.returncode == 1 and "(node read, path)" in res.stdout and needle in res.stdout, res.stdout + res.stderr
    assert objects(s3srv, "out/badsrc/") == {}


def test_app_run_on_s3_and_no_secret_anywhere(s3app, s3srv, base_dir, ray_cluster):
    address, token = ray_cluster
    secrets = [s3srv.app["secretAccessKey"], s3srv.app["accessKeyId"]]
    answers = []
    pid = s3app.import_pipeline(s3_pipeline("s3-app", "out/app"))
    s3app.start_monitor()
    try:
        started = s3app.cli("start", pid)
        answers.append(started)
        run_id = started["runId"]
        res = subprocess.run(["npx", "tsx", "server/runs/cli.ts", "wait", run_id, "--timeout", "280"], cwd=ROOT,
                             env=s3app.env, capture_output=True, text=True, timeout=300)
        answers.append(res.stdout)
        assert res.returncode == 0, res.stdout + res.stderr
        answers += [s3app.cli("get", run_id), s3app.cli("list"), etl(s3app, "connection", "list").stdout]
    finally:
        s3app.stop_monitor()
    assert_matches_duckdb(read_s3(s3srv, "out/app"), base_dir)
    run = s3app.run(run_id)
    assert "rt.filesystem(\"lake\")" in run["script"]
    job_log = ray_get(address, token, f"/api/jobs/{run_id}/logs")["logs"]
    assert "run-succeeded" in job_log
    # Ray logs every job's runtime_env (runtime_env_agent.log) and serves it from its job API:
    # the settings travel sealed there, with the key inside the job's package.
    ray_logs = Path(f"/tmp/ray-etl-test-{GCS_PORT}/session_latest/logs")
    assert ray_logs.is_dir()
    ray_text = "\n".join(p.read_text(errors="replace") for p in ray_logs.rglob("*") if p.is_file())
    assert "ETL_S3_CONNECTIONS_SEALED" in ray_text
    places = {
        "API answers": json.dumps(answers),
        "generated script": run["script"],
        "run record (all columns)": json.dumps(run, default=str),
        "stage records": json.dumps(s3app.stages(run_id), default=str),
        "job log": job_log,
        "Ray's logs (every file of the session)": ray_text,
        "Ray's job API": json.dumps(ray_get(address, token, f"/api/jobs/{run_id}")),
        "app log": s3app.monitor_log.read_text(),
        "database file": (s3app.db_path.read_bytes() + b"".join(p.read_bytes() for p in s3app.tmp.glob("app.db*"))).decode("latin-1"),
    }
    for where, text in places.items():
        for secret in secrets:
            assert secret not in text, f"a secret appears in the {where}"
