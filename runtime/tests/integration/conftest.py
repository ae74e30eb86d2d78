"""Fixtures for integration tests on a real local Ray: a token-authenticated head started for
the session on its own ports, a generated reviews dataset, and a runner for the `etl` CLI
(the same path a user takes: compile in TypeScript, submit through the Jobs REST API)."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent
GCS_PORT = int(os.environ.get("ETL_TEST_RAY_GCS_PORT", "6390"))
DASHBOARD_PORT = int(os.environ.get("ETL_TEST_RAY_DASHBOARD_PORT", "8275"))
ROWS = int(os.environ.get("ETL_TEST_ROWS", "40000"))


def free_port() -> int:
    """A TCP port free on loopback right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(address: str, token: str, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            req = urllib.request.Request(f"{address}/api/version", headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"Ray head did not come up at {address}")


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory):
    """A Ray head for the whole session: yields (jobs_address, token)."""
    tmp = tmp_path_factory.mktemp("ray")
    token_file = tmp / "token"
    token = secrets.token_hex(32)
    token_file.write_text(token)
    temp_dir = f"/tmp/ray-etl-test-{GCS_PORT}"
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "VIRTUAL_ENV": str(VENV_BIN.parent),
           "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token",
           "RAY_AUTH_TOKEN_PATH": str(token_file), "RAY_ADDRESS": ""}
    env.pop("RAY_AUTH_TOKEN", None)
    log = open(tmp / "ray-head.log", "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "ray"), "start", "--head", "--block", f"--port={GCS_PORT}",
         "--node-ip-address=127.0.0.1", "--dashboard-host=127.0.0.1", f"--dashboard-port={DASHBOARD_PORT}",
         "--include-dashboard=true", "--num-cpus=2", "--object-store-memory=1500000000",
         # Ray's fixed agent/client ports clash with other heads on the machine (jobs then fail
         # with "No available agent to submit job"): take free ones.
         f"--dashboard-agent-listen-port={free_port()}", f"--ray-client-server-port={free_port()}",
         f"--temp-dir={temp_dir}", "--disable-usage-stats"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    address = f"http://127.0.0.1:{DASHBOARD_PORT}"
    try:
        _wait_up(address, token)
        yield address, token
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run(["pkill", "-9", "-f", temp_dir], check=False)
        log.close()


@pytest.fixture(scope="session")
def base_dir(tmp_path_factory) -> Path:
    """ETL_BASE_DIR for the session, holding data/reviews (generated) and out/."""
    base = tmp_path_factory.mktemp("base")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_reviews.py"), "--rows", str(ROWS),
                    "--out", str(base / "data" / "reviews")], check=True, capture_output=True)
    (base / "out").mkdir()
    return base


class Etl:
    """Runs the etl CLI with the session's Ray and base dir."""

    def __init__(self, address: str, token: str, base: Path):
        self.address, self.token, self.base = address, token, base

    def __call__(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        env = {**os.environ, "ETL_BASE_DIR": str(self.base), "RAY_AUTH_TOKEN": self.token,
               "RAY_ADDRESS": self.address, "INIT_CWD": str(ROOT), "NO_COLOR": "1"}
        return subprocess.run(["npx", "tsx", "server/cli/main.ts", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout)

    def run_doc(self, doc: dict, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
        f = tmp / f"{doc.get('id', 'pipeline')}.pipeline.json"
        f.write_text(json.dumps(doc))
        return self("run", str(f), *extra)


@pytest.fixture(scope="session")
def etl(ray_cluster, base_dir) -> Etl:
    address, token = ray_cluster
    return Etl(address, token, base_dir)


def clean_out(base: Path, name: str) -> Path:
    p = base / "out" / name
    shutil.rmtree(p, ignore_errors=True)
    return p
