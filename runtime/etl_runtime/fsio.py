"""The filesystem seam for staged writes: resolve a path, and the few operations a commit needs.

`resolve(path)` gives a pyarrow filesystem + path (Ray writes through the same filesystem).
`storage_for(location)` gives the `Storage` that implements exists/list/move/delete for it.
Local paths: moving a directory is one atomic rename (`Storage.atomic_move`). S3 has no
rename: `S3Storage` copies objects server-side and deletes them; writes.py commits S3 targets
in two phases (copy every staged object in, then delete the replaced ones), see writes.py.
A location may name an S3 connection (`connection=`): its filesystem comes from `s3.py`.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from functools import cached_property
from typing import List, Optional

import pyarrow.fs as pafs

from . import s3


@dataclass(frozen=True)
class Location:
    uri: str  # as the script gave it
    path: str  # path inside `fs`
    scheme: str  # "file", "s3", ...
    connection: Optional[str] = None  # an S3 connection name (settings in the job's env)

    @cached_property
    def fs(self) -> pafs.FileSystem:
        """Created on first use: resolving an S3 filesystem may call the network."""
        if self.local:
            return pafs.LocalFileSystem()
        if self.connection is not None:
            return s3.filesystem(self.connection)
        if self.scheme in ("s3", "s3a"):
            return s3.default_filesystem()
        return pafs.FileSystem.from_uri(self.uri)[0]

    @property
    def local(self) -> bool:
        return self.scheme == "file"

    @property
    def parent(self) -> str:
        return posixpath.dirname(self.path.rstrip("/"))

    @property
    def name(self) -> str:
        return posixpath.basename(self.path.rstrip("/"))

    def sibling(self, name: str) -> str:
        return posixpath.join(self.parent, name)


def resolve(path: str, connection: Optional[str] = None) -> Location:
    if "://" in path:
        scheme, rest = path.split("://", 1)
        scheme = scheme.lower()
        if scheme == "file":
            return Location(path, os.path.abspath(rest), "file")
        return Location(path, rest.rstrip("/"), scheme, connection)  # bucket/key, as pyarrow's S3 wants it
    return Location(path, os.path.abspath(path), "file")


class Storage:
    """Operations on one filesystem. The local implementation uses pyarrow's LocalFileSystem,
    whose `move` is a rename (atomic for a file or a whole directory on one volume)."""

    atomic_move = True  # move() of a directory is one rename

    def __init__(self, fs: pafs.FileSystem):
        self.fs = fs

    def kind(self, path: str) -> str:
        """"missing" | "file" | "dir"."""
        t = self.fs.get_file_info(path).type
        return {pafs.FileType.NotFound: "missing", pafs.FileType.Directory: "dir"}.get(t, "file")

    def exists(self, path: str) -> bool:
        return self.kind(path) != "missing"

    def makedirs(self, path: str) -> None:
        self.fs.create_dir(path, recursive=True)

    def move(self, src: str, dst: str) -> None:
        self.fs.move(src, dst)

    def delete(self, path: str) -> None:
        k = self.kind(path)
        if k == "dir":
            self.fs.delete_dir(path)
        elif k == "file":
            self.fs.delete_file(path)

    def list_files(self, path: str) -> List[str]:
        """Files under `path` (recursive), as paths relative to it, sorted."""
        infos = self.fs.get_file_info(pafs.FileSelector(path, recursive=True, allow_not_found=True))
        root = path.rstrip("/") + "/"
        return sorted(i.path[len(root) :] for i in infos if i.type == pafs.FileType.File)

    def open_input(self, path: str):
        return self.fs.open_input_file(path)


class S3Storage(Storage):
    """S3 through pyarrow: "directories" are key prefixes (they exist while an object does),
    `copy` is a server-side CopyObject, and nothing is atomic across objects."""

    atomic_move = False

    def makedirs(self, path: str) -> None:
        pass  # prefixes need no marker objects (readers would see them as empty entries)

    def copy(self, src: str, dst: str) -> None:
        self.fs.copy_file(src, dst)

    def delete_file(self, path: str) -> None:
        self.fs.delete_file(path)

    def move(self, src: str, dst: str) -> None:
        if self.kind(src) == "dir":
            for rel in self.list_files(src):
                self.move(posixpath.join(src, rel), posixpath.join(dst, rel))
            self.delete(src)
        else:
            self.fs.copy_file(src, dst)
            self.fs.delete_file(src)

    def bucket_exists(self, bucket: str) -> bool:
        return self.fs.get_file_info(bucket).type != pafs.FileType.NotFound


def storage_for(location: Location) -> Storage:
    if location.local:
        return Storage(location.fs)
    if location.scheme in ("s3", "s3a"):
        return S3Storage(location.fs)
    raise NotImplementedError(
        f"staged writes to {location.scheme}:// are not supported (local paths and s3:// only): {location.uri}"
    )
