"""Runs through the app's run service on a real Ray: the process that follows runs is killed
mid-run (SIGKILL) and started again — the run is picked up, ends with the right state, and its
stage records equal an independent fold of the job's log (nothing counted twice). Ray out of
reach: a clear error within seconds, no hang; a retry runs once Ray is back; a job Ray stops
answering about mid-run fails the run within seconds and is stopped once Ray is back."""
import hashlib
import json
import time
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as pads

from conftest import clean_out
from runs_helpers import SLOW_KEEP, TERMINAL, App, TcpProxy, fold_events, pipeline, ray_get


VERY_SLOW_KEEP = SLOW_KEEP.replace("time.sleep(0.4)", "time.sleep(3)")


def ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def snapshot(path: Path) -> dict:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def wait_job(address: str, token: str, run_id: str, timeout: float = 300) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = ray_get(address, token, f"/api/jobs/{run_id}")
        if job["status"] in ("SUCCEEDED", "FAILED", "STOPPED"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {run_id} did not end")


def test_monitor_killed_mid_run_picks_the_run_up_and_counts_nothing_twice(ray_cluster, base_dir, tmp_path):
    address, token = ray_cluster
    app = App(tmp_path, base_dir, address, token)
    out = clean_out(base_dir, "runs-restart")
    pid = app.import_pipeline(pipeline("runs-restart", "out/runs-restart", SLOW_KEEP))
    app.start_monitor()
    try:
        run_id = app.cli("start", pid)["runId"]
        app.wait_run(run_id, lambda r: r["state"] == "running" and len(app.stages(run_id)) > 0, what="first stage recorded")
        app.kill_monitor()
        offset = app.run(run_id)["eventsOffset"]

        # started again while the job runs: it re-attaches by submission id and carries on
        app.start_monitor()
        app.wait_run(run_id, lambda r: r["eventsOffset"] > offset or r["state"] in TERMINAL, what="progress after re-attach")
        app.kill_monitor()

        # the job ends while nothing follows it; the database still says running
        job = wait_job(address, token, run_id)
        assert job["status"] == "SUCCEEDED", job
        assert app.run(run_id)["state"] == "running"

        # started again: the ended job is settled
        app.start_monitor()
        final = app.wait_run(run_id, lambda r: r["state"] in TERMINAL, what="settled after restart")
    finally:
        app.stop_monitor()

    assert final["state"] == "succeeded", final
    log = ray_get(address, token, f"/api/jobs/{run_id}/logs")["logs"]
    assert final["eventsOffset"] == log.rfind("\n") + 1
    stages = app.stages(run_id)
    got = {s["key"]: {"state": s["state"], "rowsOut": s["rowsOut"], "nodes": json.loads(s["nodes"])} for s in stages}
    assert got == fold_events(log), "stage records differ from the job's own events"
    assert len({s["key"] for s in stages}) == len(stages)

    rows = pads.dataset(str(out), format="parquet").count_rows()
    assert rows > 0
    assert json.loads(final["rowsWritten"]) == {"out": rows}
    write = [s for s in stages if json.loads(s["nodes"]) == ["out"]]
    assert write and write[-1]["rowsOut"] == rows
    assert all(s["state"] == "succeeded" for s in stages), stages
    assert "re-attaching to 1 run" in app.monitor_log.read_text()


def test_ray_unreachable_fails_within_seconds_and_a_retry_runs_once_ray_is_back(ray_cluster, base_dir, tmp_path):
    address, token = ray_cluster
    proxy = TcpProxy(int(address.rsplit(":", 1)[1]))  # Ray's Jobs API, reachable only while the proxy is up
    app = App(tmp_path, base_dir, proxy.address, token, ETL_RAY_LOST_AFTER_MS="3000")
    out = clean_out(base_dir, "runs-unreachable")
    pid = app.import_pipeline(pipeline("runs-unreachable", "out/runs-unreachable"))
    app.start_monitor()
    try:
        # 1. Ray down when the run is submitted: failed within seconds, with a clear reason
        run_id = app.cli("start", pid)["runId"]
        failed = app.wait_run(run_id, lambda r: r["state"] in TERMINAL, timeout=30, what="failure")
        assert failed["state"] == "failed" and failed["errorCode"] == "RAY_UNREACHABLE", failed
        assert failed["errorMessage"].startswith(f"Ray is not reachable at {proxy.address} (connection refused: is Ray running?)"), failed["errorMessage"]
        assert ts(failed["endedAt"]) - ts(failed["createdAt"]) < 5

        # 2. Ray back: the retry (a new run of the same version) succeeds
        proxy.up()
        retry_id = app.cli("retry", run_id)["runId"]
        assert retry_id != run_id
        retried = app.wait_run(retry_id, lambda r: r["state"] in TERMINAL, what="retry to end")
        assert retried["state"] == "succeeded", retried
        assert (retried["trigger"], retried["retryOf"]) == ("retry", run_id)
        assert app.run(run_id)["state"] == "failed"  # the failed run stays as it was
        before = snapshot(out)
        assert before

        # 3. Ray stops answering mid-run: the run fails within seconds instead of hanging
        slow = app.import_pipeline(pipeline("runs-unreachable-slow", "out/runs-unreachable", VERY_SLOW_KEEP))
        lost_id = app.cli("start", slow)["runId"]
        app.wait_run(lost_id, lambda r: r["state"] == "running", what="running")
        proxy.down()
        t0 = time.time()
        lost = app.wait_run(lost_id, lambda r: r["state"] in TERMINAL, timeout=30, what="RAY_LOST")
        assert time.time() - t0 < 10
        assert lost["state"] == "failed" and lost["errorCode"] == "RAY_LOST", lost
        assert "not reachable" in lost["errorMessage"] and "retry" in lost["errorMessage"].lower()

        # ... and once Ray answers again the orphaned job is stopped, leaving the output as it was
        proxy.up()
        job = wait_job(address, token, lost_id, timeout=120)
        assert job["status"] == "STOPPED", job
        app.wait_run(lost_id, lambda r: r["rayStatus"] == "STOPPED", timeout=30, what="reaped")
    finally:
        app.stop_monitor()
        proxy.down()
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if "runs-unreachable" in p.name and "etl-" in p.name] == []
