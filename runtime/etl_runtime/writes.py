"""All-or-nothing writes: stage every sink in a hidden directory, commit only after all succeed.

Layout, for a target `<parent>/<name>` and run id R:
  `<parent>/.<name>.etl-staging-R/`  Ray writes the sink here (hidden: readers skip dot-files);
                                     unless Ray's path handling would change that path (a tab,
                                     a line break, ';?' in <name>: see `ray_keeps_path`); then
                                     `.<name with those as _>-<hash>.etl-staging-R/`
  `<parent>/.<name>.etl-old-R`       the previous output while an overwrite swaps it out
Commit, once every sink is staged (a journal of renames is undone if any step fails):
  error     -> rename staging to target (fails if the target exists by now)
  overwrite -> rename the old target aside, rename staging in; old copies deleted at the end
  append    -> move each staged file into the target dir as `<R>-<file>` (dir created if absent)
On failure nothing is visible in the targets: staging is deleted, old outputs stay in place.
A full disk (or quota) while staging is a WriteError of the sink naming its path
(`storage_full`): Ray Data reports it as an OSError deep inside a task error or as a bare
`SystemException`, neither of which says which output filled the disk.

S3 targets (no rename on S3) stage the same way and commit in two phases: s3_commit.py.

`Run` is what generated scripts see: `run.write(ds, node=..., path=..., format=..., mode=...)`.
A planning Run (`planning=True`) only records targets, so `main` can preflight every write
(mode=error on an existing path) before any data is read.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import posixpath
import uuid
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import urlparse

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import events, progress, s3, s3_commit
from .errors import _chain, _text
from .fsio import Location, S3Storage, Storage, resolve, storage_for
from .plan import Plan

log = logging.getLogger(__name__)

FORMATS = ("parquet", "csv", "json")
MODES = ("error", "overwrite", "append")


class WriteError(Exception):
    """A write that cannot go ahead (preflight) or could not be committed; names the node."""

    def __init__(self, node_id: str, message: str):
        super().__init__(f"write {node_id}: {message}")
        self.node_id = node_id


_STORAGE_FULL = {errno.ENOSPC: "No space left on device", errno.EDQUOT: "Disk quota exceeded"}


def storage_full(exc: BaseException) -> Optional[str]:
    """"No space left on device" / "Disk quota exceeded" if that is what `exc` comes down to:
    an OSError with that errno anywhere in its chain (Ray keeps the task's OSError as `.cause`),
    else the same words in the (remote) traceback text; None otherwise."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _STORAGE_FULL:
            return _STORAGE_FULL[e.errno]
    text = _text(exc)
    return next((m for m in _STORAGE_FULL.values() if m in text), None)


def ray_keeps_path(path: str) -> bool:
    """Does Ray Data write to `path` itself? Ray 2.60 resolves every write path with
    `urllib.parse.urlparse` and glues the parts back together (ray/data/datasource/path_util.py,
    `_unwrap_protocol`): urllib deletes tabs and line breaks anywhere, and an empty `;params`
    or `?query` is dropped ("out/a\n" -> "out/a", "out/a;?b" -> "out/a?b"). Ray then writes
    somewhere else than the directory we stage in and count."""
    u = urlparse(path, allow_fragments=False)
    rebuilt = u.netloc + u.path + (";" + u.params if u.params else "") + ("?" + u.query if u.query else "")
    return not u.scheme and rebuilt == path


def _ray_safe_name(name: str) -> str:
    """`name` with the characters Ray's path handling may change replaced by `_`, plus a hash
    of the original (so "a\n" and "a\t" still stage apart)."""
    safe = "".join("_" if ch in "\t\r\n;?" else ch for ch in name)
    return f"{safe}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


@dataclass
class Target:
    node: str
    path: str
    format: str
    mode: str
    location: Location
    run_id: str
    staged: bool = False
    rows: int = 0
    connection: Optional[str] = None

    @property
    def staging(self) -> str:
        staging = self.location.sibling(f".{self.location.name}.etl-staging-{self.run_id}")
        if ray_keeps_path(staging):
            return staging
        return self.location.sibling(f".{_ray_safe_name(self.location.name)}.etl-staging-{self.run_id}")

    @property
    def old(self) -> str:
        return self.location.sibling(f".{self.location.name}.etl-old-{self.run_id}")


def make_target(node: str, path: str, format: str, mode: str, run_id: str, connection: Optional[str] = None) -> Target:
    if format not in FORMATS:
        raise WriteError(node, f"format must be one of {FORMATS}, got {format!r}")
    if mode not in MODES:
        raise WriteError(node, f"mode must be one of {MODES}, got {mode!r}")
    if not path:
        raise WriteError(node, "empty path")
    location = resolve(path, connection)
    if not location.name:
        raise WriteError(node, f"cannot write to the root of a filesystem: {path!r}")
    if not location.local and "/" not in location.path:
        raise WriteError(node, f"cannot write to the root of a bucket: {path!r}; name a prefix, e.g. s3://bucket/out")
    target = Target(node, path, format, mode, location, run_id, connection=connection)
    if not ray_keeps_path(target.staging):
        raise WriteError(node, "Ray Data cannot write under this directory: its path has a tab, a line break "
                               f"or ';' before '?', which Ray's path handling changes: {path!r}")
    return target


def preflight(targets: List[Target], storage: Callable[[Location], Storage] = storage_for) -> None:
    """Fail before any work if a write cannot succeed."""
    seen: Dict[Tuple[str, str], str] = {}
    for t in targets:
        try:
            st = storage(t.location)
        except NotImplementedError as e:
            raise WriteError(t.node, str(e)) from None
        except s3.ConnectionError_ as e:
            raise WriteError(t.node, str(e)) from None
        key = (t.location.scheme, t.location.path)
        if key in seen:
            raise WriteError(t.node, f"{t.path} is also written by node {seen[key]}")
        seen[key] = t.node
        try:
            if isinstance(st, S3Storage):
                s3_commit.preflight(t, st)
            kind = st.kind(t.location.path)
            parent_kind = st.kind(t.location.parent)
        except OSError as e:
            raise WriteError(t.node, f"cannot check {t.path}: {s3.describe_error(e) if not t.location.local else e}") from None
        if t.mode == "error" and kind != "missing":
            raise WriteError(t.node, f"{t.path} already exists (mode=error); choose overwrite or append")
        if t.mode == "append" and kind == "file":
            raise WriteError(t.node, f"{t.path} is a file; append needs a directory")
        if parent_kind == "file":
            raise WriteError(t.node, f"the parent of {t.path} is a file")


def _ray_write(ds, t: Target) -> None:
    fs, path = t.location.fs, t.staging
    if t.format == "parquet":
        ds.write_parquet(path, filesystem=fs)
    elif t.format == "csv":
        ds.write_csv(path, filesystem=fs)
    else:
        ds.write_json(path, filesystem=fs)


def count_rows(st: Storage, directory: str, format: str) -> int:
    """Rows in the files Ray wrote: parquet footers; JSON lines; CSV parsed (header excluded)."""
    total = 0
    for rel in st.list_files(directory):
        full = posixpath.join(directory, rel)
        with st.open_input(full) as f:
            if format == "parquet":
                total += pq.ParquetFile(f).metadata.num_rows
            elif format == "json":
                total += _count_lines(f)
            else:
                reader = pacsv.open_csv(f, parse_options=pacsv.ParseOptions(newlines_in_values=True))
                total += sum(batch.num_rows for batch in reader)
    return total


def _count_lines(f, chunk: int = 1 << 22) -> int:
    """Records in a JSON-lines file: newlines, plus a last line without one."""
    n, last = 0, b"\n"
    while True:
        data = f.read(chunk)
        if not data:
            return n + (0 if last == b"\n" else 1)
        n += data.count(b"\n")
        last = data[-1:]


def stage(ds, t: Target, st: Storage) -> int:
    """Write `ds` into the target's staging dir; returns the rows written."""
    st.delete(t.staging)  # a leftover of a retried run with the same id
    _ray_write(ds, t)
    if not st.exists(t.staging):  # Ray writes no file for an empty dataset
        st.makedirs(t.staging)
    t.staged = True
    t.rows = count_rows(st, t.staging, t.format)
    return t.rows


def _unique(st: Storage, directory: str, rel: str, run_id: str) -> str:
    head, name = posixpath.split(rel)
    candidate = posixpath.join(directory, head, f"{run_id}-{name}")
    n = 1
    while st.exists(candidate):
        candidate = posixpath.join(directory, head, f"{run_id}-{n}-{name}")
        n += 1
    return candidate


def commit(targets: List[Target], storage: Callable[[Location], Storage] = storage_for) -> None:
    """Make every staged target visible, or none (the renames and copies done so far are undone)."""
    journal: List[Tuple[Storage, str, str]] = []  # (storage, src, dst) moves done
    created: List[Tuple[Storage, str]] = []
    olds: List[Tuple[Storage, str]] = []
    copied: List[Tuple[Storage, str]] = []  # S3 phase 1
    replaced: List[Tuple[Storage, str]] = []  # S3 phase 2

    def move(st: Storage, src: str, dst: str) -> None:
        st.move(src, dst)
        journal.append((st, src, dst))

    try:
        for t in targets:
            if not t.staged:
                raise WriteError(t.node, "nothing staged to commit")
            st, target = storage(t.location), t.location.path
            if not st.atomic_move:
                s3_commit.copy_in(t, st, copied, replaced, created)
                continue
            if not st.exists(t.location.parent):
                st.makedirs(t.location.parent)
            if t.mode == "error":
                if st.exists(target):
                    raise WriteError(t.node, f"{t.path} appeared during the run (mode=error)")
                move(st, t.staging, target)
            elif t.mode == "overwrite":
                if st.exists(target):
                    move(st, target, t.old)
                    olds.append((st, t.old))
                move(st, t.staging, target)
            else:
                if not st.exists(target):
                    st.makedirs(target)
                    created.append((st, target))
                for rel in st.list_files(t.staging):
                    dst = _unique(st, target, rel, t.run_id)
                    parent = posixpath.dirname(dst)
                    if not st.exists(parent):
                        st.makedirs(parent)
                    move(st, posixpath.join(t.staging, rel), dst)
    except BaseException:
        for st, dst in reversed(copied):
            try:
                st.delete_file(dst)
            except Exception:
                log.exception("could not undo the copy to %s", dst)
        for st, src, dst in reversed(journal):
            try:
                st.move(dst, src)
            except Exception:  # keep undoing the rest; report the original error
                log.exception("could not undo %s -> %s", src, dst)
        for st, d in created:
            try:
                if not st.list_files(d):
                    st.delete(d)
            except Exception:
                log.exception("could not remove %s", d)
        raise
    for st, old in olds:
        try:
            st.delete(old)
        except Exception:
            log.exception("committed, but could not delete the previous output %s", old)
    try:
        s3_commit.delete_replaced(targets, replaced)
    finally:
        for t in targets:
            if t.mode == "append" or not storage(t.location).atomic_move:
                discard_one(t, storage)


def discard_one(t: Target, storage: Callable[[Location], Storage] = storage_for) -> None:
    try:
        storage(t.location).delete(t.staging)
    except NotImplementedError:
        pass


class Run:
    """Passed to the generated `build(run)`; collects the sinks' staged writes."""

    def __init__(self, plan: Plan, run_id: Optional[str] = None, planning: bool = False,
                 storage: Callable[[Location], Storage] = storage_for):
        self.plan = plan
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self.planning = planning
        self.storage = storage
        self.targets: List[Target] = []

    @property
    def rows_written(self) -> Dict[str, int]:
        return {t.node: t.rows for t in self.targets}

    def write(self, ds, node: str, path: str, format: str = "parquet", mode: str = "error",
              connection: Optional[str] = None) -> int:
        """Stage `ds` as sink `node`; returns the rows written (0 when planning)."""
        if self.plan.sinks and node not in self.plan.sinks:
            raise WriteError(node, f"not a sink of the plan (sinks: {sorted(self.plan.sinks)})")
        if any(t.node == node for t in self.targets):
            raise WriteError(node, "written twice in one run")
        t = make_target(node, path, format, mode, self.run_id, connection)
        self.targets.append(t)
        if self.planning:
            return 0
        st = self.storage(t.location)
        with progress.executing_sink(node):
            try:
                rows = stage(ds, t, st)
            except Exception as exc:
                full = storage_full(exc)
                if full is None:
                    raise
                raise WriteError(node, f"{full} writing {t.path}") from exc
        progress.sink_staged(node, rows)
        return rows

    def preflight(self, targets: Optional[List[Target]] = None) -> None:
        preflight(self.targets if targets is None else targets, self.storage)

    def commit(self) -> Dict[str, int]:
        commit(self.targets, self.storage)
        for t in self.targets:
            events.emit("sink-committed", nodeId=t.node, path=t.path, format=t.format, mode=t.mode, rows=t.rows)
        return self.rows_written

    def discard(self) -> None:
        """Delete every staging dir of this run (idempotent; never touches targets)."""
        for t in self.targets:
            try:
                discard_one(t, self.storage)
            except Exception:
                log.exception("could not delete staging %s", t.staging)
