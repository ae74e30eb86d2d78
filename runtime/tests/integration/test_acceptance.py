"""The acceptance journey from the CLI on a real Ray: `etl run examples/reviews.pipeline.json`
succeeds with per-stage progress, and its output equals an independent DuckDB computation of
the same steps — the same rows, in sorted order."""
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as pads

from conftest import ROOT, clean_out

COLUMNS = ["marketplace", "customer_id", "review_id", "product_id", "product_parent", "product_title",
           "star_rating", "helpful_votes", "total_votes", "vine", "verified_purchase", "review_headline",
           "review_date", "year", "product_category", "helpful_ratio", "low_votes"]


def expected_rows(src: Path) -> pd.DataFrame:
    return duckdb.sql(f"""
        SELECT marketplace, customer_id, review_id, product_id, product_parent, product_title, star_rating,
               helpful_votes, total_votes, vine, verified_purchase, review_headline, review_date, year,
               product_category,
               CASE WHEN total_votes = 0 THEN NULL ELSE helpful_votes::DOUBLE / total_votes END AS helpful_ratio,
               total_votes < 100 AS low_votes
        FROM read_parquet('{src}/**/*.parquet', hive_partitioning = true)
        WHERE total_votes > 0 AND marketplace = 'US'
    """).df()


def read_output(path: Path) -> pd.DataFrame:
    """Reads the written dataset in file-name order (the order a reader sees)."""
    files = sorted(str(p) for p in path.rglob("*.parquet"))
    assert files, f"no parquet files in {path}"
    return pads.dataset(files, format="parquet").to_table().to_pandas()


def assert_acceptance_output(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The acceptance output as a reader sees it equals the DuckDB rows: the same columns and
    rows value for value, in descending total_votes order."""
    assert list(got.columns) == COLUMNS
    assert len(got) == len(want) > 0
    votes = got["total_votes"].to_numpy()
    assert (np.diff(votes) <= 0).all(), "output is not in descending total_votes order"
    assert list(votes) == sorted(want["total_votes"], reverse=True)
    g = got.sort_values("review_id").reset_index(drop=True)
    w = want[COLUMNS].sort_values("review_id").reset_index(drop=True)
    for col in COLUMNS:
        if col == "helpful_ratio":
            np.testing.assert_allclose(g[col].astype(float), w[col].astype(float), rtol=1e-12, equal_nan=True)
        elif col == "review_date":
            assert (pd.to_datetime(g[col]) == pd.to_datetime(w[col])).all()
        else:
            gv, wv = g[col].astype(object).where(g[col].notna(), None), w[col].astype(object).where(w[col].notna(), None)
            assert gv.tolist() == wv.tolist(), f"column {col} differs"


def test_acceptance_pipeline_matches_duckdb(etl, base_dir):
    out = clean_out(base_dir, "reviews")
    res = etl("run", "examples/reviews.pipeline.json")
    assert res.returncode == 0, res.stdout + res.stderr
    # live progress names the graph's nodes, fused ones together
    for node in ["read", "sort", "keep", "flag", "out"]:
        assert node in res.stdout, res.stdout
    assert "succeeded" in res.stdout

    assert_acceptance_output(read_output(out), expected_rows(base_dir / "data" / "reviews"))


def test_no_staging_left_next_to_output(base_dir):
    leftovers = [p.name for p in (base_dir / "out").iterdir() if "etl-staging" in p.name or "etl-old" in p.name]
    assert leftovers == []
