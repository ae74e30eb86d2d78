"""Tests for scripts/gen_reviews.py: the synthetic Amazon reviews dataset every journey reads.

Run: .venv/bin/python -m pytest scripts/tests -q
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "gen_reviews.py"
COLUMNS = ["marketplace", "customer_id", "review_id", "product_id", "product_parent", "product_title",
           "star_rating", "helpful_votes", "total_votes", "vine", "verified_purchase", "review_headline",
           "review_body", "review_date", "year"]


def gen(out: Path, rows: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--rows", str(rows), "--out", str(out), *extra],
                          capture_output=True, text=True)


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "reviews"
    r = gen(out, 20_000, "--seed", "7")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def table(dataset: Path) -> pa.Table:
    return ds.dataset(dataset, format="parquet", partitioning="hive").to_table()


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path):
    for name, seed in [("a", "3"), ("b", "3"), ("c", "4")]:
        assert gen(tmp_path / name, 3000, "--seed", seed, "--files-per-partition", "2").returncode == 0
    a, b, c = (digest(tmp_path / n) for n in "abc")
    assert a == b and len(a) > 12
    assert a != c


def test_file_schema_is_exact_with_nullability(dataset: Path):
    files = sorted(dataset.rglob("*.parquet"))
    expected = pa.schema([
        pa.field("marketplace", pa.string(), False), pa.field("customer_id", pa.string(), False),
        pa.field("review_id", pa.string(), False), pa.field("product_id", pa.string(), False),
        pa.field("product_parent", pa.string(), False), pa.field("product_title", pa.string()),
        pa.field("star_rating", pa.int32(), False), pa.field("helpful_votes", pa.int32()),
        pa.field("total_votes", pa.int32()), pa.field("vine", pa.bool_(), False),
        pa.field("verified_purchase", pa.bool_(), False), pa.field("review_headline", pa.string()),
        pa.field("review_body", pa.string()), pa.field("review_date", pa.date32(), False),
        pa.field("year", pa.int32(), False),
    ])
    for f in files:
        assert pq.read_schema(f).remove_metadata().equals(expected), f


def test_row_count_and_hive_layout(dataset: Path, table: pa.Table):
    assert table.num_rows == 20_000
    assert table.column_names == COLUMNS + ["product_category"]
    files = [p for p in dataset.rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".parquet" for p in files)  # nothing but parquet files
    dirs = sorted(p.name for p in dataset.iterdir())
    assert 10 <= len(dirs) <= 12 and all(d.startswith("product_category=") for d in dirs)
    counts = pc.value_counts(table["product_category"]).to_pylist()
    sizes = sorted(c["counts"] for c in counts)
    assert sizes[-1] > 3 * sizes[0]  # uneven categories
    assert not list(dataset.parent.glob(".reviews.*"))  # temp dir renamed away


def test_distributions_look_like_real_reviews(table: pa.Table):
    markets = {d["values"]: d["counts"] for d in pc.value_counts(table["marketplace"]).to_pylist()}
    assert max(markets, key=markets.get) == "US" and 0.5 < markets["US"] / table.num_rows < 0.7
    assert {"UK", "DE", "JP", "FR"} <= set(markets)
    stars = {d["values"]: d["counts"] for d in pc.value_counts(table["star_rating"]).to_pylist()}
    assert set(stars) == {1, 2, 3, 4, 5} and max(stars, key=stars.get) == 5
    votes = table["total_votes"]
    assert pc.approximate_median(votes).as_py() <= 2
    assert pc.max(votes).as_py() >= 500  # long tail
    body_len = pc.utf8_length(table["review_body"])
    assert 80 <= pc.approximate_median(body_len).as_py() <= 300
    assert pc.max(body_len).as_py() > 2000
    title_len = pc.utf8_length(table["product_title"])
    assert pc.min(title_len).as_py() >= 10 and pc.max(title_len).as_py() <= 130
    assert 0.0 < pc.mean(table["vine"].cast(pa.int8())).as_py() < 0.05
    assert pc.mean(table["verified_purchase"].cast(pa.int8())).as_py() > 0.6
    years = table["year"]
    assert pc.min(years).as_py() >= 1999 and pc.max(years).as_py() == 2015
    assert pc.approximate_median(years).as_py() >= 2012  # skewed recent
    date_years = pc.year(table["review_date"]).cast(pa.int32())
    assert pc.all(pc.equal(date_years, years)).as_py()


def test_ids_look_real_and_review_ids_are_unique(table: pa.Table):
    rid = table["review_id"]
    assert pc.count_distinct(rid).as_py() == table.num_rows
    assert pc.all(pc.match_substring_regex(rid, r"^R[A-Z0-9]{12}$")).as_py()
    assert pc.all(pc.match_substring_regex(table["product_id"], r"^B00[A-Z0-9]{7}$")).as_py()
    assert pc.all(pc.match_substring_regex(table["customer_id"], r"^\d+$")).as_py()
    assert pc.all(pc.match_substring_regex(table["product_parent"], r"^\d+$")).as_py()
    # products repeat (several reviews per product), as in the real data
    assert pc.count_distinct(table["product_id"]).as_py() < table.num_rows / 2


def test_nulls_where_documented(table: pa.Table):
    n = table.num_rows
    for name, lo, hi in [("review_headline", 0.003, 0.03), ("review_body", 0.001, 0.02),
                         ("product_title", 0.0005, 0.05), ("total_votes", 1 / n, 0.005)]:
        assert lo <= table[name].null_count / n <= hi, name
    assert pc.all(pc.equal(pc.is_null(table["helpful_votes"]), pc.is_null(table["total_votes"]))).as_py()
    for name in ["marketplace", "review_id", "star_rating", "vine", "review_date", "year"]:
        assert table[name].null_count == 0, name


def test_helpful_votes_never_exceed_total(table: pa.Table):
    ok = pc.less_equal(table["helpful_votes"], table["total_votes"])
    assert pc.all(ok).as_py()  # nulls are skipped
    assert pc.min(table["helpful_votes"]).as_py() >= 0


def test_files_per_partition_splits_and_row_groups(tmp_path: Path):
    out = tmp_path / "d"
    assert gen(out, 4000, "--files-per-partition", "3").returncode == 0
    books = sorted((out / "product_category=Books").glob("*.parquet"))
    assert [p.name for p in books] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert ds.dataset(out, format="parquet").count_rows() == 4000


def test_refuses_non_empty_out_unless_forced(tmp_path: Path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = gen(out, 100)
    assert r.returncode != 0 and "--force" in r.stderr
    assert (out / "keep.txt").read_text() == "mine"
    r = gen(out, 100, "--force")
    assert r.returncode == 0, r.stderr
    assert not (out / "keep.txt").exists() and ds.dataset(out, format="parquet").count_rows() == 100
    assert "100 rows" in r.stdout and "bytes" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # no temp or old dirs left


def test_empty_existing_dir_is_filled(tmp_path: Path):
    out = tmp_path / "d"
    out.mkdir()
    assert gen(out, 50).returncode == 0
    assert ds.dataset(out, format="parquet").count_rows() == 50
