"""One preview: load a generated preview module, build its dataset on a sample, run it here.

The module (server/compiler/preview.ts) holds the same per-node code as the pipeline's
script and defines `build_preview(read_sample)`, where the script would call
`ray.data.read_parquet(path, partitioning=...)`. `read_sample` answers with
`local_exec.dataset_from_arrow(<the first rows of the source>)` (what `ray.data.from_arrow`
builds, without a cluster); `local_exec.execute` runs the Dataset in this process.
When a filter leaves fewer rows than asked for and the source has more, the sample grows
(x10, up to `maxSourceRows`) and the preview runs again.

    result = run_preview(request)   # {"columns", "rows", "sampleRows", "sourceRowsRead", ...}
"""
from __future__ import annotations

import hashlib
import json
import linecache
import os
import time
import types
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Tuple

from .. import s3
from ..errors import find_udf_error
from ..failure import MAX_MESSAGE, describe, trim
from ..main import configure_data_context
from ..opmap import map_operators
from .local_exec import OperatorFailed, UnsupportedOperator, dataset_from_arrow, execute
from .rows import to_rows
from .sample import SourceFile, read_sample

_MODULES: "OrderedDict[str, types.ModuleType]" = OrderedDict()
_MAX_MODULES = 64


class PreviewError(Exception):
    """A preview that failed in a way the user can act on: `code`, node, message, line."""

    def __init__(self, code: str, message: str, node_id: Optional[str] = None, line: Optional[int] = None,
                 traceback: Optional[List[str]] = None):
        super().__init__(message)
        self.code, self.message, self.node_id, self.line = code, message, node_id, line
        self.traceback = traceback or []

    def to_json(self) -> Dict[str, Any]:
        return {"code": self.code, "message": self.message[:MAX_MESSAGE], "nodeId": self.node_id, "line": self.line,
                "traceback": self.traceback}


def module_filename(node_id: str) -> str:
    return f"<preview {node_id}>"


def load_module(source: str, node_id: str) -> types.ModuleType:
    """The preview module, executed once per distinct source (kept for the last 64)."""
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    mod = _MODULES.get(key)
    if mod is not None:
        _MODULES.move_to_end(key)
        return mod
    filename = module_filename(node_id)
    # Registered so tracebacks and failure.build_node (which reads the `# [id]` comments) see it.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    mod = types.ModuleType(f"etl_preview_{key[:12]}")
    mod.__file__ = filename
    exec(compile(source, filename, "exec"), mod.__dict__)
    _MODULES[key] = mod
    while len(_MODULES) > _MAX_MODULES:
        _MODULES.popitem(last=False)
    return mod


# What Ray raises for ray.put/ray.get/.remote() with no cluster (the worker never starts one).
NO_CLUSTER_MESSAGE = ("Previews run without a Ray cluster, and this calls Ray itself (ray.put, ray.get, "
                      "a remote task or actor), which only works in a run")


def _needs_cluster(exc: BaseException) -> bool:
    seen = set()
    e: Optional[BaseException] = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if type(e).__name__ == "RaySystemError" and "Ray has not been started" in str(e):
            return True
        e = e.__cause__ or e.__context__
    return False


def _error_from(exc: BaseException, build=None, stage: Optional[Dict[str, Any]] = None) -> PreviewError:
    fields = describe(exc, build, stage)
    udf = find_udf_error(exc)
    code = "UDF_ERROR" if udf is not None else ("NODE_ERROR" if fields.get("nodeId") else "PREVIEW_FAILED")
    message = fields.get("message") or f"{type(exc).__name__}: {exc}"
    if _needs_cluster(exc):
        code, message = "PREVIEW_UNSUPPORTED", NO_CLUSTER_MESSAGE + f" ({message})"
    return PreviewError(code, message, fields.get("nodeId"), fields.get("udfLine"), trim(list(fields.get("traceback") or [])))


def run_preview(req: Dict[str, Any]) -> Dict[str, Any]:
    """Answer one preview request (see worker.py for the fields)."""
    table, info = compute_preview(req)
    cols, values = (None, []) if table is None else to_rows(table, info["rows"])
    return {"columns": cols, "rows": values, "sampleRows": len(values), **{k: v for k, v in info.items() if k != "rows"}}


def compute_preview(req: Dict[str, Any]) -> Tuple[Optional[Any], Dict[str, Any]]:
    """The rows after the node as one Arrow table (None: no block came out), and facts.
    The S3 connections the module names (rt.filesystem) are in the environment for this
    request only: the next preview (maybe of another pipeline) does not find them."""
    if req.get("connections"):
        os.environ[s3.ENV_VAR] = json.dumps(req["connections"])
    try:
        return _compute_preview(req)
    finally:
        os.environ.pop(s3.ENV_VAR, None)
        s3._CACHE.clear()


def _compute_preview(req: Dict[str, Any]) -> Tuple[Optional[Any], Dict[str, Any]]:
    t0 = time.perf_counter()
    node_id = str(req["nodeId"])
    rows = max(0, int(req.get("rows", 100)))
    source_rows = max(1, int(req.get("sourceRows") or rows or 1))
    max_source_rows = max(source_rows, int(req.get("maxSourceRows") or source_rows))
    src = req["source"]
    files = [SourceFile.from_json(f) for f in src["files"]]
    columns = src.get("columns")
    want_path = os.path.normpath(str(src["path"]))

    mod = load_module(str(req["module"]), node_id)
    build = getattr(mod, "build_preview")
    chain = [(n, k) for n, k in getattr(mod, "NODES", {}).items()]
    configure_data_context(preserve_order=bool(getattr(mod, "PRESERVE_ORDER", False)))

    timings = {"read": 0.0, "build": 0.0, "execute": 0.0}
    while True:
        state: Dict[str, Any] = {}

        def read_sample_ds(path: str, partitioning=None, filesystem=None, **_ignored):
            # The generated code passes the same path the server listed; anything else is a bug.
            if os.path.normpath(path) != want_path:
                raise RuntimeError(f"preview module reads {path!r} but the sample is of {want_path!r}")
            t = time.perf_counter()
            try:
                table, read = read_sample(files, source_rows, columns, filesystem=filesystem)
            except Exception as e:  # noqa: BLE001 - reported as a source error below
                raise _SourceFailed(e) from e
            timings["read"] += time.perf_counter() - t
            state["read"] = read
            return dataset_from_arrow(table)

        t = time.perf_counter()
        try:
            ds = build(read_sample_ds)
        except _SourceFailed as e:
            raise PreviewError("SOURCE_ERROR", f"Cannot read a sample of {src['path']}: {e.__cause__}", _read_node(chain)) from e
        except Exception as e:  # noqa: BLE001
            raise _error_from(e, build) from e
        timings["build"] += time.perf_counter() - t

        t = time.perf_counter()
        operators: List[str] = []
        try:
            table = execute(ds, on_operator=operators.append)
        except UnsupportedOperator as e:
            raise PreviewError("PREVIEW_UNSUPPORTED", str(e), node_id) from e
        except OperatorFailed as e:
            nodes = _nodes_of(chain, operators, e.operator)
            raise _error_from(e.__cause__, None, {"stage": e.operator, "nodes": nodes}) from e
        timings["execute"] += time.perf_counter() - t

        read = state.get("read")
        out_rows = 0 if table is None else table.num_rows
        if out_rows < rows and read is not None and read.truncated and source_rows < max_source_rows:
            source_rows = min(max_source_rows, source_rows * 10)
            continue
        break

    return table, {
        "rows": rows,
        "outputRows": out_rows,
        "sourceRowsRead": read.rows if read is not None else 0,
        "sourceTruncated": bool(read.truncated) if read is not None else False,
        "timings": {k: round(v * 1000, 2) for k, v in timings.items()},
        "ms": round((time.perf_counter() - t0) * 1000, 2),
    }


class _SourceFailed(Exception):
    pass


def _read_node(chain) -> Optional[str]:
    return next((n for n, k in chain if k == "read-parquet"), None)


def _nodes_of(chain, operators: List[str], failed: str) -> List[str]:
    try:
        mapped = dict(map_operators(chain, operators)) if chain else {}
    except Exception:  # noqa: BLE001 - attribution is best effort
        mapped = {}
    return list(mapped.get(failed, []))
