"""Failures on a real Ray leave nothing behind: a UDF that raises mid-way fails the run with
its node and line and leaves the previous output untouched; mode=error on an existing
output fails before any work."""
import copy
import hashlib
import json
from pathlib import Path

from conftest import ROOT, clean_out

EXAMPLE = json.loads((ROOT / "examples" / "reviews.pipeline.json").read_text())


def snapshot(path: Path) -> dict:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def pipeline(out_path: str, keep_source: str, mode: str = "overwrite", pid: str = "failing") -> dict:
    doc = copy.deepcopy(EXAMPLE)
    doc["id"] = pid
    for n in doc["nodes"]:
        if n["id"] == "keep":
            n["params"]["source"] = keep_source
        if n["id"] == "out":
            n["params"]["path"] = out_path
            n["params"]["mode"] = mode
    return doc


GOOD = 'def keep(batch):\n    return batch["total_votes"] > 0\n'
BAD = (
    "def keep(batch):\n"
    "    mask = batch[\"total_votes\"] > 0\n"
    "    if (batch[\"product_category\"] == \"Books\").any():\n"
    "        raise ValueError(\"no books today\")\n"
    "    return mask\n"
)


def test_udf_raising_midway_keeps_previous_output(etl, base_dir, tmp_path):
    out = clean_out(base_dir, "failing")
    first = etl.run_doc(pipeline("out/failing", GOOD), tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(out)
    assert before

    res = etl.run_doc(pipeline("out/failing", BAD), tmp_path)
    assert res.returncode != 0
    assert "node keep" in res.stderr and "line 4" in res.stderr and "no books today" in res.stderr, res.stderr
    assert snapshot(out) == before, "the previous output changed"
    assert [p.name for p in out.parent.iterdir() if "etl-" in p.name] == [], "staging leftovers"


def test_mode_error_on_existing_output_fails_before_any_work(etl, base_dir, tmp_path):
    out = clean_out(base_dir, "exists")
    out.mkdir(parents=True)
    (out / "keep.txt").write_text("previous")
    res = etl.run_doc(pipeline("out/exists", GOOD, mode="error", pid="exists"), tmp_path)
    assert res.returncode != 0
    assert "node out" in res.stderr and "already exists" in res.stderr, res.stderr
    # no stage ran: the progress display printed nothing
    assert "rows" not in res.stdout, res.stdout
    assert snapshot(out) == {"keep.txt": hashlib.sha256(b"previous").hexdigest()}
