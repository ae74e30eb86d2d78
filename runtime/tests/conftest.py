"""Shared pytest set-up for the runtime: import path, and one local Ray for the whole session.

Tests that need Ray take the `ray_local` fixture: a local instance (2 CPUs, no dashboard)
started once. Workers import etl_runtime through a py_modules runtime_env, as jobs do.
"""
from __future__ import annotations

import os
import sys

import pytest

RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if RUNTIME_DIR not in sys.path:
    sys.path.insert(0, RUNTIME_DIR)

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")


@pytest.fixture(scope="session")
def ray_local():
    import ray
    from ray.data.context import DataContext

    import etl_runtime

    # Ray waits a fixed 30 s for its raylet; on a saturated 2-core machine that can run out.
    for attempt in range(3):
        if ray.is_initialized():
            break
        try:
            ray.init(
                address="local",
                num_cpus=2,
                include_dashboard=False,
                log_to_driver=False,
                runtime_env={"py_modules": [etl_runtime]},
            )
        except Exception as e:  # noqa: BLE001 - Ray raises a bare Exception for this
            if "timed out during startup" not in str(e) or attempt == 2:
                raise
            ray.shutdown()
    ctx = etl_runtime.configure_data_context(DataContext.get_current())  # as rt.main does
    ctx.default_hash_shuffle_parallelism = 4  # a sort of a few rows: 4 partitions, not 200
    yield ray
    ray.shutdown()


@pytest.fixture(autouse=True)
def _events_on(monkeypatch):
    """Events on and unthrottled state between tests."""
    from etl_runtime import events

    monkeypatch.delenv("ETL_EVENTS", raising=False)
    events._throttle.reset()
    yield
