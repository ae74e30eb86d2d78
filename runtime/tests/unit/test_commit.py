"""writes (no Ray): preflight, commit per mode, rollback when a commit step fails, discard."""
import os
from pathlib import Path

import pytest

from etl_runtime import writes
from etl_runtime.fsio import Storage, resolve, storage_for
from etl_runtime.writes import WriteError, commit, make_target, preflight


def tree(path: Path) -> dict:
    if path.is_file():
        return {".": path.read_text()}
    return {str(p.relative_to(path)): p.read_text() for p in sorted(path.rglob("*")) if p.is_file()}


def hidden(parent: Path) -> list:
    return sorted(p.name for p in parent.iterdir() if ".etl-" in p.name)


def staged(tmp_path: Path, node: str, name: str, mode: str, files: dict, run_id="r1", fmt="parquet"):
    t = make_target(node, str(tmp_path / name), fmt, mode, run_id)
    stage = Path(t.staging)
    stage.mkdir(parents=True)
    for rel, text in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(text)
    t.staged, t.rows = True, len(files)
    return t


def previous(tmp_path: Path, name: str, files: dict) -> Path:
    d = tmp_path / name
    for rel, text in files.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text)
    return d


def test_staging_layout_is_hidden_next_to_the_target(tmp_path):
    t = make_target("out", str(tmp_path / "out" / "reviews"), "csv", "overwrite", "abc")
    assert t.staging == str(tmp_path / "out" / ".reviews.etl-staging-abc")
    assert t.old == str(tmp_path / "out" / ".reviews.etl-old-abc")
    t2 = make_target("out", str(tmp_path / "out" / "reviews") + "/", "csv", "overwrite", "abc")
    assert t2.staging == t.staging


def test_invalid_format_mode_or_path():
    with pytest.raises(WriteError, match="format"):
        make_target("o", "/tmp/x", "avro", "error", "r")
    with pytest.raises(WriteError, match="mode"):
        make_target("o", "/tmp/x", "csv", "ignore", "r")
    with pytest.raises(WriteError, match="root"):
        make_target("o", "/", "csv", "error", "r")


def test_preflight_mode_error_on_existing_target_names_the_node(tmp_path):
    previous(tmp_path, "out", {"a.parquet": "old"})
    t = make_target("sink1", str(tmp_path / "out"), "parquet", "error", "r")
    with pytest.raises(WriteError) as info:
        preflight([t])
    assert info.value.node_id == "sink1" and "already exists" in str(info.value)
    preflight([make_target("sink1", str(tmp_path / "other"), "parquet", "error", "r")])  # absent: fine


def test_preflight_other_checks(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(WriteError, match="append needs a directory"):
        preflight([make_target("a", str(tmp_path / "file"), "csv", "append", "r")])
    with pytest.raises(WriteError, match="parent .* is a file"):
        preflight([make_target("a", str(tmp_path / "file" / "sub"), "csv", "overwrite", "r")])
    same = [make_target("a", str(tmp_path / "o"), "csv", "overwrite", "r"), make_target("b", str(tmp_path / "o"), "json", "overwrite", "r")]
    with pytest.raises(WriteError, match="also written by node a"):
        preflight(same)
    with pytest.raises(WriteError, match="not supported"):
        preflight([make_target("gs", "gs://bucket/prefix/out", "csv", "overwrite", "r")])


def test_commit_error_mode_renames_staging_in(tmp_path):
    t = staged(tmp_path, "o", "out", "error", {"p-0.parquet": "new0", "p-1.parquet": "new1"})
    commit([t])
    assert tree(tmp_path / "out") == {"p-0.parquet": "new0", "p-1.parquet": "new1"}
    assert hidden(tmp_path) == []


def test_commit_error_mode_refuses_a_target_that_appeared(tmp_path):
    t = staged(tmp_path, "o", "out", "error", {"p.parquet": "new"})
    previous(tmp_path, "out", {"x": "someone else"})
    with pytest.raises(WriteError, match="appeared"):
        commit([t])
    assert tree(tmp_path / "out") == {"x": "someone else"}
    assert hidden(tmp_path) == [Path(t.staging).name]  # main() discards it


def test_commit_overwrite_swaps_and_deletes_the_old_output(tmp_path):
    previous(tmp_path, "out", {"old-0.parquet": "old", "sub/old-1.parquet": "old"})
    t = staged(tmp_path, "o", "out", "overwrite", {"new.parquet": "new"})
    commit([t])
    assert tree(tmp_path / "out") == {"new.parquet": "new"}
    assert hidden(tmp_path) == []


def test_commit_overwrite_of_a_single_file_target(tmp_path):
    (tmp_path / "out").write_text("old file")
    t = staged(tmp_path, "o", "out", "overwrite", {"new.csv": "new"})
    commit([t])
    assert tree(tmp_path / "out") == {"new.csv": "new"}


def test_commit_overwrite_creates_missing_parents(tmp_path):
    t = make_target("o", str(tmp_path / "a" / "b" / "out"), "csv", "overwrite", "r1")
    os.makedirs(t.staging)
    Path(t.staging, "f.csv").write_text("x")
    t.staged = True
    commit([t])
    assert tree(tmp_path / "a" / "b" / "out") == {"f.csv": "x"}


def test_commit_append_moves_files_in_with_unique_names(tmp_path):
    previous(tmp_path, "out", {"part-0.json": "old", "r1-part-0.json": "clash"})
    t = staged(tmp_path, "o", "out", "append", {"part-0.json": "new0", "k=1/part-1.json": "new1"})
    commit([t])
    assert tree(tmp_path / "out") == {
        "part-0.json": "old",
        "r1-part-0.json": "clash",
        "r1-1-part-0.json": "new0",
        "k=1/r1-part-1.json": "new1",
    }
    assert hidden(tmp_path) == []


def test_commit_append_creates_the_directory(tmp_path):
    t = staged(tmp_path, "o", "out", "append", {"part-0.json": "new"})
    commit([t])
    assert tree(tmp_path / "out") == {"r1-part-0.json": "new"}


class FailingStorage(Storage):
    """Fails the n-th move (1-based) of the whole commit."""

    def __init__(self, fs, counter, fail_at):
        super().__init__(fs)
        self.counter, self.fail_at = counter, fail_at

    def move(self, src, dst):
        self.counter[0] += 1
        if self.counter[0] == self.fail_at:
            raise OSError(f"disk on fire moving {src}")
        super().move(src, dst)


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4, 5])
def test_a_failing_commit_step_undoes_every_sink(tmp_path, fail_at):
    old_a = {"a.parquet": "old a"}
    old_c = {"c.json": "old c"}
    previous(tmp_path, "a", old_a)
    previous(tmp_path, "c", old_c)
    targets = [
        staged(tmp_path, "A", "a", "overwrite", {"new.parquet": "new a"}),  # moves 1 (old aside), 2 (staging in)
        staged(tmp_path, "B", "b", "error", {"new.csv": "new b"}, fmt="csv"),  # move 3
        staged(tmp_path, "C", "c", "append", {"p0.json": "x", "p1.json": "y"}, fmt="json"),  # moves 4, 5
    ]
    counter = [0]
    with pytest.raises(OSError, match="disk on fire"):
        commit(targets, storage=lambda loc: FailingStorage(loc.fs, counter, fail_at))
    assert tree(tmp_path / "a") == old_a
    assert not (tmp_path / "b").exists()
    assert tree(tmp_path / "c") == old_c
    # staging is intact (main() discards it); nothing else is left behind
    assert sorted(hidden(tmp_path)) == sorted(Path(t.staging).name for t in targets)
    for t in targets:
        assert len(list(Path(t.staging).rglob("*.*"))) == t.rows


def test_commit_needs_everything_staged(tmp_path):
    t = make_target("o", str(tmp_path / "out"), "csv", "overwrite", "r")
    with pytest.raises(WriteError, match="nothing staged"):
        commit([t])


def test_discard_removes_staging_only(tmp_path):
    previous(tmp_path, "out", {"keep.parquet": "old"})
    t = staged(tmp_path, "o", "out", "overwrite", {"new.parquet": "new"})
    writes.discard_one(t)
    writes.discard_one(t)  # idempotent
    assert hidden(tmp_path) == [] and tree(tmp_path / "out") == {"keep.parquet": "old"}


def test_resolve_and_storage_seam(tmp_path):
    loc = resolve(str(tmp_path / "x"))
    assert loc.local and loc.path == str(tmp_path / "x") and loc.name == "x"
    assert resolve("file://" + str(tmp_path / "y")).path == str(tmp_path / "y")
    st = storage_for(loc)
    assert st.kind(loc.path) == "missing"
    st.makedirs(loc.path + "/d")
    Path(loc.path, "d", "f").write_text("1")
    assert st.kind(loc.path) == "dir" and st.list_files(loc.path) == ["d/f"]
    with pytest.raises(NotImplementedError):
        storage_for(resolve("gs://bucket/key"))
    # s3:// without a connection: the default chain, built without any network call
    assert type(storage_for(resolve("s3://bucket/key"))).__name__ == "S3Storage"



HOSTILE_NAMES = ["it's\\here\n", 'tab\there "q"', "cr\r\nlf", "plain ✓ #;?%20", "end;", "end?", "a;b?c", "x?;?"]


def _ray_resolves(path: str) -> str:
    from ray.data.datasource.path_util import _resolve_paths_and_filesystem
    import pyarrow.fs as pafs

    [resolved], _ = _resolve_paths_and_filesystem(path, pafs.LocalFileSystem())
    return resolved


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_staging_path_survives_rays_path_resolution(tmp_path, name):
    # Ray Data resolves write paths with urllib, which deletes tabs and line breaks and drops
    # an empty ;params/?query: the staging dir Ray is given must come back unchanged, or Ray
    # writes somewhere else than where the rows are counted and committed from
    t = make_target("out", str(tmp_path / '"q"' / name), "csv", "overwrite", "r1")
    assert _ray_resolves(t.staging) == t.staging
    assert t.location.name == name  # the target itself keeps its exact name
    assert os.path.basename(t.staging).startswith(".") and t.staging.endswith(".etl-staging-r1")


@pytest.mark.parametrize("tail", HOSTILE_NAMES + ["ok", "a;b", "a?b", "a#b", "%0A", "a;b;c?d;e", "?", ";"])
def test_ray_keeps_path_agrees_with_ray(tail):
    for path in (f"/tmp/x/{tail}", f"/tmp/{tail}/y", f"/tmp/{tail}/.y.etl-staging-r"):
        assert writes.ray_keeps_path(path) == (_ray_resolves(path) == path), path


def test_staging_names_stay_apart_when_only_line_breaks_differ(tmp_path):
    a, b = (make_target("out", str(tmp_path / n), "csv", "overwrite", "r") for n in ("a\n", "a\t"))
    assert a.staging != b.staging
    assert make_target("out", str(tmp_path / "plain"), "csv", "overwrite", "r").staging == str(tmp_path / ".plain.etl-staging-r")


def test_a_line_break_in_a_parent_directory_is_refused(tmp_path):
    with pytest.raises(WriteError, match="Ray Data cannot write under this directory"):
        make_target("sink", str(tmp_path / "a\nb" / "out"), "csv", "error", "r")


class _FillsTheDisk:
    """A dataset whose write fails as Ray Data's does when the disk fills: the task's OSError
    (errno 28) kept as `.cause` of the error the driver sees, after a partial file was written."""

    def __init__(self, error: BaseException):
        self.error = error

    def write_parquet(self, path, filesystem=None):
        os.makedirs(path, exist_ok=True)
        (Path(path) / "part-0.parquet").write_bytes(b"partial")
        raise self.error


def _ray_like(inner: BaseException) -> BaseException:
    outer = RuntimeError("ray.data.exceptions.SystemException")
    outer.cause = inner  # what RayTaskError carries
    return outer


@pytest.mark.parametrize("inner, words", [
    (OSError(28, "Error writing bytes to file. Detail: [errno 28] No space left on device"), "No space left on device"),
    (OSError(122, "Disk quota exceeded"), "Disk quota exceeded"),
    (RuntimeError("ray::Write() ... OSError: [Errno 28] No space left on device"), "No space left on device"),  # text only
])
def test_a_full_disk_while_staging_is_a_write_error_naming_the_sink_and_path(tmp_path, inner, words):
    from etl_runtime.plan import Plan

    run = writes.Run(Plan("p", {"src": "read-parquet", "out": "write"}, sinks={"out": ["src", "out"]}), "r1")
    with pytest.raises(WriteError) as info:
        run.write(_FillsTheDisk(_ray_like(inner)), node="out", path=str(tmp_path / "out"), format="parquet", mode="overwrite")
    assert info.value.node_id == "out"
    assert str(info.value) == f"write out: {words} writing {tmp_path / 'out'}"
    run.discard()
    assert hidden(tmp_path) == [] and not (tmp_path / "out").exists()


def test_other_staging_failures_pass_through_unchanged(tmp_path):
    from etl_runtime.plan import Plan

    run = writes.Run(Plan("p", {"src": "read-parquet", "out": "write"}, sinks={"out": ["src", "out"]}), "r1")
    boom = _ray_like(PermissionError(13, "Permission denied"))
    with pytest.raises(RuntimeError) as info:
        run.write(_FillsTheDisk(boom), node="out", path=str(tmp_path / "out"))
    assert info.value is boom
    assert writes.storage_full(boom) is None
