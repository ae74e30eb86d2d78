"""A bounded sample of a parquet source, shaped like Ray's `read_parquet(..., partitioning=hive)`.

The server lists the source's files (in Ray's read order: sorted by path, hidden entries
skipped) with their hive partition values; this module reads the first rows of the first
files, row group by row group, stopping at `limit` rows. Partition columns are appended after
the file's columns as strings, as Ray does when no field types are given.

    table, read = read_sample(files, limit=100, columns=["marketplace", "total_votes"])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.parquet as pq


@dataclass(frozen=True)
class SourceFile:
    """One data file of a source: absolute path, row count from its footer, hive partition."""

    path: str
    rows: int
    partition: Dict[str, str]

    @staticmethod
    def from_json(d: dict) -> "SourceFile":
        return SourceFile(str(d["path"]), int(d.get("rows") or 0), {str(k): str(v) for k, v in (d.get("partition") or {}).items()})


@dataclass(frozen=True)
class SampleRead:
    """What a sample read consumed: rows per file (in order) and whether rows were left over."""

    parts: Tuple[Tuple[str, int], ...]
    rows: int
    truncated: bool


# Rows decoded per batch: small batches keep a 100-row sample from decoding a whole row group.
_MAX_BATCH = 65_536


def _open(path: str, filesystem):
    """A local path, or (with a filesystem, e.g. an S3 connection's) `s3://bucket/key`."""
    if filesystem is None:
        return pq.ParquetFile(path)
    return pq.ParquetFile(filesystem.open_input_file(path.split("://", 1)[1] if "://" in path else path))


def read_sample(files: Sequence[SourceFile], limit: int, columns: Optional[Sequence[str]] = None,
                filesystem=None) -> Tuple[pa.Table, SampleRead]:
    """The first `limit` rows of the source (all rows if it has fewer).

    `columns` (optional) names the columns the pipeline reads; others are not decoded. The
    result still has every requested column that exists, in the source's column order.
    """
    if not files:
        raise ValueError("the source has no files")
    want = None if columns is None else set(columns)
    tables: List[pa.Table] = []
    parts: List[Tuple[str, int]] = []
    total = 0
    truncated = False
    for i, f in enumerate(files):
        if total >= limit:
            truncated = truncated or any(g.rows > 0 for g in files[i:])
            break
        pf = _open(f.path, filesystem)
        try:
            file_cols = pf.schema_arrow.names
            read_cols = None if want is None else [c for c in file_cols if c in want]
            if read_cols is not None and not read_cols:
                read_cols = file_cols[:1]  # keep the row count; the projection drops it later
            got = 0
            batches: List[pa.RecordBatch] = []
            for batch in pf.iter_batches(batch_size=max(1, min(limit - total, _MAX_BATCH)), columns=read_cols, use_threads=False):
                take = min(batch.num_rows, limit - total - got)
                batches.append(batch.slice(0, take))
                got += take
                if total + got >= limit:
                    break
            schema = pf.schema_arrow if read_cols is None else pa.schema([pf.schema_arrow.field(c) for c in read_cols])
            table = pa.Table.from_batches(batches, schema=schema)
            if total + got >= limit and got < pf.metadata.num_rows:
                truncated = True
        finally:
            pf.close()
        table = _with_partition_columns(table, f.partition, want)
        tables.append(table)
        parts.append((f.path, got))
        total += got
    if not tables:
        raise ValueError("the source has no files")
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="default")
    return table, SampleRead(tuple(parts), total, truncated)


def _with_partition_columns(table: pa.Table, partition: Dict[str, str], want) -> pa.Table:
    for key, value in partition.items():
        if key in table.column_names or (want is not None and key not in want):
            continue
        table = table.append_column(pa.field(key, pa.string()), pa.array([value] * table.num_rows, pa.string()))
    return table


def list_files(root: str) -> List[SourceFile]:
    """The files of a local source as the server lists them (tests and tools; the worker gets
    the server's list): *.parquet below `root` (or `root` itself), entries whose path relative
    to the root starts with "." or "_" skipped, sorted by path, hive `key=value` directories of
    the whole absolute path as partition values."""
    import os
    from urllib.parse import unquote

    root = os.path.abspath(root)
    if os.path.isfile(root):
        paths = [root]
    else:
        paths = []
        for d, dirs, names in os.walk(root):
            rel = os.path.relpath(d, root)
            dirs[:] = [x for x in dirs if not (rel == "." and x[:1] in "._")]
            for n in names:
                if n.endswith(".parquet") and not (rel == "." and n[:1] in "._"):
                    paths.append(os.path.join(d, n))
        paths.sort(key=lambda p: os.path.relpath(p, root))
    out = []
    for p in paths:
        part: Dict[str, str] = {}
        for seg in os.path.dirname(p).split(os.sep):
            if seg.count("=") == 1:
                k, v = seg.split("=")
                part[k] = unquote(v)
        out.append(SourceFile(p, pq.ParquetFile(p).metadata.num_rows, part))
    return out
