"""The disk holding a pipeline's output fills up mid-write, on a real Ray: the run fails with a
clear error pinned to the write node, the previous output stays byte-for-byte what it was (and
still reads as the DuckDB computation), and no staged or partial files are left behind.

The output directory is its own tmpfs, mounted for the test (the test runs as root, as the
integration suite does in this container; a loop-mounted ext4 image is the fallback), sized
from what the first run wrote so that the second, larger run cannot fit."""
import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest

from runs_helpers import pipeline
from test_acceptance import assert_acceptance_output, expected_rows, read_output

# keeps every row (the acceptance filter keeps about a quarter): about four times the output
KEEP_ALL = 'def keep(batch):\n    return batch["total_votes"] >= 0\n'


def snapshot(path: Path) -> dict:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def used_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


@pytest.fixture
def small_disk(tmp_path):
    """A directory on a filesystem of its own; yields (dir, resize(bytes)). Unmounted after."""
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(mnt)], capture_output=True, text=True)
    if res.returncode == 0:
        def resize(size: int) -> None:
            subprocess.run(["mount", "-o", f"remount,size={size}", str(mnt)], check=True, capture_output=True)
    else:  # no tmpfs mounts allowed: a loop-mounted ext4 image, re-made at the new size
        image = tmp_path / "disk.img"
        loop = subprocess.run(["sh", "-c", f"truncate -s 64M {image} && mkfs.ext4 -q -m 0 {image} && mount -o loop {image} {mnt}"],
                              capture_output=True, text=True)
        assert loop.returncode == 0, f"cannot mount a small filesystem: tmpfs: {res.stderr.strip()}; loop: {loop.stderr.strip()}"

        def resize(size: int) -> None:  # ext4 can grow online but not shrink: fill the rest instead
            free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
            filler = free - max(0, size - used_bytes(mnt))
            if filler > 0:
                subprocess.run(["fallocate", "-l", str(filler), str(mnt / ".filler")], check=True)
    try:
        yield mnt, resize
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_fails_the_write_clearly_and_keeps_the_previous_output(etl, base_dir, small_disk, tmp_path):
    mnt, resize = small_disk
    out = mnt / "out"
    first = etl.run_doc(pipeline("disk-full", str(out)), tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    want = expected_rows(base_dir / "data" / "reviews")
    assert_acceptance_output(read_output(out), want)
    before = snapshot(out)
    used = used_bytes(mnt)
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    # room for what is there plus half of it again: the next run writes about four times as much
    resize(used + max(written // 2, 64 * 1024))
    free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize

    t0 = time.time()
    res = etl.run_doc(pipeline("disk-full", str(out), KEEP_ALL), tmp_path)
    print(f"first output {written} bytes; {free} bytes free for the second run, which failed after {time.time() - t0:.1f}s:\n{res.stderr}")
    assert res.returncode != 0, res.stdout + res.stderr
    assert "node out" in res.stderr, res.stderr
    assert "No space left on device" in res.stderr, res.stderr
    assert str(out) in res.stderr, res.stderr  # names what it was writing

    # the previous output: the same files, byte for byte, and still the DuckDB rows
    assert snapshot(out) == before, "the previous output changed"
    assert_acceptance_output(read_output(out), want)
    # nothing staged or partial left next to it, and the space is free again
    assert sorted(p.name for p in mnt.iterdir() if p.name not in ("lost+found", ".filler")) == ["out"], list(mnt.iterdir())
    assert used_bytes(mnt) <= used + 64 * 1024, (used_bytes(mnt), used)
