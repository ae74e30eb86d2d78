#!/usr/bin/env python3
"""Deterministic synthetic copy of the Amazon Customer Reviews parquet dataset.

Writes DIR/product_category=<Cat>/part-NNNNN.parquet (hive-partitioned, nothing but parquet
files). Same --seed, --rows and --files-per-partition => byte-identical files. Fully
vectorised (numpy + pyarrow compute), so millions of rows take seconds.

    python scripts/gen_reviews.py --rows 2000000 --out data/reviews [--seed 42] [--force]

Nulls (by design, so pipelines meet them): product_title ~1% of products, review_headline
~1%, review_body ~0.5%, total_votes ~0.1% (helpful_votes is null exactly where total_votes
is). All other columns are non-null and written as REQUIRED parquet fields.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SCHEMA = pa.schema([
    pa.field("marketplace", pa.string(), nullable=False),
    pa.field("customer_id", pa.string(), nullable=False),
    pa.field("review_id", pa.string(), nullable=False),
    pa.field("product_id", pa.string(), nullable=False),
    pa.field("product_parent", pa.string(), nullable=False),
    pa.field("product_title", pa.string()),
    pa.field("star_rating", pa.int32(), nullable=False),
    pa.field("helpful_votes", pa.int32()),
    pa.field("total_votes", pa.int32()),
    pa.field("vine", pa.bool_(), nullable=False),
    pa.field("verified_purchase", pa.bool_(), nullable=False),
    pa.field("review_headline", pa.string()),
    pa.field("review_body", pa.string()),
    pa.field("review_date", pa.date32(), nullable=False),
    pa.field("year", pa.int32(), nullable=False),
])
PARTITION_KEY = "product_category"

# Uneven category sizes, roughly like the public dataset (Books dominates).
CATEGORIES = {
    "Books": 0.24, "Electronics": 0.12, "Wireless": 0.10, "Home": 0.09, "Apparel": 0.08,
    "Kitchen": 0.07, "Beauty": 0.07, "Health_Personal_Care": 0.06, "Toys": 0.05,
    "Sports": 0.05, "Video_DVD": 0.04, "Grocery": 0.03,
}
MARKETPLACES = {"US": 0.60, "UK": 0.12, "DE": 0.10, "JP": 0.07, "FR": 0.06, "CA": 0.03,
                "IN": 0.01, "IT": 0.01}
STAR_WEIGHTS = [0.10, 0.05, 0.08, 0.18, 0.59]  # 1..5 stars
NULL_TITLE, NULL_HEADLINE, NULL_BODY, NULL_VOTES = 0.01, 0.01, 0.005, 0.001
ROW_GROUP_ROWS = 100_000
ROWS_PER_FILE = 250_000  # default split of large partitions
FIRST_DAY = np.datetime64("1999-01-01", "D")
LAST_DAY = np.datetime64("2015-08-31", "D")  # the public dataset ends in Aug 2015
ID_ALPHABET = np.frombuffer(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", dtype=np.uint8)  # 32 symbols
B36 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)

BRANDS = ["Anker", "Acme", "Northwind", "Lumina", "Everstone", "Kestrel", "Brightline", "Oakhurst",
          "Polar Peak", "Vantage", "Zephyr", "Redwood & Co.", "Solace", "Trailmark", "Nimbus", "Orbit"]
ADJECTIVES = ["Premium", "Deluxe", "Compact", "Portable", "Classic", "Heavy Duty", "Ultra Slim",
              "Eco-Friendly", "Professional", "Rechargeable", "Stainless Steel", "Wireless",
              "Lightweight", "Adjustable", "Waterproof", "Vintage", "Organic", "Ergonomic"]
NOUNS = {
    "Books": ["Novel", "Cookbook", "Field Guide", "Memoir", "Biography", "Workbook", "Anthology"],
    "Electronics": ["Bluetooth Speaker", "HDMI Cable", "Headphones", "Power Bank", "Webcam"],
    "Wireless": ["Phone Case", "Car Charger", "Screen Protector", "Charging Cable", "Phone Mount"],
    "Home": ["Throw Pillow", "Curtain Set", "Storage Basket", "Wall Clock", "Area Rug"],
    "Apparel": ["T-Shirt", "Hoodie", "Running Shorts", "Wool Socks", "Rain Jacket"],
    "Kitchen": ["Chef Knife", "Cast Iron Skillet", "French Press", "Cutting Board", "Blender"],
    "Beauty": ["Face Serum", "Hair Dryer", "Lip Balm", "Nail Polish Set", "Makeup Brush Set"],
    "Health_Personal_Care": ["Vitamin D3", "Electric Toothbrush", "Heating Pad", "Fish Oil"],
    "Toys": ["Building Blocks", "Puzzle", "Plush Bear", "Remote Control Car", "Board Game"],
    "Sports": ["Yoga Mat", "Water Bottle", "Resistance Bands", "Tennis Balls", "Bike Light"],
    "Video_DVD": ["DVD Box Set", "Blu-ray", "Documentary DVD", "Complete Season DVD"],
    "Grocery": ["Green Tea", "Coffee Beans", "Dark Chocolate", "Olive Oil", "Trail Mix"],
}
EXTRAS = ["with USB-C Cable", "- 2 Pack", "(Black, Large)", "for Kids and Adults", "- Gift Edition",
          "(Pack of 6)", "with Carrying Case", "- 2nd Edition", "for Home and Office",
          "(Blue, Medium)", "- Travel Size", "with Lifetime Warranty"]
HEADLINES = [  # by star rating 1..5
    ["One Star", "Waste of money", "Broke after a week", "Do not buy", "Terrible", "Very disappointed"],
    ["Two Stars", "Not great", "Cheaply made", "Disappointing", "Would not buy again"],
    ["Three Stars", "It's okay", "Average", "Decent for the price", "Mixed feelings"],
    ["Four Stars", "Good product", "Pretty good", "Works well", "Nice, with one flaw"],
    ["Five Stars", "Love it!", "Great product", "Excellent", "Exactly as described", "Highly recommend",
     "Perfect", "Best purchase this year", "Five Stars", "Five Stars"],
]
OPENERS = {
    "neg": ["Unfortunately", "Sadly", "To be honest", "After two weeks", "Honestly"],
    "mid": ["Overall", "For the price", "In general", "So far", "All in all"],
    "pos": ["Honestly", "Without a doubt", "From day one", "So far", "Overall"],
}
SUBJECTS = ["this product", "the quality", "the build", "the packaging", "the design", "the seller",
            "shipping", "the price", "my daughter", "my husband", "the instructions", "the size"]
PREDICATES = {
    "neg": ["was a real letdown", "fell apart quickly", "did not match the description",
            "stopped working after a few days", "felt cheap and flimsy", "was not worth the money"],
    "mid": ["was fine but nothing special", "did the job", "was acceptable", "could be better",
            "met my basic expectations", "was a bit smaller than I expected"],
    "pos": ["exceeded my expectations", "is absolutely fantastic", "works perfectly",
            "was exactly what I needed", "feels really solid", "arrived quickly and well packed"],
}
SHORT = {"neg": ["Avoid.", "Returned it.", "Meh."], "mid": ["It's ok.", "Fine."],
         "pos": ["Great!", "Love it.", "Perfect.", "Would buy again!"]}


@dataclass(frozen=True)
class FileTask:
    cat_index: int
    category: str
    file_index: int
    rows: int
    first_row: int  # global row offset, used for unique review ids


def fixed_width_strings(values: np.ndarray, width: int, alphabet: np.ndarray, prefix: bytes = b"") -> pa.Array:
    """Encode non-negative integers as fixed-width strings (most significant symbol first)."""
    n, base = len(values), np.uint64(len(alphabet))
    chars = np.empty((n, len(prefix) + width), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    v = values.astype(np.uint64, copy=True)
    for j in range(width - 1, -1, -1):
        chars[:, len(prefix) + j] = alphabet[(v % base).astype(np.intp)]
        v //= base
    w = chars.shape[1]
    offsets = np.arange(n + 1, dtype=np.int32) * w
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


def scramble(i: np.ndarray, bits: int) -> np.ndarray:
    """A bijection on [0, 2**bits): distinct inputs give distinct, random-looking outputs."""
    mask = np.uint64((1 << bits) - 1)
    x = (i.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)) & mask
    x ^= x >> np.uint64(bits // 2)
    return (x * np.uint64(0xBF58476D1CE4E5B9)) & mask


def with_nulls(arr: pa.Array, rng: np.random.Generator, fraction: float) -> pa.Array:
    mask = pa.array(rng.random(len(arr)) < fraction)
    return pc.if_else(mask, pa.scalar(None, arr.type), arr)


def build_sentences(rng: np.random.Generator) -> tuple[list[pa.Array], float]:
    """Sentence pools per sentiment (neg, mid, pos), each built once from templates."""
    pools = []
    for mood in ("neg", "mid", "pos"):
        out = []
        for _ in range(1500):
            if rng.random() < 0.08:
                out.append(SHORT[mood][rng.integers(len(SHORT[mood]))])
                continue
            s = f"{SUBJECTS[rng.integers(len(SUBJECTS))]} {PREDICATES[mood][rng.integers(len(PREDICATES[mood]))]}."
            if rng.random() < 0.4:
                s = f"{OPENERS[mood][rng.integers(len(OPENERS[mood]))]}, {s}"
            out.append(s[0].upper() + s[1:])
        pools.append(pa.array(out, pa.string()))
    mean_len = float(np.mean([len(s) for p in pools for s in p.to_pylist()])) + 1
    return pools, mean_len


def product_pool(seed: int, cat_index: int, category: str, partition_rows: int) -> dict[str, pa.Array]:
    """Products of one category: ids, parents and titles shared by all files of the partition."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, cat_index)))
    p = max(10, partition_rows // 5)
    ids = fixed_width_strings(scramble((np.uint64(cat_index) << np.uint64(32)) + np.arange(p, dtype=np.uint64), 36),
                              7, B36, b"B00")
    parents = fixed_width_strings(rng.integers(100_000_000, 999_999_999, size=max(1, p // 2)), 9, DIGITS)
    parents = parents.take(pa.array(rng.integers(0, len(parents), size=p)))

    def pick(words: list[str], prob: float = 1.0) -> pa.Array:
        arr = pa.array(words, pa.string()).take(pa.array(rng.integers(0, len(words), size=p)))
        return arr if prob >= 1.0 else with_nulls(arr, rng, 1.0 - prob)

    titles = pc.binary_join_element_wise(
        pick(BRANDS), pick(ADJECTIVES), pick(ADJECTIVES, 0.3), pick(NOUNS[category]), pick(EXTRAS, 0.5),
        pick(EXTRAS, 0.15), " ", null_handling="skip")
    return {"ids": ids, "parents": parents, "titles": with_nulls(titles, rng, NULL_TITLE)}


def generate_file(task: FileTask, seed: int, products: dict[str, pa.Array],
                  sentences: tuple[list[pa.Array], float]) -> pa.Table:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2, task.cat_index, task.file_index)))
    n = task.rows
    markets = np.array(list(MARKETPLACES), dtype=object)
    w = np.array(list(MARKETPLACES.values()))
    marketplace = pa.array(markets[rng.choice(len(markets), size=n, p=w / w.sum())], pa.string())
    customer_id = fixed_width_strings(rng.integers(10_000_000, 53_100_000, size=n), 8, DIGITS)
    review_id = fixed_width_strings(scramble(np.arange(task.first_row, task.first_row + n, dtype=np.uint64), 60),
                                    12, ID_ALPHABET, b"R")
    # popularity skew: a few products collect most reviews
    prod = pa.array((len(products["ids"]) * rng.random(n) ** 2.5).astype(np.int64))
    star = (rng.choice(5, size=n, p=STAR_WEIGHTS) + 1).astype(np.int32)

    # votes: most reviews have none; a long tail reaches thousands
    voted = rng.random(n) < 0.45
    total = np.where(voted, np.minimum(np.floor(rng.pareto(1.1, size=n) * 2 + 1), 25_000), 0).astype(np.int32)
    helpful = rng.binomial(total, rng.beta(4, 2, size=n)).astype(np.int32)
    no_votes = rng.random(n) < NULL_VOTES

    # review dates: exponential growth towards 2015 (inverse CDF of exp(k t) on [0, T])
    span = int((LAST_DAY - FIRST_DAY).astype(int))
    k = 0.4 / 365
    days = np.floor(np.log1p(rng.random(n) * math.expm1(k * span)) / k).astype(np.int64)
    dates = FIRST_DAY + days.astype("timedelta64[D]")
    year = dates.astype("datetime64[Y]").astype(np.int32) + 1970
    verified = rng.random(n) < np.where(year >= 2010, 0.85, 0.55)
    vine = rng.random(n) < 0.012

    hl_sizes = np.array([len(h) for h in HEADLINES])
    hl_start = np.concatenate([[0], np.cumsum(hl_sizes)[:-1]])
    hl_flat = pa.array([h for hs in HEADLINES for h in hs], pa.string())
    hl_idx = hl_start[star - 1] + np.floor(rng.random(n) * hl_sizes[star - 1]).astype(np.int64)
    headline = with_nulls(hl_flat.take(pa.array(hl_idx)), rng, NULL_HEADLINE)

    # bodies: log-normal target length (median ~150 chars), filled with whole sentences
    pools, mean_len = sentences
    target = np.minimum(rng.lognormal(math.log(150), 1.1, size=n), 15_000)
    count = np.maximum(1, np.rint(target / mean_len)).astype(np.int32)
    mood = np.where(star <= 2, 0, np.where(star == 3, 1, 2))
    flat_pool = pa.concat_arrays(pools)
    pool_size = len(pools[0])
    sent_idx = np.repeat(mood * pool_size, count) + rng.integers(0, pool_size, size=int(count.sum()))
    offsets = np.concatenate([[0], np.cumsum(count)]).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), flat_pool.take(pa.array(sent_idx)))
    body = with_nulls(pc.binary_join(lists, " "), rng, NULL_BODY)

    columns = [
        marketplace, customer_id, review_id, products["ids"].take(prod), products["parents"].take(prod),
        products["titles"].take(prod), pa.array(star),
        pa.array(helpful, mask=no_votes), pa.array(total, mask=no_votes),
        pa.array(vine), pa.array(verified), headline, body, pa.array(dates, pa.date32()), pa.array(year),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def plan_files(rows: int, seed: int, files_per_partition: int | None) -> list[FileTask]:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    sizes = rng.multinomial(rows, list(CATEGORIES.values()))
    tasks, first = [], 0
    for ci, (cat, size) in enumerate(zip(CATEGORIES, sizes)):
        size = int(size)
        if size == 0:
            continue
        nfiles = files_per_partition or math.ceil(size / ROWS_PER_FILE)
        nfiles = max(1, min(nfiles, size))
        for fi, part in enumerate(np.array_split(np.arange(size), nfiles)):
            tasks.append(FileTask(ci, cat, fi, len(part), first))
            first += len(part)
    return tasks


def write_dataset(rows: int, out: Path, seed: int = 42, files_per_partition: int | None = None,
                  threads: int | None = None) -> tuple[int, int]:
    """Write the dataset into `out` (which must not exist). Returns (files, bytes)."""
    tasks = plan_files(rows, seed, files_per_partition)
    sentences = build_sentences(np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(3,))))
    part_rows: dict[int, int] = {}
    for t in tasks:
        part_rows[t.cat_index] = part_rows.get(t.cat_index, 0) + t.rows
    pools = {ci: product_pool(seed, ci, list(CATEGORIES)[ci], r) for ci, r in part_rows.items()}

    def one(task: FileTask) -> int:
        table = generate_file(task, seed, pools[task.cat_index], sentences)
        d = out / f"{PARTITION_KEY}={task.category}"
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"part-{task.file_index:05d}.parquet"
        # the page index lets footer-aware readers (previews, sample rows) fetch only first pages
        pq.write_table(table, path, row_group_size=ROW_GROUP_ROWS, compression="snappy",
                       write_page_index=True)
        return path.stat().st_size

    # pyarrow and most numpy kernels release the GIL: threads give real parallelism, and each
    # file has its own seed, so the output does not depend on scheduling.
    with ThreadPoolExecutor(max_workers=threads or min(4, os.cpu_count() or 1)) as pool:
        sizes = list(pool.map(one, tasks))
    return len(tasks), sum(sizes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--files-per-partition", type=int, default=None,
                    help=f"files per category (default: one per {ROWS_PER_FILE:,} rows)")
    ap.add_argument("--force", action="store_true", help="replace a non-empty --out")
    args = ap.parse_args(argv)
    if args.rows < 0 or (args.files_per_partition is not None and args.files_per_partition < 1):
        ap.error("--rows must be >= 0 and --files-per-partition >= 1")
    out: Path = args.out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not args.force:
        print(f"error: {out} exists and is not empty (use --force to replace it)", file=sys.stderr)
        return 2

    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    # A hidden sibling on the same filesystem: readers skip dot-dirs, and rename is atomic.
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    try:
        files, nbytes = write_dataset(args.rows, tmp, args.seed, args.files_per_partition)
        tmp.mkdir(exist_ok=True)  # rows == 0 still yields an (empty) dataset directory
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        else:
            tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    secs = time.perf_counter() - start
    print(f"wrote {args.rows:,} rows, {files} files, {nbytes:,} bytes to {out} in {secs:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
