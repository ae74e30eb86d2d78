"""Scale-out on one machine: a Ray cluster of a head and two worker nodes (token auth, ports of
their own), a pipeline run through the app's run service and the Jobs API exactly as on the
embedded head; Ray's state API shows its tasks ran on at least two nodes, and the output equals
an independent DuckDB computation of the same steps. Then (last, on the same cluster) a worker
node is SIGKILLed while a task of a run is executing on it: Ray retries the lost work on the
nodes left, and the run still succeeds with exactly the DuckDB output."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import VENV_BIN, clean_out
from runs_helpers import TERMINAL, App, pipeline, ray_get
from test_acceptance import assert_acceptance_output, expected_rows, read_output

GCS_PORT = int(os.environ.get("ETL_TEST_MULTINODE_GCS_PORT", "6450"))
DASHBOARD_PORT = int(os.environ.get("ETL_TEST_MULTINODE_DASHBOARD_PORT", "8330"))
WORKER_RESOURCE = "etl_test_worker_"  # worker i carries the custom resource etl_test_worker_<i>: 1, to tell nodes apart
WORKERS: list = []  # the `ray start --block` process of worker i (its own process group)


def _node_ports() -> list:
    """Explicit agent ports: with Ray's dynamic ones the raylet waits for the agent to write its
    port to a file and aborts after ~15 s, which a busy machine exceeds."""
    import socket

    socks = [socket.socket() for _ in range(5)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        agent, grpc, env_agent, metrics, client = (s.getsockname()[1] for s in socks)  # held together: distinct
    finally:
        for s in socks:
            s.close()
    return [f"--dashboard-agent-listen-port={agent}", f"--dashboard-agent-grpc-port={grpc}",
            f"--runtime-env-agent-port={env_agent}", f"--metrics-export-port={metrics}", f"--ray-client-server-port={client}"]


def _ray_start(args: list, env: dict, log: Path) -> subprocess.Popen:
    out = open(log, "w")
    try:
        return subprocess.Popen([str(VENV_BIN / "ray"), "start", "--block", "--node-ip-address=127.0.0.1",
                                 "--disable-usage-stats", *args],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        out.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Head (1 CPU) + two workers (1 CPU each); yields (jobs_address, token)."""
    tmp = tmp_path_factory.mktemp("multinode")
    token = secrets.token_hex(32)
    (tmp / "token").write_text(token)
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "VIRTUAL_ENV": str(VENV_BIN.parent),
           "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(tmp / "token"), "RAY_ADDRESS": "",
           # a busy machine starts a node's agents slowly; Ray's default kills the raylet after 16 s
           "RAY_agent_register_timeout_ms": "180000"}
    env.pop("RAY_AUTH_TOKEN", None)
    temp_dir = f"/tmp/ray-etl-multinode-{GCS_PORT}"
    address = f"http://127.0.0.1:{DASHBOARD_PORT}"
    head_args = ["--head", f"--port={GCS_PORT}", "--dashboard-host=127.0.0.1", f"--dashboard-port={DASHBOARD_PORT}",
                 "--include-dashboard=true", "--num-cpus=1", "--object-store-memory=400000000", f"--temp-dir={temp_dir}",
                 "--min-worker-port=22000", "--max-worker-port=22199"]
    procs: list = []
    WORKERS.clear()
    try:
        # On a loaded machine a head's optional subprocess (the Ray client server) can time out
        # at start-up, and `ray start --block` then takes the whole head down: try again.
        for attempt in range(3):
            head = _ray_start([*head_args, *_node_ports()],
                              env, tmp / f"head-{attempt}.log")
            procs.append(head)
            deadline = time.time() + 240
            up = False
            while time.time() < deadline and head.poll() is None:
                try:
                    ray_get(address, token, "/api/version", timeout=2)
                    time.sleep(3)  # still alive a moment later?
                    up = head.poll() is None
                    break
                except Exception:
                    time.sleep(0.5)
            if up:
                break
            try:
                os.killpg(head.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            head.wait(timeout=30)
            time.sleep(2)
        else:
            raise RuntimeError(f"head did not come up: {(tmp / 'head-2.log').read_text()[-2000:]}")
        def alive_nodes() -> int:
            try:
                nodes = ray_get(address, token, "/api/v0/nodes?limit=100", timeout=5)["data"]["result"]["result"]
                return sum(1 for n in nodes if n.get("state") == "ALIVE")
            except Exception:
                return -1

        # one worker at a time (each starts agents of its own), retried if it dies starting
        for i in range(2):
            for attempt in range(3):
                worker = _ray_start([f"--address=127.0.0.1:{GCS_PORT}", "--num-cpus=1", "--object-store-memory=300000000",
                                     *_node_ports()[:4], f'--resources={{"{WORKER_RESOURCE}{i}": 1}}',
                                     f"--min-worker-port={22200 + 200 * i}", f"--max-worker-port={22399 + 200 * i}"],
                                    env, tmp / f"worker-{i}-{attempt}.log")
                procs.append(worker)
                deadline = time.time() + 240
                while time.time() < deadline and worker.poll() is None and alive_nodes() < i + 2:
                    time.sleep(0.5)
                if worker.poll() is None and alive_nodes() >= i + 2:
                    WORKERS.append(worker)
                    break
        alive = alive_nodes()
        assert alive >= 3, f"only {alive} nodes joined"
        yield address, token
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def tasks_of_job(address: str, token: str, job_id: str) -> list:
    q = urllib.parse.urlencode({"detail": "1", "limit": "10000", "filter_keys": "job_id", "filter_predicates": "=", "filter_values": job_id})
    return ray_get(address, token, f"/api/v0/tasks?{q}", timeout=30)["data"]["result"]["result"]


def test_pipeline_runs_on_three_nodes_through_the_jobs_api(cluster, base_dir, tmp_path):
    address, token = cluster
    app = App(tmp_path, base_dir, address, token)
    out = clean_out(base_dir, "multinode")
    pid = app.import_pipeline(pipeline("multinode", "out/multinode"))
    app.start_monitor()
    try:
        run_id = app.cli("start", pid)["runId"]
        final = app.wait_run(run_id, lambda r: r["state"] in TERMINAL, timeout=600, what="the run to end")
    finally:
        app.stop_monitor()
    assert final["state"] == "succeeded", final

    job = ray_get(address, token, f"/api/jobs/{run_id}")
    tasks = tasks_of_job(address, token, job["job_id"])
    data_tasks = [t for t in tasks if t.get("type") in ("NORMAL_TASK", "ACTOR_TASK", "ACTOR_CREATION_TASK")]
    nodes = {t["node_id"] for t in data_tasks if t.get("node_id")}
    assert len(nodes) >= 2, f"tasks ran on {len(nodes)} node(s): {sorted({(t['name'], t.get('node_id')) for t in data_tasks})[:20]}"

    assert_acceptance_output(read_output(out), expected_rows(base_dir / "data" / "reviews"))


# Slow steps, so that a task of the run is executing on a worker node for a while: the keep
# filter is fused into the read (one read task for the test's few files: it may well run on the
# head), the flag column runs after the sort on an actor pool of up to two 1-CPU actors over
# the sort's six blocks (so at least one actor sits on a worker node).
SLOW_KEEP = (
    "import time\n"
    "def keep(batch):\n"
    "    time.sleep(4.0)\n"
    "    return (batch[\"total_votes\"] > 0) & (batch[\"marketplace\"] == \"US\")\n"
)
SLOW_FLAG = (
    "import time\n"
    "def compute(batch):\n"
    "    time.sleep(3.0)\n"
    "    return batch[\"total_votes\"] < 100\n"
)


def _nodes(address: str, token: str) -> list:
    return ray_get(address, token, "/api/v0/nodes?limit=100&detail=1", timeout=10)["data"]["result"]["result"]


def _processes() -> dict:
    """pid -> (parent pid, argv) of every process."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
                out[int(entry.name)] = (ppid, (entry / "cmdline").read_bytes().decode(errors="replace").split("\0"))
            except (OSError, ValueError):
                pass
    return out


def _kill_node(proc: subprocess.Popen, node_id: str) -> list:
    """SIGKILL a worker node as a machine failure would: its raylet (`--node_id=<id>`) and every
    process it started (the worker processes, each in a process group of its own and renamed by
    setproctitle, so found as the raylet's descendants), then its `ray start --block` process
    group (the agents). Returns the pids killed."""
    procs = _processes()
    raylet = [pid for pid, (_, args) in procs.items() if f"--node_id={node_id}" in args]
    assert len(raylet) == 1, f"no single raylet with node id {node_id}: {raylet}"
    tree, grew = set(raylet), True
    while grew:
        children = {pid for pid, (ppid, _) in procs.items() if ppid in tree} - tree
        tree |= children
        grew = bool(children)
    killed = []
    for pid in [raylet[0], *sorted(tree - set(raylet))]:
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except ProcessLookupError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
        killed.append(proc.pid)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    return killed


def test_worker_node_killed_mid_run_the_run_still_succeeds_with_exact_output(cluster, base_dir, tmp_path):
    """Runs last in this module: it leaves the cluster with the head and one worker."""
    address, token = cluster
    app = App(tmp_path, base_dir, address, token)
    out = clean_out(base_dir, "multinode-fault")
    doc = pipeline("multinode-fault", "out/multinode-fault", SLOW_KEEP)
    next(n for n in doc["nodes"] if n["id"] == "flag")["params"]["source"] = SLOW_FLAG
    pid = app.import_pipeline(doc)
    nodes = _nodes(address, token)
    head = next(n["node_id"] for n in nodes if n.get("is_head_node") and n["state"] == "ALIVE")
    workers = {}  # node id -> worker index
    for n in nodes:
        for key in (n.get("resources_total") or {}):
            if n["state"] == "ALIVE" and key.startswith(WORKER_RESOURCE):
                workers[n["node_id"]] = int(key[len(WORKER_RESOURCE):])
    assert len(workers) == 2 and head not in workers, nodes

    app.start_monitor()
    try:
        run_id = app.cli("start", pid)["runId"]
        # wait until a task of the run's job is running on a worker node (not the head)
        deadline, victim, seen = time.time() + 300, None, []
        while time.time() < deadline and victim is None:
            r = app.run(run_id)
            assert r.get("state") not in TERMINAL, f"the run ended ({r.get('state')}) before a task ran on a worker node: {seen[-30:]}"
            try:
                job_id = ray_get(address, token, f"/api/jobs/{run_id}").get("job_id")
                tasks = tasks_of_job(address, token, job_id) if job_id else []
            except Exception:
                tasks = []
            seen = [(t["name"], t.get("state"), t.get("node_id")) for t in tasks]
            running = [t for t in tasks if t.get("state") == "RUNNING" and t.get("node_id") in workers
                       and "MapBatches" in t.get("name", "")]  # the read+keep task or a flag actor's task
            if running:
                victim = running[0]
            else:
                time.sleep(0.3)
        assert victim is not None, f"no task of the run ran on a worker node: {seen[-30:]}"
        index = workers[victim["node_id"]]
        killed = _kill_node(WORKERS[index], victim["node_id"])
        assert len(killed) >= 3, killed  # the raylet, at least one worker process, ray start
        killed_at = time.time()

        final = app.wait_run(run_id, lambda r: r["state"] in TERMINAL, timeout=600, what="the run to end")
    finally:
        app.stop_monitor()
    assert final["state"] == "succeeded", final

    # the node is gone, the job's work on it was lost and done again elsewhere
    # (the GCS marks the node dead after its health checks fail: ~15 s, longer on a loaded machine;
    # the run may have finished before that)
    deadline = time.time() + 120
    while time.time() < deadline:
        dead = [n for n in _nodes(address, token) if n["node_id"] == victim["node_id"]]
        if dead and dead[0]["state"] == "DEAD":
            break
        time.sleep(1)
    assert dead and dead[0]["state"] == "DEAD", dead
    tasks = tasks_of_job(address, token, ray_get(address, token, f"/api/jobs/{run_id}")["job_id"])
    retried = [t for t in tasks if t.get("attempt_number", 0) > 0]
    assert retried, "no task of the job was retried after the node was killed"
    print(f"killed {victim['name']} on worker {index} after it started; the run ended {final.get('endedAt')}, "
          f"{time.time() - killed_at:.1f}s after the kill; {len(retried)} task attempts retried")

    assert_acceptance_output(read_output(out), expected_rows(base_dir / "data" / "reviews"))
