"""events: the ETL_EVENT line format, ETL_EVENTS=0, and the per-key throttle."""
import json

from etl_runtime import events


def parse(out: str):
    lines = [l for l in out.splitlines() if l.startswith(events.PREFIX)]
    return [json.loads(l[len(events.PREFIX):]) for l in lines]


def test_emit_prints_one_compact_json_line(capsys):
    events.emit("run-started", pipelineId="p", nodes=["a", "b"], n=float("nan"))
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("ETL_EVENT {")
    assert ", " not in out and ": " not in out  # compact separators
    (ev,) = parse(out)
    assert ev["type"] == "run-started" and ev["pipelineId"] == "p" and ev["nodes"] == ["a", "b"]
    assert ev["n"] is None  # NaN is not JSON
    assert isinstance(ev["ts"], float)
    assert list(ev)[:2] == ["type", "ts"]


def test_numpy_values_and_unknown_objects_are_serialised(capsys):
    import numpy as np

    events.emit("x", a=np.int64(3), b=np.float64(1.5), c=object(), d=(1, 2))
    (ev,) = parse(capsys.readouterr().out)
    assert ev["a"] == 3 and ev["b"] == 1.5 and isinstance(ev["c"], str) and ev["d"] == [1, 2]


def test_events_can_be_disabled(capsys, monkeypatch):
    monkeypatch.setenv("ETL_EVENTS", "0")
    events.emit("run-started")
    assert events.emit_throttled("k", "running", "stage") is True  # allowed, just not printed
    assert capsys.readouterr().out == ""


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_throttle_at_most_four_per_second_per_key():
    clock = Clock()
    th = events.Throttle(0.25, clock)
    allowed = 0
    for i in range(100):  # 100 updates over one second
        clock.t = 100.0 + i * 0.01
        allowed += th.allow("stage-1", "running")
    assert 4 <= allowed <= 5  # the first, then one per 0.25 s
    assert th.allow("stage-2", "running")  # keys are independent


def test_throttle_lets_state_changes_and_forced_events_through():
    clock = Clock()
    th = events.Throttle(0.25, clock)
    assert th.allow("s", "running")
    assert not th.allow("s", "running")
    assert th.allow("s", "succeeded")  # state change
    assert th.allow("s", "succeeded", force=True)  # final events
    assert not th.allow("s", "succeeded")
    clock.t += 0.3
    assert th.allow("s", "succeeded")


def test_emit_throttled_carries_state(capsys):
    assert events.emit_throttled("k", "running", "stage", nodes=["n1"], rowsOut=1)
    assert not events.emit_throttled("k", "running", "stage", nodes=["n1"], rowsOut=2)
    assert events.emit_throttled("k", "succeeded", "stage", nodes=["n1"], rowsOut=3)
    evs = parse(capsys.readouterr().out)
    assert [(e["state"], e["rowsOut"]) for e in evs] == [("running", 1), ("succeeded", 3)]
