"""fn: expression helpers, checked against plain-Python/pandas computations with nulls.

Expressions are evaluated with Ray's own expression evaluator on Arrow and pandas blocks
(fast, no cluster); one test runs them through `with_column` on a local Ray.
"""
import datetime as dt
import math

import pandas as pd
import pyarrow as pa
import pytest
from ray.data._internal.planner.plan_expression.expression_evaluator import eval_expr
from ray.data.expressions import LiteralExpr, col, lit

from etl_runtime import fn

A = [1, 2, None, 4, 5, -7]
B = [2, 0, 1, None, -2, 3]
F = [1.25, -2.5, None, 2.5, 0.125, -0.5]
S = ["Hello", None, "wOrld", "xyz", "", "héllo"]
D = [dt.date(2020, 1, 31), None, dt.date(1999, 12, 1), dt.date(2024, 2, 29), dt.date(2000, 1, 1), dt.date(1970, 1, 1)]
TABLE = pa.table({
    "a": pa.array(A, pa.int64()),
    "b": pa.array(B, pa.int64()),
    "f": pa.array(F, pa.float64()),
    "s": pa.array(S, pa.string()),
    "d": pa.array(D, pa.date32()),
    "t": pa.array([None if d is None else dt.datetime(d.year, d.month, d.day, 13, 5) for d in D], pa.timestamp("us")),
    "c": pa.array([True, None, False, True, False, True]),
})


def values(expr, block=TABLE):
    out = eval_expr(expr, block)
    if isinstance(out, (pa.Array, pa.ChunkedArray)):
        return out.to_pylist()
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT else v for v in pd.Series(out).tolist()]


def rows(*cols):
    return list(zip(*cols))


def sql_round(x, digits):  # half away from zero, independent of Arrow
    q = 10 ** digits
    return math.copysign(math.floor(abs(x) * q + 0.5) / q, x)


def test_div_is_float_and_null_on_zero_or_null():
    expected = [None if x is None or y is None or y == 0 else x / y for x, y in rows(A, B)]
    assert values(fn.div(col("a"), col("b"))) == expected
    assert values(fn.div(col("a"), 2)) == [None if x is None else x / 2 for x in A]
    assert eval_expr(fn.div(col("a"), col("b")), TABLE).type == pa.float64()


def c_remainder(x, y):  # sign of the dividend (C/SQL), independent of Arrow
    r = math.fmod(x, y)
    return int(r) if isinstance(x, int) and isinstance(y, int) else r


def test_mod_keeps_the_dividends_sign_and_is_null_on_zero_or_null():
    expected = [None if x is None or y is None or y == 0 else c_remainder(x, y) for x, y in rows(A, B)]
    got = eval_expr(fn.mod(col("a"), col("b")), TABLE)
    assert got.type == pa.int64() and got.to_pylist() == expected
    assert values(fn.mod(col("a"), 3)) == [None if x is None else c_remainder(x, 3) for x in A]
    assert values(fn.mod(col("a"), lit(0))) == [None] * 6
    assert values(fn.mod(col("a"), lit(None))) == [None] * 6
    # -7 % 3 = -1 and 7 % -3 = 1 (not Python's floored 2 / -2)
    signs = pa.table({"x": [-7, 7, -7, 7], "y": [3, -3, -3, 3]})
    assert values(fn.mod(col("x"), col("y")), signs) == [-1, 1, -1, 1]
    # int64 extremes: no overflow error for INT64_MIN % -1
    ext = pa.table({"x": pa.array([-(2**63), 2**63 - 1, -(2**63)]), "y": pa.array([-1, 2, 3])})
    assert values(fn.mod(col("x"), col("y")), ext) == [0, 1, -2]


def test_mod_on_floats_is_float64():
    got = eval_expr(fn.mod(col("f"), col("b")), TABLE)
    assert got.type == pa.float64()
    assert got.to_pylist() == [None if x is None or y is None or y == 0 else math.fmod(x, y) for x, y in rows(F, B)]
    narrow = pa.table({"i": pa.array([7, -7, None], pa.int32()), "g": pa.array([2.5, 2.5, 1.0], pa.float32())})
    out = eval_expr(fn.mod(col("i"), col("g")), narrow)
    assert out.type == pa.float64() and out.to_pylist() == [2.0, -2.0, None]
    assert eval_expr(fn.mod(col("i"), lit(4)), narrow).type == pa.int64()  # int32 widened


def test_mod_result_type_is_known_before_running():
    schema = pa.schema([("a", pa.int32()), ("f", pa.float64())])
    assert fn.mod(col("a"), lit(2)).get_type(schema) == pa.int64()
    assert fn.mod(col("a"), col("f")).get_type(schema) == pa.float64()
    assert fn.mod(lit(-7), lit(3)).value == -1 and fn.mod(7, 0).value is None and fn.mod(7.5, 2).value == 1.5


def test_coalesce():
    assert values(fn.coalesce(col("b"), col("a"), lit(0))) == [next((v for v in r if v is not None), None) for r in rows(B, A, [0] * 6)]
    assert values(fn.coalesce(col("s"), lit("(none)"))) == [x if x is not None else "(none)" for x in S]
    # int and float widen to float64; an explicit type casts
    mixed = eval_expr(fn.coalesce(col("a"), col("f")), TABLE)
    assert mixed.type == pa.float64() and mixed.to_pylist()[2] is None
    assert eval_expr(fn.coalesce(col("a"), lit(0), type="float64"), TABLE).type == pa.float64()


def test_if_else_null_condition_takes_the_else_branch():
    assert values(fn.if_else(col("c"), lit("yes"), lit("no"))) == ["yes" if c else "no" for c in TABLE["c"].to_pylist()]
    assert values(fn.if_else(col("a") > lit(2), col("a"), lit(0))) == [x if x is not None and x > 2 else 0 for x in A]
    assert values(fn.if_else(col("c"), col("a"), col("f"))) == [
        (float(a) if a is not None else None) if c else f for c, a, f in rows(TABLE["c"].to_pylist(), A, F)
    ]


def test_case_first_true_branch_wins_and_no_match_is_null():
    expr = fn.case([(col("a") > lit(3), lit("hi")), (col("a") > lit(1), lit("mid"))], lit(None))
    assert values(expr) == [None if x is None else "hi" if x > 3 else "mid" if x > 1 else None for x in A]
    with_else = fn.case([(col("a") > lit(3), lit(1))], lit(0), type="int64")
    assert values(with_else) == [1 if x is not None and x > 3 else 0 for x in A]


def test_concat_is_null_if_any_argument_is_null():
    assert values(fn.concat(col("s"), lit("-"), col("a"))) == [None if s is None or a is None else f"{s}-{a}" for s, a in rows(S, A)]
    assert values(fn.concat(col("c"), lit("|"), col("d"))) == [
        None if c is None or d is None else f"{str(c).lower()}|{d.isoformat()}" for c, d in rows(TABLE["c"].to_pylist(), D)
    ]


def pg_substr(s, start, length=None):
    if s is None or start is None:
        return None
    lo = max(start, 1) - 1
    hi = len(s) if length is None else max(start + length - 1, lo)
    return s[lo:hi]


@pytest.mark.parametrize("start,length", [(1, 3), (2, 3), (0, 3), (-2, 4), (3, None), (10, 2), (2, 0)])
def test_substr_is_one_based_with_postgres_window(start, length):
    expr = fn.substr(col("s"), lit(start), lit(length)) if length is not None else fn.substr(col("s"), start)
    assert values(expr) == [pg_substr(s, start, length) for s in S]


def test_substr_with_column_arguments_and_nulls():
    assert values(fn.substr(col("s"), col("a"), lit(2))) == [pg_substr(s, a, 2) if a is not None else None for s, a in rows(S, A)]
    assert values(fn.substr(col("s"), lit(1), lit(None))) == [None] * 6
    with pytest.raises(ValueError):
        fn.substr(col("s"), 1, -1)
    with pytest.raises(TypeError):
        fn.substr(col("s"), 1.5)


def test_round_to_halves_away_from_zero():
    assert values(fn.round_to(col("f"), lit(1))) == [None if x is None else sql_round(x, 1) for x in F]
    assert values(fn.round_to(col("f"), 0)) == [None if x is None else sql_round(x, 0) for x in F]
    ints = eval_expr(fn.round_to(col("a"), -1), TABLE)
    assert ints.type == pa.int64() and ints.to_pylist() == [None if x is None else int(sql_round(x, -1)) for x in A]
    with pytest.raises(TypeError):
        fn.round_to(col("f"), col("a"))


def test_string_functions_propagate_nulls():
    assert values(fn.length(col("s"))) == [None if s is None else len(s) for s in S]
    assert eval_expr(fn.length(col("s")), TABLE).type == pa.int64()
    assert values(fn.lower(col("s"))) == [None if s is None else s.lower() for s in S]
    assert values(fn.upper(col("s"))) == [None if s is None else s.upper() for s in S]
    assert values(fn.contains(col("s"), "l")) == [None if s is None else "l" in s for s in S]
    assert values(fn.contains(col("s"), lit("o"))) == [None if s is None else "o" in s for s in S]
    assert values(fn.starts_with(col("s"), "H")) == [None if s is None else s.startswith("H") for s in S]
    assert values(fn.ends_with(col("s"), "lo")) == [None if s is None else s.endswith("lo") for s in S]


def test_pattern_from_a_column_or_null_is_row_by_row():
    pat = pa.table({"s": pa.array(S), "p": pa.array(["ell", "x", None, "z", "", "é"])})
    assert values(fn.contains(col("s"), col("p")), pat) == [None if s is None or p is None else p in s for s, p in rows(S, pat["p"].to_pylist())]
    assert values(fn.starts_with(col("s"), lit(None))) == [None] * 6


def test_date_parts_are_int64():
    for part, f in (("year", fn.year), ("month", fn.month), ("day", fn.day)):
        for column in ("d", "t"):
            out = eval_expr(f(col(column)), TABLE)
            assert out.type == pa.int64()
            assert out.to_pylist() == [None if d is None else getattr(d, part) for d in D]


def test_cast():
    assert values(fn.cast(col("f"), "int64")) == [None if x is None else int(x) for x in F]  # truncates
    assert values(fn.cast(col("a"), "string")) == [None if x is None else str(x) for x in A]
    assert values(fn.cast(col("a"), "float64")) == [None if x is None else float(x) for x in A]
    assert values(fn.cast(col("t"), "date32")) == D
    assert values(fn.cast(col("c"), "int64")) == [None if c is None else int(c) for c in TABLE["c"].to_pylist()]
    strings = pa.table({"x": pa.array(["12", None, "-3"])})
    assert values(fn.cast(col("x"), "int64"), strings) == [12, None, -3]
    with pytest.raises(pa.ArrowInvalid):
        eval_expr(fn.cast(col("s"), "int64"), TABLE)


def test_abs():
    assert values(fn.abs(col("b"))) == [None if x is None else abs(x) for x in B]


def test_calls_on_literals_only_fold_to_literals():
    folded = fn.cast(lit("2015-01-31"), "date32")
    assert isinstance(folded, LiteralExpr) and folded.value == dt.date(2015, 1, 31)
    assert values(col("d") >= folded) == [None if d is None else d >= dt.date(2015, 1, 31) for d in D]
    assert fn.lower(lit("ABC")).value == "abc"
    assert fn.concat("a", lit("b"), 1).value == "ab1"
    assert fn.div(lit(1), lit(0)).value is None
    assert fn.upper(lit(None)).value is None
    assert fn.substr("hello", 2, 3).value == "ell"
    assert fn.contains(lit("abc"), "b").value is True


def test_helpers_work_on_pandas_blocks_too():
    block = TABLE.select(["a", "b", "f", "s"]).to_pandas()
    assert values(fn.div(col("a"), col("b")), block) == [None if x is None or y is None or y == 0 else x / y for x, y in rows(A, B)]
    assert values(fn.concat(col("s"), lit("!")), block) == [None if s is None else s + "!" for s in S]
    assert values(fn.substr(col("s"), 2, 2), block) == [pg_substr(s, 2, 2) for s in S]


def test_every_helper_the_compiler_may_emit_exists():
    # server/compiler/emit/expr-emit.ts RUNTIME_FN_NAMES
    for name in ["abs", "case", "cast", "coalesce", "concat", "contains", "day", "div", "ends_with", "if_else",
                 "length", "lower", "mod", "month", "round_to", "starts_with", "substr", "upper", "year"]:
        assert callable(getattr(fn, name)), name


def test_result_types_are_known_before_running(ray_local):
    import ray

    ds = ray.data.from_arrow(TABLE.select(["a", "b", "f", "s"]))
    ds = ds.with_column("r", fn.round_to(fn.div(col("a"), col("b")), lit(2)))
    ds = ds.with_column("k", fn.coalesce(col("a"), col("f"))).with_column("l", fn.if_else(col("a") > lit(1), col("s"), lit("-")))
    ds = ds.drop_columns(["b"])
    schema = ds._logical_plan.dag.infer_schema()  # what drop_columns consults
    assert isinstance(schema, pa.Schema)
    assert [(f.name, f.type) for f in schema] == [
        ("a", pa.int64()), ("f", pa.float64()), ("s", pa.string()), ("r", pa.float64()), ("k", pa.float64()), ("l", pa.string())
    ]
    assert "drop_columns" not in ds._logical_plan.dag.dag_str  # a Project, not an opaque MapBatches


def test_with_column_on_ray_matches_pandas(ray_local):
    import ray

    ds = ray.data.from_arrow(TABLE.select(["a", "b", "s"]))
    ds = ds.with_column("q", fn.div(col("a"), col("b"))).with_column("label", fn.concat(fn.upper(col("s")), lit(":"), col("a")))
    ds = ds.with_column("r", fn.round_to(fn.div(col("a"), col("b")), lit(2)))
    got = ds.to_pandas()
    q = [None if x is None or y is None or y == 0 else x / y for x, y in rows(A, B)]
    assert [None if pd.isna(v) else v for v in got["q"]] == q
    assert [None if pd.isna(v) else v for v in got["r"]] == [None if v is None else sql_round(v, 2) for v in q]
    assert [None if pd.isna(v) else v for v in got["label"]] == [
        None if s is None or a is None else f"{s.upper()}:{a}" for s, a in rows(S, A)
    ]
