"""Every compiler golden runs on a real Ray through the CLI (`etl run server/compiler/golden/<name>/
pipeline.json`), and every sink's output equals an independent computation of what that golden
means, written here by hand per golden: DuckDB SQL (or pandas) over the same input, never the
compiler's or the runtime's code.

- Values are compared as Python values (floats to 1e-12 relative; JSON floats to 1e-9: pandas'
  to_json, which Ray uses, writes 10 significant digits); parquet outputs also keep the
  expected value kinds (int stays int, date stays date). CSV is read back with DuckDB (all
  varchar: an unquoted empty field is null, a quoted one is ""), JSON lines with `json`.
- Sorted sinks: the sort keys, read in file-name order, follow the expected ORDER BY ... NULLS
  LAST exactly (ties may come in any order; the rows are compared as a multiset).
- Modes, per the golden's sinks: mode=error -> a second run fails before any work, naming the
  node, and changes no output; append -> one more run (after removing the error targets)
  doubles the rows; overwrite -> that same run replaces the output (a stray file is gone).
- A golden folder without an entry in EXPECTED fails: a new golden needs its check here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

GOLDEN_DIR = ROOT / "server" / "compiler" / "golden"
GOLDENS = sorted(p.name for p in GOLDEN_DIR.iterdir() if (p / "pipeline.json").is_file())
RUN_TIMEOUT = 900


# ------------------------------------------------------------------ expectations, by hand
@dataclass
class Sorted:
    """Expected rows in order: `frame` is already ordered by `keys` [(column, descending)]."""

    frame: pd.DataFrame
    keys: List[Tuple[str, bool]]


Expectation = Union[pd.DataFrame, Sorted]


def reviews(src: Path) -> str:
    """The dataset at `src` as a DuckDB table expression (files listed here: no glob, any path)."""
    files = sorted(str(p) for p in src.rglob("*.parquet"))
    assert files, f"no parquet files under {src}"
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}], hive_partitioning = true)"


def sql(query: str) -> pd.DataFrame:
    """A DuckDB result as an object DataFrame of plain Python values (None for null)."""
    rel = duckdb.sql(query)
    return pd.DataFrame(rel.fetchall(), columns=rel.columns, dtype=object)


def ordered(query: str, keys: List[Tuple[str, bool]]) -> Sorted:
    order = ", ".join(f'"{c}" {"DESC" if d else "ASC"} NULLS LAST' for c, d in keys)
    return Sorted(sql(f"SELECT * FROM ({query}) ORDER BY {order}"), keys)


# SQL: `/` is true division, null on a zero divisor
RATIO = "CASE WHEN total_votes = 0 THEN NULL ELSE helpful_votes::DOUBLE / total_votes END"
US_WITH_VOTES = "total_votes > 0 AND marketplace = 'US'"


def acceptance(base: Path) -> Dict[str, Expectation]:
    q = f"""SELECT * EXCLUDE (review_body), {RATIO} AS helpful_ratio, total_votes < 100 AS low_votes
            FROM {reviews(base / 'data' / 'reviews')} WHERE {US_WITH_VOTES}"""
    return {"out/reviews": ordered(q, [("total_votes", True)])}


ESCAPING_SRC = "data/we'ird \"dir\"\\reviews ✓"
ESCAPING_COL = "col \"q\" 'x'\\né🎉"  # the column name, as in pipeline.json (a backslash, then n)
# the expression's string literal '\'"""\\ \n\t ü 🎉' with the language's escapes applied
ESCAPING_SUFFIX = "'\"\"\"\\ \n\t ü 🎉"


def escaping(base: Path) -> Dict[str, Expectation]:
    df = sql(f"SELECT * EXCLUDE (review_body) FROM {reviews(base / ESCAPING_SRC)}")
    df[ESCAPING_COL] = pd.Series([None if m is None else m + ESCAPING_SUFFIX for m in df["marketplace"]], dtype=object)  # concat: null if any null
    df = df.sort_values(ESCAPING_COL, kind="stable", na_position="last").reset_index(drop=True)
    return {"out/\"q\"/it's\\here\n": Sorted(df, [(ESCAPING_COL, False)])}


def every_kind(base: Path) -> Dict[str, Expectation]:
    q = f"""SELECT * EXCLUDE (review_body, review_headline), ln(1 + helpful_votes) AS score,
                   star_rating::BIGINT * 2 AS stars_x2
            FROM {reviews(base / 'data' / 'reviews')} WHERE {US_WITH_VOTES}"""
    return {"out/every_kind.csv": ordered(q, [("score", True)])}


def sql_round(x: str, digits: int) -> str:
    """round(x, d) as etl_runtime.fn.round_to defines it (runtime/tests/unit/test_fn.py
    sql_round): scale by 10^d, halves away from zero. Not DuckDB's round(), which rounds the
    exact binary value: 33/40 = 0.825 is 0.82499999999999995559 as a double, so DuckDB gives
    0.82 where the scaled definition gives 0.83 (and PostgreSQL's numeric round of the
    displayed 0.575 gives 0.58 where both give 0.57)."""
    q = 10 ** digits
    return f"(sign({x}) * floor(abs({x}) * {q} + 0.5) / {q})"


def expressions(base: Path) -> Dict[str, Expectation]:
    q = f"""SELECT *,
        CASE WHEN star_rating >= 4 THEN 'good' WHEN star_rating <= 2 THEN 'bad' ELSE 'meh' END AS bucket,
        coalesce(review_headline, '(no headline)') AS headline,
        upper(marketplace) || '-' || lower(product_id) || '-' || CAST(year AS VARCHAR) AS key,
        substring(review_body, 1, 80) AS snippet,
        {sql_round(RATIO, 2)} AS ratio,
        year(review_date)::BIGINT * 100 + month(review_date) + day(review_date) % 1 AS period,
        review_body IS NULL OR length(review_body) = 0 AS missing_body,
        CASE WHEN total_votes > 100 AND NOT vine THEN true ELSE false END AS popular,
        review_date >= DATE '2015-01-01' AND (contains(review_body, 'great') OR starts_with(product_id, 'B0')
                                              OR ends_with(review_headline, '!')) AS recent,
        abs(helpful_votes::BIGINT - total_votes)::DOUBLE - -1.5 AS delta
        FROM {reviews(base / 'data' / 'reviews')}"""
    return {"out/expressions": sql(q)}


def filter_moved_before_sort(base: Path) -> Dict[str, Expectation]:
    q = f"SELECT * FROM {reviews(base / 'data' / 'reviews')} WHERE {US_WITH_VOTES} AND star_rating >= 4"
    return {"out/filtered": ordered(q, [("total_votes", True), ("review_id", False)])}


def multi_key_sort(base: Path) -> Dict[str, Expectation]:
    q = f"SELECT * FROM {reviews(base / 'data' / 'reviews')}"
    keys = [("marketplace", False), ("star_rating", True), ("review_date", False), ("total_votes", True)]
    return {"out/sorted.json": ordered(q, keys)}


def pushdown_partial_drop(base: Path) -> Dict[str, Expectation]:
    q = f"SELECT * EXCLUDE (review_body, star_rating), star_rating::BIGINT * 2 AS stars_x2 FROM {reviews(base / 'data' / 'reviews')}"
    return {"out/partial": sql(q)}


def pushdown_removes_drop(base: Path) -> Dict[str, Expectation]:
    return {"out/no_text.json": sql(f"SELECT * EXCLUDE (review_body, review_headline) FROM {reviews(base / 'data' / 'reviews')}")}


def python_tasks_and_actors(base: Path) -> Dict[str, Expectation]:
    # title_len: characters of the title (null stays null); sentiment: +1 per word "great",
    # -1 per "bad" in the lower-cased headline split on whitespace (no headline: 0)
    sentiment = r"""list_sum(list_transform(string_split_regex(trim(lower(coalesce(review_headline, ''))), '\s+'),
                     lambda w: CASE w WHEN 'great' THEN 1.0 WHEN 'bad' THEN -1.0 ELSE 0.0 END))::DOUBLE"""
    q = f"""SELECT * FROM (SELECT *, length(product_title)::BIGINT AS title_len, {sentiment} AS sentiment
            FROM {reviews(base / 'data' / 'reviews')}) WHERE sentiment > 0"""
    return {"out/sentiment": sql(q)}


def read_column_subset(base: Path) -> Dict[str, Expectation]:
    q = f"""SELECT marketplace, helpful_votes, total_votes, review_date, product_category, {RATIO} AS helpful_ratio
            FROM {reviews(base / 'data' / 'reviews')}"""
    return {"out/subset": sql(q)}


def two_branches(base: Path) -> Dict[str, Expectation]:
    src = reviews(base / "data" / "reviews")
    return {
        "out/us": sql(f"SELECT *, {RATIO} AS helpful_ratio FROM {src} WHERE {US_WITH_VOTES}"),
        "out/all.csv": sql(f"SELECT * EXCLUDE (review_body, review_headline, product_title), {RATIO} AS helpful_ratio FROM {src}"),
    }


def unused_branch_omitted(base: Path) -> Dict[str, Expectation]:
    return {"out/ratio": sql(f"SELECT *, {RATIO} AS helpful_ratio FROM {reviews(base / 'data' / 'reviews')}")}


def write_formats_and_modes(base: Path) -> Dict[str, Expectation]:
    everything = sql(f"SELECT * FROM {reviews(base / 'data' / 'reviews')}")
    return {"out/f.parquet": everything, "out/f.csv": everything, "out/f.json": everything}


EXPECTED: Dict[str, Callable[[Path], Dict[str, Expectation]]] = {
    "acceptance": acceptance,
    "escaping": escaping,
    "every-kind-unoptimised": every_kind,
    "expressions": expressions,
    "filter-moved-before-sort": filter_moved_before_sort,
    "multi-key-sort": multi_key_sort,
    "pushdown-partial-drop": pushdown_partial_drop,
    "pushdown-removes-drop": pushdown_removes_drop,
    "python-tasks-and-actors": python_tasks_and_actors,
    "read-column-subset": read_column_subset,
    "two-branches": two_branches,
    "unused-branch-omitted": unused_branch_omitted,
    "write-formats-and-modes": write_formats_and_modes,
}


def _copy_reviews_to_escaping_source(base: Path) -> None:
    dst = base / ESCAPING_SRC
    if not dst.exists():
        shutil.copytree(base / "data" / "reviews", dst)


SETUP: Dict[str, Callable[[Path], None]] = {"escaping": _copy_reviews_to_escaping_source}

# Known type drift, not a value difference: a pandas UDF (udf-filter, Python add-column) gets
# numpy-backed batches (etl_runtime.configure_data_context), so a nullable integer column
# with a null in the batch comes back as float64 and is written as double where the
# designer's schema says int32/int64 -- even a Python add-column declared int64 (title_len)
# once a later pandas UDF sees it. The values are equal; these columns may hold integral floats.
PANDAS_UDF_INT_DRIFT: Dict[Tuple[str, str], List[str]] = {
    ("acceptance", "out/reviews"): ["helpful_votes", "total_votes"],
    ("filter-moved-before-sort", "out/filtered"): ["helpful_votes", "total_votes"],
    ("python-tasks-and-actors", "out/sentiment"): ["helpful_votes", "total_votes", "title_len"],
    ("two-branches", "out/us"): ["helpful_votes", "total_votes"],
}


# ------------------------------------------------------------------ reading outputs back
def data_files(target: Path) -> List[Path]:
    """The files a reader sees, in file-name order (hidden files skipped)."""
    if target.is_file():
        return [target]
    return sorted(p for p in target.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.relative_to(target).parts))


def read_file(path: Path, fmt: str) -> Tuple[List[str], List[tuple]]:
    if fmt == "parquet":
        t = pq.read_table(path)
        return t.column_names, list(zip(*[t.column(i).to_pylist() for i in range(t.num_columns)])) if t.num_rows else []
    if fmt == "csv":
        con = duckdb.connect()
        con.execute("SELECT * FROM read_csv(?, header = true, all_varchar = true, allow_quoted_nulls = false, "
                    "delim = ',', quote = '\"', escape = '\"')", [str(path)])
        return [d[0] for d in con.description], con.fetchall()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    columns = list(records[0]) if records else []
    return columns, [tuple(r.get(c) for c in columns) for r in records]


def kind_of(values: Sequence) -> Optional[type]:
    for v in values:
        if v is not None:
            for k in (bool, int, float, dt.datetime, dt.date, str):
                if isinstance(v, k):
                    return k
    return None


def coerce(v, kind: Optional[type], fmt: str):
    """A value read from a csv/json file as the expected kind."""
    if v is None or kind is None or fmt == "parquet":
        return v
    if kind is bool:
        return v if isinstance(v, bool) else {"true": True, "false": False}[str(v).lower()]
    if kind is int:
        return int(v)
    if kind is float:
        return float(v)
    if kind is dt.date:
        if isinstance(v, (int, float)):  # pandas to_json: epoch milliseconds
            return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=v)).date()
        return dt.date.fromisoformat(str(v)[:10])
    return v


def read_output(target: Path, fmt: str, columns: List[str], kinds: List[Optional[type]], files: Optional[List[Path]] = None) -> List[tuple]:
    files = data_files(target) if files is None else files
    assert files, f"no output files in {target}"
    rows: List[tuple] = []
    for f in files:
        cols, part = read_file(f, fmt)
        if not part:
            continue
        assert cols == columns, f"{f.name}: columns {cols} != expected {columns}"
        rows.extend(tuple(coerce(v, k, fmt) for v, k in zip(r, kinds)) for r in part)
    return rows


# ------------------------------------------------------------------ comparing
def same(a, b, rel: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, bool) or isinstance(b, bool):
            return False
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
    return a == b


def same_kind(v, kind: Optional[type], int_drift: bool = False) -> bool:
    if v is None or kind is None:
        return True
    if int_drift and kind is int and isinstance(v, float):
        return v.is_integer()
    if kind is bool or isinstance(v, bool):
        return isinstance(v, bool) and kind is bool
    return isinstance(v, kind)


def sort_key(row: tuple):
    return tuple((1, "") if v is None else (0, v) for v in row)


def expected_rows(frame: pd.DataFrame) -> List[tuple]:
    return [tuple(None if (isinstance(v, float) and math.isnan(v)) else v for v in r) for r in frame.itertuples(index=False, name=None)]


def assert_same_rows(got: List[tuple], want: List[tuple], columns: List[str], kinds, fmt: str, what: str,
                     drift: Sequence[str] = ()) -> None:
    assert len(got) == len(want), f"{what}: {len(got)} rows, expected {len(want)}"
    # a unique key lines the rows up; else every column (derived floats are exact there)
    idx = [columns.index("review_id")] if "review_id" in columns else list(range(len(columns)))
    g = sorted(got, key=lambda r: sort_key(tuple(r[i] for i in idx)))
    w = sorted(want, key=lambda r: sort_key(tuple(r[i] for i in idx)))
    rel = 1e-9 if fmt == "json" else 1e-12
    for c, name in enumerate(columns):
        bad = [(i, g[i][c], w[i][c]) for i in range(len(g)) if not same(g[i][c], w[i][c], rel)]
        assert not bad, f"{what}: column {name!r} differs in {len(bad)} rows, e.g. (got, expected) {bad[:3]}"
        if fmt == "parquet":
            wrong = [g[i][c] for i in range(len(g)) if not same_kind(g[i][c], kinds[c], name in drift)]
            assert not wrong, f"{what}: column {name!r} holds {type(wrong[0]).__name__}, expected {kinds[c].__name__}"


def assert_in_order(got: List[tuple], exp: Sorted, columns: List[str], fmt: str, what: str) -> None:
    rel = 1e-9 if fmt == "json" else 1e-12
    idx = [columns.index(c) for c, _ in exp.keys]
    want = [tuple(r[i] for i in idx) for r in expected_rows(exp.frame)]
    have = [tuple(r[i] for i in idx) for r in got]
    assert len(have) == len(want)
    for n, (a, b) in enumerate(zip(have, want)):
        assert all(same(x, y, rel) for x, y in zip(a, b)), f"{what}: not in sort order at row {n}: got keys {a}, expected {b}"


# ------------------------------------------------------------------ the runs
@dataclass
class Sink:
    node: str
    path: str
    format: str
    mode: str

    def target(self, base: Path) -> Path:
        return base / self.path


def sinks_of(doc: dict) -> List[Sink]:
    return [Sink(n["id"], n["params"]["path"], n["params"]["format"], n["params"]["mode"]) for n in doc["nodes"] if n["kind"] == "write"]


def remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    elif p.exists() or p.is_symlink():
        p.unlink()


def snapshot(target: Path) -> Dict[str, str]:
    if not target.exists():
        return {}
    files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
    return {str(p.relative_to(target.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def leftovers(base: Path, sinks: List[Sink]) -> List[str]:
    parents = {s.target(base).parent for s in sinks}
    return sorted(p.name for d in parents if d.exists() for p in d.iterdir() if ".etl-staging-" in p.name or ".etl-old-" in p.name)


def rows_reported(stdout: str) -> Dict[str, int]:
    line = next((l for l in stdout.splitlines() if l.startswith("succeeded in ")), "")
    return {k: int(v.replace(",", "")) for k, v in re.findall(r"([\w-]+): ([\d,]+) rows", line)}


def run_golden(etl, name: str):
    return etl("run", f"server/compiler/golden/{name}/pipeline.json", timeout=RUN_TIMEOUT)


def check_sink(base: Path, sink: Sink, exp: Expectation, copies: int = 1, files: Optional[List[Path]] = None,
               drift: Sequence[str] = ()) -> None:
    frame = exp.frame if isinstance(exp, Sorted) else exp
    columns = list(frame.columns)
    want = expected_rows(frame)
    kinds = [kind_of([r[i] for r in want]) for i in range(len(columns))]
    got = read_output(sink.target(base), sink.format, columns, kinds, files)
    what = f"{sink.node} ({sink.format}, {sink.path!r})"
    assert_same_rows(got, want * copies, columns, kinds, sink.format, what, drift)
    if isinstance(exp, Sorted) and copies == 1:
        assert_in_order(got, exp, columns, sink.format, what)


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_runs_on_ray_and_matches_an_independent_computation(etl, base_dir, name):
    if name not in EXPECTED:
        pytest.fail(f"golden {name!r} has no expectation: add an independent computation of its outputs to "
                    f"EXPECTED in {Path(__file__).name}")
    doc = json.loads((GOLDEN_DIR / name / "pipeline.json").read_text(encoding="utf-8"))
    sinks = sinks_of(doc)

    def drift(s: Sink) -> Sequence[str]:
        return PANDAS_UDF_INT_DRIFT.get((name, s.path), ())

    if name in SETUP:
        SETUP[name](base_dir)
    expected = EXPECTED[name](base_dir)
    assert sorted(expected) == sorted(s.path for s in sinks), "the expectation's sinks differ from the golden's write nodes"
    for s in sinks:  # outputs may be shared with other tests (out/reviews): start clean
        remove(s.target(base_dir))

    first = run_golden(etl, name)
    assert first.returncode == 0, first.stdout + first.stderr
    assert rows_reported(first.stdout) == {s.node: len(expected[s.path].frame if isinstance(expected[s.path], Sorted) else expected[s.path]) for s in sinks}, first.stdout
    for s in sinks:
        check_sink(base_dir, s, expected[s.path], drift=drift(s))
    assert leftovers(base_dir, sinks) == []

    modes = {s.mode for s in sinks}
    if "error" in modes:  # a second run fails before any work and changes nothing
        before = {s.path: snapshot(s.target(base_dir)) for s in sinks}
        again = run_golden(etl, name)
        assert again.returncode != 0, again.stdout
        err = next(s for s in sinks if s.mode == "error")
        assert f"node {err.node}" in again.stderr and "already exists" in again.stderr, again.stderr
        assert {s.path: snapshot(s.target(base_dir)) for s in sinks} == before
        assert leftovers(base_dir, sinks) == []

    if "append" in modes:  # one more run: append doubles, overwrite replaces, error recreates
        first_files = {s.path: data_files(s.target(base_dir)) for s in sinks}
        for s in sinks:
            if s.mode == "error":
                remove(s.target(base_dir))
            elif s.mode == "overwrite":
                (s.target(base_dir) / "stray-from-before.txt").write_text("gone after an overwrite")
        third = run_golden(etl, name)
        assert third.returncode == 0, third.stdout + third.stderr
        for s in sinks:
            exp = expected[s.path]
            if s.mode == "append":
                check_sink(base_dir, s, exp, copies=2, drift=drift(s))
                new_files = [f for f in data_files(s.target(base_dir)) if f not in set(first_files[s.path])]
                check_sink(base_dir, s, exp, files=new_files, drift=drift(s))  # this run's files alone: the rows, in order
            else:
                assert not (s.target(base_dir) / "stray-from-before.txt").exists()
                check_sink(base_dir, s, exp, drift=drift(s))
        assert leftovers(base_dir, sinks) == []


def test_every_golden_has_an_expectation():
    assert sorted(EXPECTED) == GOLDENS, "EXPECTED and the golden folders differ"
