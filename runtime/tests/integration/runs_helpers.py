"""Helpers for the run tests: the run monitor as a process we can kill, the runs CLI, a look at
the app database (read-only), a TCP proxy that makes Ray unreachable on demand, and Ray's
REST API."""
from __future__ import annotations

import copy
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable, Optional

from conftest import ROOT

EXAMPLE = json.loads((ROOT / "examples" / "reviews.pipeline.json").read_text())
TERMINAL = {"succeeded", "failed", "cancelled"}


def pipeline(pid: str, out_path: str, keep_source: Optional[str] = None) -> dict:
    """The acceptance pipeline under id `pid`, writing to `out_path` (relative to the base dir)."""
    doc = copy.deepcopy(EXAMPLE)
    doc["id"] = pid
    doc["name"] = pid
    for n in doc["nodes"]:
        if n["id"] == "out":
            n["params"]["path"] = out_path
            n["params"]["mode"] = "overwrite"
        if n["id"] == "keep" and keep_source is not None:
            n["params"]["source"] = keep_source
    return doc


SLOW_KEEP = (
    "import time\n"
    "def keep(batch):\n"
    "    time.sleep(0.4)\n"
    "    return (batch[\"total_votes\"] > 0) & (batch[\"marketplace\"] == \"US\")\n"
)


class App:
    """The environment of one app installation: its database, base dir and Ray address."""

    def __init__(self, tmp: Path, base: Path, ray_address: str, token: str, **extra: str):
        self.tmp, self.base = tmp, base
        self.db_path = tmp / "app.db"
        self.env = {**os.environ, "DATABASE_URL": f"file:{self.db_path}", "ETL_BASE_DIR": str(base),
                    "RAY_ADDRESS": ray_address, "RAY_AUTH_TOKEN": token, "ETL_ROOT": str(ROOT),
                    "ETL_DATA_DIR": str(tmp / "data"), "INIT_CWD": str(tmp), "NO_COLOR": "1", **extra}
        self.monitor: Optional[subprocess.Popen] = None
        self.monitor_log = tmp / "monitor.log"

    def cli(self, *args: str, timeout: float = 180) -> dict:
        res = subprocess.run(["npx", "tsx", "server/runs/cli.ts", *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=timeout)
        assert res.returncode in (0, 1), f"runs cli {args} failed: {res.stdout}\n{res.stderr}"
        return json.loads(res.stdout)

    def import_pipeline(self, doc: dict) -> str:
        f = self.tmp / f"{doc['id']}.pipeline.json"
        f.write_text(json.dumps(doc))
        return self.cli("import", str(f))["id"]

    def start_monitor(self) -> None:
        assert self.monitor is None
        log = open(self.monitor_log, "a")
        self.monitor = subprocess.Popen(["npx", "tsx", "server/runs/monitor-main.ts"], cwd=ROOT, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def kill_monitor(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: no shutdown code runs."""
        assert self.monitor is not None
        os.killpg(self.monitor.pid, signal.SIGKILL)
        self.monitor.wait(timeout=30)
        self.monitor = None

    def stop_monitor(self) -> None:
        if self.monitor is None:
            return
        try:
            os.killpg(self.monitor.pid, signal.SIGTERM)
            self.monitor.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.monitor.pid, signal.SIGKILL)
        self.monitor = None

    # --- the database, read-only ------------------------------------------------------------
    def _query(self, sql: str, *args) -> list:
        if not self.db_path.exists():
            return []
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute(sql, args).fetchall()]
        finally:
            con.close()

    def run(self, run_id: str) -> dict:
        rows = self._query('SELECT * FROM "Run" WHERE id = ?', run_id)
        return rows[0] if rows else {}

    def stages(self, run_id: str) -> list:
        return self._query('SELECT * FROM "RunStage" WHERE "runId" = ? ORDER BY id', run_id)

    def wait_run(self, run_id: str, pred: Callable[[dict], bool], timeout: float = 240, what: str = "") -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.run(run_id)
            if r and pred(r):
                return r
            time.sleep(0.2)
        raise AssertionError(f"run {run_id}: timed out waiting for {what or pred}; last: {self.run(run_id)}\n"
                             f"monitor log:\n{self.monitor_log.read_text() if self.monitor_log.exists() else ''}")


def ray_get(address: str, token: str, path: str, timeout: float = 10):
    req = urllib.request.Request(address.rstrip("/") + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode())


def ray_post(address: str, token: str, path: str, timeout: float = 30):
    req = urllib.request.Request(address.rstrip("/") + path, data=b"", method="POST",
                                 headers={"Authorization": f"Bearer {token}", "user-agent": "etl-tests"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode())


def fold_events(log: str) -> dict:
    """Independent fold of a job log: the last event per stage key (sink:index)."""
    stages = {}
    for line in log.split("\n"):
        i = line.find("ETL_EVENT ")
        if i < 0:
            continue
        try:
            ev = json.loads(line[i + len("ETL_EVENT "):])
        except ValueError:
            continue
        if ev.get("type") != "stage":
            continue
        key = f"{ev.get('sink') or ''}:{ev.get('stageIndex', ev.get('stage'))}"
        prev = stages.get(key, {})
        if prev.get("state") in ("succeeded", "failed", "cancelled") and ev["state"] not in ("succeeded", "failed", "cancelled"):
            continue
        rows = ev.get("rowsOut")
        stages[key] = {"state": ev["state"], "rowsOut": rows if rows is not None else prev.get("rowsOut"), "nodes": ev["nodes"]}
    return stages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TcpProxy:
    """Forwards 127.0.0.1:port to a target port while `up`; refuses connections while down."""

    def __init__(self, target_port: int):
        self.port = free_port()
        self.target = target_port
        self._server: Optional[socket.socket] = None
        self._conns: list = []
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.port))
        srv.listen(64)
        self._server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def down(self) -> None:
        srv, self._server = self._server, None
        if srv:
            try:
                srv.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(); close() alone does not
            except OSError:
                pass
            srv.close()
        with self._lock:
            for c in self._conns:
                try:
                    c.close()
                except OSError:
                    pass
            self._conns.clear()

    def _accept(self, srv: socket.socket) -> None:
        while self._server is srv:
            try:
                client, _ = srv.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
