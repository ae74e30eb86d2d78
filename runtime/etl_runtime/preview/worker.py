"""The warm preview worker: `python -m etl_runtime.preview.worker`, JSON lines on stdin/stdout.

Started and supervised by the server (server/preview/worker.ts). It imports Ray Data and
applies the runtime's DataContext settings, prints `{"type": "ready", ...}`, warms Ray Data's
planner and operators with a tiny preview unless a request is already waiting (the first
request then warms them itself), and answers one request per line, in order:

    -> {"id": "7", "op": "preview", "nodeId": "keep", "module": "<python>", "rows": 100,
        "sourceRows": 100, "maxSourceRows": 20000, "timeoutMs": 10000,
        "source": {"path": "/abs/data/reviews", "columns": ["marketplace", ...] | null,
                   "files": [{"path": "/abs/.../part-0.parquet", "rows": 1234, "partition": {"k": "v"}}]}}
    <- {"id": "7", "ok": true, "result": {"columns": [...], "rows": [[...]], "sampleRows": 100, ...}}
    <- {"id": "7", "ok": false, "error": {"code": "UDF_ERROR", "nodeId": "keep", "line": 3, "message": "..."}}
    -> {"id": "8", "op": "ping"}            <- {"id": "8", "ok": true, "result": {"pid": ...}}

A request running longer than its `timeoutMs` gets one `{"type": "stuck", "id", "nodeId", "line"}`
line naming the UDF frame the main thread is in (if any); the server then kills the worker's
process group and starts a new one. Anything user code prints goes to stderr: stdout carries
only protocol lines.

No Ray cluster is started or joined: a preview plans its Dataset with Ray Data and runs the
operators in this process (local_exec.py), which needs Ray's libraries, not its processes.
A local Ray took 4 s (10+ s on a busy machine) to start before the first preview could be
answered; without it the worker is ready in about the time Python takes to import Ray Data.
Ray's auto-connect is off, so code that would need a cluster raises instead of quietly
starting one.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from typing import Any, Dict, Optional, Tuple

_out_lock = threading.Lock()
_out = None  # the protocol stream (the original stdout)


def _send(obj: Dict[str, Any]) -> None:
    line = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    with _out_lock:
        _out.write(line + "\n")
        _out.flush()


def _protect_stdout() -> None:
    """Keep fd 1 for protocol lines only: user prints and Ray logs go to stderr."""
    global _out
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    _out = os.fdopen(proto_fd, "w", encoding="utf-8", buffering=1)
    sys.stdout = sys.stderr


def udf_frame(thread_id: int) -> Tuple[Optional[str], Optional[int]]:
    """(node id, line) of the innermost frame of user UDF code in a thread, if any."""
    frame = sys._current_frames().get(thread_id)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith("<udf ") and name.endswith(">"):
            return name[5:-1], frame.f_lineno
        frame = frame.f_back
    return None, None


class Watchdog(threading.Thread):
    """Reports a request that runs past its deadline (once), naming the UDF it is stuck in."""

    def __init__(self, main_thread_id: int):
        super().__init__(name="preview-watchdog", daemon=True)
        self.main_thread_id = main_thread_id
        self.lock = threading.Lock()
        self.current: Optional[Tuple[str, float]] = None

    def watch(self, request_id: Optional[str], timeout_ms: Optional[float]) -> None:
        with self.lock:
            self.current = None if request_id is None or not timeout_ms else (request_id, time.monotonic() + timeout_ms / 1000)

    def run(self) -> None:
        while True:
            time.sleep(0.05)
            with self.lock:
                cur = self.current
                if cur is None or time.monotonic() < cur[1]:
                    continue
                self.current = None
            node_id, line = udf_frame(self.main_thread_id)
            _send({"type": "stuck", "id": cur[0], "nodeId": node_id, "line": line})


def _load_ray() -> Dict[str, Any]:
    """Import Ray Data without a cluster and apply the runs' DataContext settings."""
    os.environ.pop("RAY_ADDRESS", None)  # the app's Jobs API address is not for this process
    t = time.perf_counter()
    import ray
    import ray._private.auto_init_hook as auto_init
    import ray.data  # noqa: F401 - the bulk of the start-up time

    from ..main import configure_data_context
    from .local_exec import allow_without_cluster
    from .run import run_preview  # noqa: F401 - imported now, not on the first request

    # What would need a cluster (ray.put, ray.get, a remote call) raises instead of quietly
    # starting a local Ray (read at each call; RAY_ENABLE_AUTO_CONNECT=0 works only before
    # `import ray`, which the etl_runtime package has already done).
    auto_init.enable_auto_connect = False
    allow_without_cluster()
    configure_data_context()
    return {"rayVersion": ray.__version__, "importMs": round((time.perf_counter() - t) * 1000, 1)}


_WARM_MODULE = '''
import ray
from ray.data.expressions import col
import etl_runtime as rt
from etl_runtime import fn

NODES = {"read": "read-parquet", "add": "add-column", "keep": "udf-filter", "sort": "sort"}
PRESERVE_ORDER = True

def build_preview(read_sample):
    ds_read = read_sample(WARM_PATH)
    ds_add = ds_read.with_column("b", fn.div(col("a"), col("a")))
    ds_keep = ds_add.map_batches(rt.udf_filter("keep", "def keep(batch):\\n    return batch['a'] > 0\\n"), batch_format="pandas", batch_size=None)
    ds_sort = ds_keep.sort(["a"], descending=[True])
    return ds_sort
'''


def _warm_up() -> float:
    """One tiny preview through every code path, so the first real request is warm."""
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    from .run import run_preview

    t = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="etl-preview-warm-") as d:
        path = os.path.join(d, "warm.parquet")
        pq.write_table(pa.table({"a": pa.array([3, 1, 2], pa.int64())}), path)
        module = _WARM_MODULE.replace("WARM_PATH", repr(path))
        run_preview({"nodeId": "sort", "module": module, "rows": 3,
                     "source": {"path": path, "columns": None, "files": [{"path": path, "rows": 3, "partition": {}}]}})
    return (time.perf_counter() - t) * 1000


def _handle(req: Dict[str, Any]) -> Dict[str, Any]:
    from .run import PreviewError, run_preview

    op = req.get("op")
    rid = req.get("id")
    try:
        if op == "ping":
            return {"id": rid, "ok": True, "result": {"pid": os.getpid()}}
        if op == "preview":
            return {"id": rid, "ok": True, "result": run_preview(req)}
        return {"id": rid, "ok": False, "error": {"code": "BAD_REQUEST", "message": f"unknown op {op!r}"}}
    except PreviewError as e:
        return {"id": rid, "ok": False, "error": e.to_json()}
    except Exception as e:  # noqa: BLE001 - a worker bug: report, keep serving
        traceback.print_exc(file=sys.stderr)
        return {"id": rid, "ok": False, "error": {"code": "INTERNAL", "message": f"{type(e).__name__}: {e}", "nodeId": None, "line": None}}


def _request_waiting(wait_s: float = 0.1) -> bool:
    """Whether a request arrives on stdin within `wait_s` (nothing has been read from it yet):
    a server with a preview queued sends it as soon as it reads the ready line."""
    import select

    try:
        return bool(select.select([sys.stdin], [], [], wait_s)[0])
    except (OSError, ValueError):
        return False


def main() -> int:
    _protect_stdout()
    started = time.perf_counter()
    info = _load_ray()
    info["startMs"] = round((time.perf_counter() - started) * 1000, 1)
    watchdog = Watchdog(threading.main_thread().ident)
    watchdog.start()
    _send({"type": "ready", "pid": os.getpid(), **info})
    if not _request_waiting():
        try:
            print(f"preview worker: warmed up in {_warm_up():.0f} ms", file=sys.stderr)
        except Exception:  # noqa: BLE001 - the first real request will say what is wrong
            traceback.print_exc(file=sys.stderr)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except ValueError as e:
            _send({"id": None, "ok": False, "error": {"code": "BAD_REQUEST", "message": f"not JSON: {e}"}})
            continue
        watchdog.watch(req.get("id"), req.get("timeoutMs"))
        try:
            resp = _handle(req)
        finally:
            watchdog.watch(None, None)
        try:
            _send(resp)
        except ValueError as e:  # e.g. a value json cannot encode: a bug in rows.py
            _send({"id": req.get("id"), "ok": False, "error": {"code": "INTERNAL", "message": f"unencodable result: {e}"}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
