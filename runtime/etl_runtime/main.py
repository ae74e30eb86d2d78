"""Entry points of a generated script: `require_runtime`, `path`, `Plan` and `main(plan, build)`.

`main` runs one pipeline: emit run-started; connect to Ray; configure the DataContext
(progress bars off, preserve_order, progress callback); call `build` once with a planning
`Run` that only records the writes, and preflight them (so mode=error on an existing path
fails before any data is read); call `build(run)` for real, which stages every sink; commit
all sinks; emit run-succeeded and exit 0. On any error (or SIGTERM from `ray job stop`):
discard staging, emit run-failed with the node, message and traceback, exit 1.

Ray connection: `RAY_ADDRESS` if set (a job submitted through the Jobs API always has it);
otherwise a fresh local instance (`address="local"`, never some other cluster that happens to
run on the machine; `ETL_RAY_NUM_CPUS` bounds it). Outside a Ray job the driver ships this
package to workers as a `py_modules` runtime_env entry.
Other environment: `ETL_BASE_DIR` (relative paths), `ETL_RUN_ID` (names the staging dirs),
`ETL_EVENTS=0` (no events).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
import uuid
from typing import Callable, Optional

from . import events, progress
from .failure import describe
from .plan import Plan
from .version import __version__
from .writes import Run, WriteError

__all__ = ["require_runtime", "path", "Plan", "main", "configure_data_context", "Cancelled"]


class Cancelled(BaseException):
    """Raised in the driver on SIGTERM (e.g. `ray job stop`) so the run cleans up."""


def require_runtime(version: str) -> None:
    """Fail clearly if this runtime's major.minor differs from the one the script targets."""
    want, have = str(version).split(".")[:2], __version__.split(".")[:2]
    if want != have:
        raise RuntimeError(
            f"this script was generated for etl_runtime {version}, but {__version__} is installed; "
            f"regenerate the script or ship the matching runtime"
        )


def path(p: str) -> str:
    """URIs (s3://...) and absolute paths unchanged; relative paths joined to $ETL_BASE_DIR
    (default: the current directory)."""
    if "://" in p or os.path.isabs(p):
        return p
    return os.path.normpath(os.path.join(os.environ.get("ETL_BASE_DIR") or os.getcwd(), p))


def _init_ray() -> bool:
    """Connect to or start Ray; True if this call initialised it (so main owns it)."""
    import ray

    if ray.is_initialized():
        return False
    kwargs = {}
    if not os.environ.get("RAY_JOB_CONFIG_JSON_ENV_VAR"):  # not a Jobs API driver
        import etl_runtime

        kwargs["runtime_env"] = {"py_modules": [etl_runtime]}
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **kwargs)
    else:
        cpus = os.environ.get("ETL_RAY_NUM_CPUS")
        ray.init(address="local", include_dashboard=False, num_cpus=int(cpus) if cpus else None, **kwargs)
    return True


def sort_partitions(cluster_cpus: float, ray_default: int) -> int:
    """Partitions of a sort whose input size Ray cannot estimate: two per CPU of the cluster
    (at least 2), never more than Ray's own default. Ray 2.60's parquet reads (ListFiles ->
    ReadFiles) give no size estimate, so every sort of a read falls back to
    `default_hash_shuffle_parallelism` (200): 200 sample/map splits per block and 200 reduce
    tasks, and up to 200 small output files, for a few thousand rows on 2 CPUs."""
    return max(2, min(int(ray_default), 2 * int(cluster_cpus)))


def configure_data_context(ctx=None, preserve_order: bool = False):
    """The DataContext settings every run uses (the preview worker must use the same):
    progress bars off (events replace them), `preserve_order`, classic numpy-backed pandas
    batches for UDFs (Ray 2.60 defaults to Arrow-backed pandas dtypes, on which ordinary
    pandas code such as `batch["x"] % 2` raises NotImplementedError), and, once Ray is
    connected, sort partitions from the cluster's CPUs (`sort_partitions`) unless
    RAY_DATA_DEFAULT_MIN_PARALLELISM sets them."""
    from ray.data.context import DataContext

    ctx = ctx or DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.execution_options.preserve_order = bool(preserve_order)
    ctx.enable_arrow_backed_pandas_conversion = False
    cpus = _cluster_cpus()
    if cpus and "RAY_DATA_DEFAULT_MIN_PARALLELISM" not in os.environ:
        from ray.data.context import DEFAULT_MIN_PARALLELISM

        ctx.default_hash_shuffle_parallelism = sort_partitions(cpus, DEFAULT_MIN_PARALLELISM)
    return ctx


def _cluster_cpus() -> float:
    """CPUs of the connected Ray cluster; 0 if Ray is not initialised or reports none."""
    try:
        import ray

        return float(ray.cluster_resources().get("CPU", 0)) if ray.is_initialized() else 0.0
    except Exception:
        return 0.0


def _configure(plan: Plan) -> None:
    progress.activate(plan, configure_data_context(preserve_order=plan.preserve_order))


def _on_sigterm(signum, frame):
    raise Cancelled("cancelled (SIGTERM)")


def _shutdown_ray() -> None:
    try:
        import ray

        if ray.is_initialized():
            ray.shutdown()
    except Exception:
        traceback.print_exc()


def main(plan: Plan, build: Callable[[Run], None], *, exit: bool = True) -> int:
    """Run the pipeline; returns (or exits with) 0 on success, 1 on failure, 143 if cancelled."""
    started = time.time()
    run_id = os.environ.get("ETL_RUN_ID") or uuid.uuid4().hex[:12]
    events.emit("run-started", runId=run_id, runtime=__version__, **plan.to_event())
    previous_handler = None
    if threading.current_thread() is threading.main_thread():
        previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
    run: Optional[Run] = None
    owns_ray = False
    try:
        owns_ray = _init_ray()
        _configure(plan)
        planning = Run(plan, run_id, planning=True)
        build(planning)
        missing = [s for s in plan.sinks if s not in {t.node for t in planning.targets}]
        if missing:
            raise WriteError(missing[0], "declared as a sink but build() never writes it")
        planning.preflight()
        events.emit("preflight-ok", writes=[{"nodeId": t.node, "path": t.path, "mode": t.mode} for t in planning.targets])
        run = Run(plan, run_id)
        build(run)
        rows = run.commit()
        events.emit("run-succeeded", rowsWritten=rows, seconds=round(time.time() - started, 3))
        code = 0
    except (Exception, KeyboardInterrupt, Cancelled) as exc:
        if run is not None:
            run.discard()
        sink = next((t.node for t in reversed(run.targets) if not t.staged), None) if run else None
        fields = describe(exc, build, progress.failed_stage(sink) if sink else None)
        if isinstance(exc, Cancelled):
            fields["cancelled"] = True
        fields["seconds"] = round(time.time() - started, 3)
        events.emit("run-failed", **fields)
        traceback.print_exc(file=sys.stderr)
        if run is not None and owns_ray:  # stop straggling write tasks, then discard their files
            _shutdown_ray()
            run.discard()
        code = 143 if isinstance(exc, Cancelled) else 1
    finally:
        try:
            progress.deactivate()
        except Exception:
            pass
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
    if exit:
        sys.stdout.flush()
        sys.exit(code)
    return code
