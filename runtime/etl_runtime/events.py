"""Run events on stdout: one `ETL_EVENT {json}` line per event, flushed.

The server tails the job's stdout and parses these lines; everything else on stdout is log.
`emit(type, **fields)` always prints (run-level events are rare and must never be lost).
`emit_throttled(key, state, type, **fields)` is for high-frequency progress (stage events):
per key it lets through at most one event per `MIN_INTERVAL_S` (4/s), except that a change of
`state` (and `force=True`, used for final events) always goes out.

`ETL_EVENTS=0` in the environment disables all output (to measure event overhead).
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
from typing import Any, Callable, Dict, Optional, Tuple

PREFIX = "ETL_EVENT "
MIN_INTERVAL_S = 0.25

_lock = threading.Lock()


def enabled() -> bool:
    """Events are on unless ETL_EVENTS=0 (read each time so tests can toggle it)."""
    return os.environ.get("ETL_EVENTS", "1") != "0"


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN/inf -> None, tuples -> lists, numpy scalars -> python."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        try:
            return _clean(value.item())
        except (TypeError, ValueError):
            return str(value)
    return value


def format_event(type: str, fields: Dict[str, Any], ts: Optional[float] = None) -> str:
    """The exact line printed for an event (without newline)."""
    body = {"type": type, "ts": round(time.time() if ts is None else ts, 3)}
    body.update(fields)
    return PREFIX + json.dumps(_clean(body), separators=(",", ":"), default=str, allow_nan=False)


def emit(type: str, **fields: Any) -> None:
    """Print one event line to stdout and flush (no throttling)."""
    if not enabled():
        return
    line = format_event(type, fields)
    with _lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Throttle:
    """Per-key rate limiter: allow if forced, if the state changed, or if the interval passed."""

    def __init__(self, min_interval_s: float = MIN_INTERVAL_S, clock: Callable[[], float] = time.monotonic):
        self.min_interval_s = min_interval_s
        self.clock = clock
        self._last: Dict[str, Tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, state: Any = None, force: bool = False) -> bool:
        now = self.clock()
        with self._lock:
            last = self._last.get(key)
            ok = (
                force
                or last is None
                or last[1] != state
                or now - last[0] >= self.min_interval_s
            )
            if ok:
                self._last[key] = (now, state)
            return ok

    def reset(self) -> None:
        with self._lock:
            self._last.clear()


_throttle = Throttle()


def emit_throttled(key: str, state: Any, type: str, force: bool = False, **fields: Any) -> bool:
    """Emit unless throttled for `key` (the event carries `state`); returns whether it went out."""
    if not _throttle.allow(key, state, force):
        return False
    emit(type, state=state, **fields)
    return True
