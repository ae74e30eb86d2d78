"""The S3 side of staged writes (writes.py): preflight checks and the two-phase commit.

S3 has no rename. A target `<parent>/<name>` stages in the hidden sibling prefix
`<parent>/.<name>.etl-staging-<runid>/` like a local one; the commit then
  1. copies (server-side CopyObject) every staged object into the target prefix under a name no
     existing object has (append: `<runid>-<file>`); undone (copies deleted) if any step of any
     sink fails, so the previous output stays complete;
  2. once every sink is in, deletes the objects an overwrite replaces, then the staging prefix.
Why not a manifest: docs/generated-script.md, "S3 commit".
"""
from __future__ import annotations

import posixpath
from typing import List, Tuple

import pyarrow.fs as pafs

from . import s3, writes
from .fsio import S3Storage, Storage


def preflight(t: "writes.Target", st: S3Storage) -> None:
    """The bucket exists and the connection may write under the target's parent: a probe object
    in the (hidden) staging prefix, written and deleted at once."""
    via = f" (connection {t.connection!r})" if t.connection else ""
    bucket, _ = s3.bucket_and_key(t.location.path)
    try:
        try:  # a listing (unlike HEAD) carries S3's error code: wrong key, wrong secret, no bucket
            st.fs.get_file_info(pafs.FileSelector(t.location.path, allow_not_found=False))
        except FileNotFoundError:
            pass
    except OSError as e:
        if "NO_SUCH_BUCKET" in str(e) or "NoSuchBucket" in str(e):
            raise writes.WriteError(t.node, f"bucket {bucket!r} does not exist{via}") from None
        raise writes.WriteError(t.node, f"cannot write to {t.path}{via}: {s3.describe_error(e)}") from None
    try:
        probe = posixpath.join(t.staging, "_etl_probe")
        with st.fs.open_output_stream(probe) as f:
            f.write(b"")
        st.delete_file(probe)
        st.delete(t.staging)  # pyarrow leaves a directory marker when a prefix's last object goes
    except OSError as e:
        raise writes.WriteError(t.node, f"cannot write to {t.path}{via}: {s3.describe_error(e)}") from None


def copy_in(t: "writes.Target", st: Storage, copied: List[Tuple[Storage, str]], replaced: List[Tuple[Storage, str]],
            created: List[Tuple[Storage, str]]) -> None:
    """Phase 1: copy every staged object into the target under a fresh name;
    record the copies (undone on failure), a target prefix that did not exist (removed again
    on failure: pyarrow leaves a "dir/" marker when it deletes a prefix's last object, which
    would make a re-run with mode=error see an existing target) and, for overwrite, the objects
    the copies replace."""
    target = t.location.path
    kind = st.kind(target)
    if t.mode == "error" and kind != "missing":
        raise writes.WriteError(t.node, f"{t.path} appeared during the run (mode=error)")
    if kind == "missing":
        created.append((st, target))
    old = set(st.list_files(target)) if kind == "dir" else set()
    for rel in st.list_files(t.staging):
        dst = posixpath.join(target, rel)
        if t.mode == "append" or rel in old:
            dst = writes._unique(st, target, rel, t.run_id)
        st.copy(posixpath.join(t.staging, rel), dst)
        copied.append((st, dst))
    if t.mode == "overwrite":
        replaced.extend((st, posixpath.join(target, rel)) for rel in sorted(old))
        if kind == "file":
            replaced.append((st, target))


def delete_replaced(targets: List["writes.Target"], replaced: List[Tuple[Storage, str]]) -> None:
    """Phase 2: the new objects are all in; delete the ones they replace."""
    failed = []
    for st, key in replaced:
        for attempt in range(3):
            try:
                st.delete_file(key)
                break
            except FileNotFoundError:
                break
            except OSError:
                if attempt == 2:
                    failed.append(key)
    if failed:
        node = targets[0].node
        raise writes.WriteError(node, f"the new output is in place, but {len(failed)} replaced object(s) could not be "
                               f"deleted (first: {failed[0]}); delete them to restore a clean output")
