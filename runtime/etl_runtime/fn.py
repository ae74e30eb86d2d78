"""Expression helpers for generated scripts: each takes and returns Ray `Expr`s.

Arguments may be Ray expressions (`col("x")`, `lit(3)`) or plain Python values (treated as
literals). Where Ray has a native expression with the same semantics it is used (it can be
pushed into the parquet read); otherwise the helper is a `ray.data.expressions.pyarrow_udf`
over Arrow arrays. Null semantics follow SQL and are stated per helper.

Result types: fixed where the function defines them (div -> float64, mod -> int64 for two
integers else float64, concat/substr/lower/upper
-> string, length/year/month/day -> int64, contains/starts_with/ends_with -> bool). Helpers
whose result type depends on their inputs (coalesce, if_else, case, round_to) compute it from
the input schema (equal types, or int/float widened to float64), so Ray knows every column's
type before running; an optional `type="int64"|"float64"|...` forces (and casts to) a type.

A call whose arguments are all literals is evaluated when the script builds the pipeline and
becomes a literal (`fn.cast(lit("2015-01-31"), "date32")` -> `lit(date(2015, 1, 31))`): Ray
rejects a UDF that returns a scalar.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Sequence, Tuple

import pyarrow as pa
import pyarrow.compute as pc
from ray.data.datatype import DataType
from ray.data.expressions import Expr, LiteralExpr, UDFExpr, lit, pyarrow_udf

from .dtypes import arrow_type

__all__ = [
    "div", "mod", "coalesce", "if_else", "case", "concat", "substr", "round_to", "length", "lower",
    "upper", "contains", "starts_with", "ends_with", "year", "month", "day", "cast", "abs",
]

_UNKNOWN = DataType(object)  # Ray infers the type at run time
_INT64 = DataType.int64()


# ---------------------------------------------------------------- helpers on Arrow values
def _arrow(value: Any, type: Optional[pa.DataType] = None, safe: bool = True):
    """An Arrow array/scalar for a UDF argument (literals arrive as Python values)."""
    if isinstance(value, (pa.Array, pa.ChunkedArray, pa.Scalar)):
        if type is None or value.type == type:
            return value
        return pc.cast(value, type, safe=safe)
    if type is None:
        return pa.scalar(value)
    if value is None:
        return pa.scalar(None, type=type)
    return pc.cast(pa.scalar(value), type, safe=safe)


def _common_type(values: Sequence[Any]) -> pa.DataType:
    """Common type of UDF arguments: equal types, or numeric widening (any float -> float64)."""
    return _unify([_arrow(v).type for v in values])


def _unify(types: Sequence[pa.DataType]) -> pa.DataType:
    types = [t for t in types if not pa.types.is_null(t)]
    if not types:
        return pa.null()
    if all(t == types[0] for t in types):
        return types[0]
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in types):
        return pa.float64() if any(pa.types.is_floating(t) for t in types) else pa.int64()
    if all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in types):
        return pa.string()
    raise TypeError(f"incompatible types {[str(t) for t in types]}")


def _declared(type: Optional[str]) -> DataType:
    return DataType.from_arrow(arrow_type(type)) if type else _UNKNOWN


def _expr(x: Any) -> Expr:
    return x if isinstance(x, Expr) else lit(x)


def _literal(x: Any) -> Tuple[bool, Any]:
    """(True, value) if `x` is a Python value or a literal expression."""
    if isinstance(x, LiteralExpr):
        return True, x.value
    if isinstance(x, Expr):
        return False, None
    return True, x


@dataclass(frozen=True, eq=False, repr=False)
class TypedUDFExpr(UDFExpr):
    """A UDF expression whose result type is computed from its arguments' types, so Ray knows
    the schema without running it (an unknown type makes a later `drop_columns` fall back to
    an opaque MapBatches that blocks projection pushdown)."""

    infer: Optional[Callable[[List[pa.DataType]], pa.DataType]] = field(default=None)

    def get_type(self, input_schema: "pa.Schema") -> Optional[pa.DataType]:
        if self.infer is None:
            return super().get_type(input_schema)
        types = [a.get_type(input_schema) for a in self.args]
        if any(t is None for t in types):
            return None
        try:
            return self.infer(types)
        except (TypeError, ValueError):
            return None


def _apply(func, args: Sequence[Any], return_dtype: DataType, infer=None) -> Expr:
    """`func` (over Arrow arrays/scalars) as a pyarrow_udf expression; if every argument is a
    literal, evaluate it now and return a literal (Ray rejects a UDF returning a scalar).
    `infer(arg types) -> type` gives the result type when `return_dtype` is unknown."""
    lits = [_literal(a) for a in args]
    if all(is_lit for is_lit, _ in lits):
        try:
            value = func(*[v for _, v in lits])
        except (pa.ArrowNotImplementedError, pa.ArrowTypeError):
            if any(v is None for _, v in lits):  # a null literal: no kernel for type null
                return lit(None)
            raise
        return lit(value.as_py() if isinstance(value, pa.Scalar) else value)
    expr = pyarrow_udf(return_dtype=return_dtype)(func)(*args)
    if infer is None or return_dtype is not _UNKNOWN:
        return expr
    return TypedUDFExpr(fn=expr.fn, args=expr.args, kwargs=expr.kwargs, data_type=expr.data_type, infer=infer)


def _native(x: Any, method, scalar_fn) -> Expr:
    """A native Ray expression method on `x`, or `scalar_fn` folded now if `x` is a literal."""
    is_lit, value = _literal(x)
    if is_lit:
        return lit(None if value is None else scalar_fn(pa.scalar(value)).as_py())
    return method(x)


def _bool_mask(value: Any):
    """A boolean condition with null treated as false."""
    return pc.fill_null(_arrow(value, pa.bool_()), False)


# ---------------------------------------------------------------- arithmetic
def div(a: Any, b: Any) -> Expr:
    """True division as float64. Null if either side is null or the divisor is 0."""

    def div(x, y):
        x, y = _arrow(x, pa.float64(), safe=False), _arrow(y, pa.float64(), safe=False)
        return pc.if_else(pc.equal(y, 0.0), pa.scalar(None, pa.float64()), pc.divide(x, y))

    return _apply(div, [a, b], DataType.float64())


def _arithmetic_type(types: Sequence[pa.DataType]) -> pa.DataType:
    """Result of + - * % (server/pipeline/expr/type-rules.ts arithmeticType): int64 when both
    are integers (or null), else float64; null for two nulls."""
    real = [t for t in types if not pa.types.is_null(t)]
    if not real:
        return pa.null()
    if not all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in real):
        raise TypeError(f"arithmetic on non-numeric types {[str(t) for t in real]}")
    return pa.int64() if all(pa.types.is_integer(t) for t in real) else pa.float64()


def mod(a: Any, b: Any) -> Expr:
    """Remainder with the sign of the dividend (SQL MOD, C `%`: -7 % 3 = -1, 7 % -3 = 1,
    7.5 % 2 = 1.5). int64 when both are integers, else float64. Null if either side is null
    or the divisor is 0."""

    def mod(x, y):
        x, y = _arrow(x), _arrow(y)
        t = _arithmetic_type([x.type, y.type])
        if pa.types.is_null(t):
            return pa.scalar(None)
        x, y = _arrow(x, t), _arrow(y, t)
        zero = pc.equal(y, pa.scalar(0, t))  # null where y is null
        # Arrow's integer remainder raises on a zero divisor: divide by 1 there, then null it.
        r = pc.remainder(x, pc.if_else(zero, pa.scalar(1, t), y))
        return pc.if_else(zero, pa.scalar(None, t), r)

    return _apply(mod, [a, b], _UNKNOWN, infer=_arithmetic_type)


def round_to(x: Any, digits: int = 0, type: Optional[str] = None) -> Expr:
    """Round to `digits` decimals, halves away from zero (SQL ROUND: 2.5 -> 3, -2.5 -> -3).
    Integers stay integers (negative digits round to tens, hundreds...). Null -> null."""
    is_lit, digits = _literal(digits)
    if not is_lit or not isinstance(digits, int) or isinstance(digits, bool):
        raise TypeError("round_to: digits must be an integer literal")
    target = arrow_type(type) if type else None

    def round_to(v):
        v = _arrow(v)
        if pa.types.is_integer(v.type):
            if digits < 0:
                rounded = pc.round(pc.cast(v, pa.float64()), ndigits=digits, round_mode="half_towards_infinity")
                v = pc.cast(rounded, v.type)
        else:
            v = pc.round(v, ndigits=digits, round_mode="half_towards_infinity")
        return _arrow(v, target) if target is not None else v

    return _apply(round_to, [x], _declared(type), infer=lambda ts: ts[0])


def abs(x: Any) -> Expr:
    """Absolute value (native Ray `Expr.abs`, overflow-checked). Null -> null."""
    return _native(x, lambda e: e.abs(), pc.abs_checked)


def cast(x: Any, type_name: str) -> Expr:
    """CAST(x AS type). Floats to integers truncate toward zero; timestamps to date32 drop the
    time; strings parse ('12', '1.5', 'true', '2024-01-31'); anything that cannot be
    represented (overflow, unparsable string) fails the run. Null -> null."""
    target = arrow_type(type_name)

    def cast(v):
        v = _arrow(v)
        src = v.type
        if pa.types.is_integer(target) and (pa.types.is_floating(src) or pa.types.is_decimal(src)):
            v = pc.trunc(v)
        if pa.types.is_date(target) and pa.types.is_timestamp(src):
            return pc.cast(v, target, safe=False)
        return pc.cast(v, target)

    return _apply(cast, [x], DataType.from_arrow(target))


# ---------------------------------------------------------------- null handling / conditionals
def coalesce(*xs: Any, type: Optional[str] = None) -> Expr:
    """The first non-null argument, else null."""
    if not xs:
        raise TypeError("coalesce needs at least one argument")
    target = arrow_type(type) if type else None

    def coalesce(*vals):
        t = target or _common_type(vals)
        return pc.coalesce(*[_arrow(v, t) for v in vals])

    return _apply(coalesce, xs, _declared(type), infer=_unify)


def if_else(cond: Any, then: Any, otherwise: Any, type: Optional[str] = None) -> Expr:
    """`then` where `cond` is true, else `otherwise`. A null condition counts as false
    (like CASE WHEN), so it yields `otherwise`."""
    target = arrow_type(type) if type else None

    def if_else(c, a, b):
        t = target or _common_type([a, b])
        return pc.if_else(_bool_mask(c), _arrow(a, t), _arrow(b, t))

    return _apply(if_else, [cond, then, otherwise], _declared(type), infer=lambda ts: _unify(ts[1:]))


def case(whens: Sequence[Tuple[Any, Any]], otherwise: Any = None, type: Optional[str] = None) -> Expr:
    """CASE WHEN c1 THEN v1 ... ELSE otherwise END: the value of the first true condition;
    null conditions count as false; no match and no `otherwise` -> null."""
    whens = list(whens)
    if not whens:
        raise TypeError("case needs at least one (condition, value) pair")
    target = arrow_type(type) if type else None
    flat: List[Any] = [x for pair in whens for x in pair] + [otherwise]

    def case(*vals):
        conds, values, other = vals[0:-1:2], vals[1:-1:2], vals[-1]
        t = target or _common_type(list(values) + [other])
        out = _arrow(other, t)
        for c, v in reversed(list(zip(conds, values))):
            out = pc.if_else(_bool_mask(c), _arrow(v, t), out)
        return out

    return _apply(case, flat, _declared(type), infer=lambda ts: _unify(ts[1:-1:2] + [ts[-1]]))


# ---------------------------------------------------------------- strings
def _string(v: Any):
    v = _arrow(v)
    return v if pa.types.is_string(v.type) else pc.cast(v, pa.string())


def concat(*xs: Any) -> Expr:
    """String concatenation; non-strings are cast to string. Null if any argument is null
    (SQL `||`)."""
    if not xs:
        raise TypeError("concat needs at least one argument")

    def concat(*vals):
        return pc.binary_join_element_wise(*[_string(v) for v in vals], "")

    return _apply(concat, xs, DataType.string())


def substr(s: Any, start: Any, length: Any = None) -> Expr:
    """SUBSTRING(s FROM start FOR length), 1-based, counted in characters. The window
    [start, start + length) is clipped to the string, so start <= 0 shortens it (PostgreSQL
    semantics). No length: to the end. Null string, start or length -> null. A negative
    length literal is an error."""
    start_lit, start_v = _literal(start)
    len_lit, len_v = _literal(length)
    for name, is_lit, v in (("start", start_lit, start_v), ("length", len_lit, len_v)):
        if is_lit and v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise TypeError(f"substr: {name} must be an integer")
    if len_lit and len_v is not None and len_v < 0:
        raise ValueError("substr: negative length")
    if start_lit and len_lit and start_v is not None and not _literal(s)[0] and not (length is not None and len_v is None):
        begin = max(start_v, 1) - 1
        stop = None if len_v is None else max(start_v + len_v - 1, begin)
        return _expr(s).str.slice(begin, stop)

    def substr(sv, st, ln=None):
        arrays = [a for a in (sv, st, ln) if isinstance(a, (pa.Array, pa.ChunkedArray))]
        n = len(arrays[0]) if arrays else 1
        cols = [_arrow(a).to_pylist() if isinstance(a, (pa.Array, pa.ChunkedArray)) else [a] * n for a in (sv, st, ln)]
        out = []
        for text, b, k in zip(*cols):
            if text is None or b is None or (length is not None and k is None):
                out.append(None)
                continue
            if k is not None and k < 0:
                raise ValueError("substr: negative length")
            lo = max(b, 1) - 1
            hi = len(text) if k is None else max(b + k - 1, lo)
            out.append(text[lo:hi])
        return pa.array(out, pa.string()) if arrays else pa.scalar(out[0], pa.string())

    return _apply(substr, [s, start, length] if length is not None else [s, start], DataType.string())


def length(s: Any) -> Expr:
    """Number of characters, int64. Null -> null."""
    return _native(s, lambda e: e.str.len().cast(_INT64), lambda v: pc.cast(pc.utf8_length(v), pa.int64()))


def lower(s: Any) -> Expr:
    """Lower-case (Unicode). Null -> null."""
    return _native(s, lambda e: e.str.lower(), pc.utf8_lower)


def upper(s: Any) -> Expr:
    """Upper-case (Unicode). Null -> null."""
    return _native(s, lambda e: e.str.upper(), pc.utf8_upper)


def _pattern_fn(name: str, native: str, test):
    def helper(s: Any, pattern: Any) -> Expr:
        is_lit, value = _literal(pattern)
        if is_lit and isinstance(value, str) and not _literal(s)[0]:
            return getattr(_expr(s).str, native)(value)

        def rowwise(sv, pv):  # a column (or null) pattern: row by row
            arrays = [a for a in (sv, pv) if isinstance(a, (pa.Array, pa.ChunkedArray))]
            n = len(arrays[0]) if arrays else 1
            cols = [_arrow(a).to_pylist() if isinstance(a, (pa.Array, pa.ChunkedArray)) else [a] * n for a in (sv, pv)]
            out = [None if a is None or b is None else test(a, b) for a, b in zip(*cols)]
            return pa.array(out, pa.bool_()) if arrays else pa.scalar(out[0], pa.bool_())

        rowwise.__name__ = name
        return _apply(rowwise, [s, pattern], DataType.bool())

    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = f"True if the string {name.replace('_', ' ')} `pattern` (case-sensitive). Null string or pattern -> null."
    return helper


contains = _pattern_fn("contains", "contains", lambda a, b: b in a)
starts_with = _pattern_fn("starts_with", "starts_with", lambda a, b: a.startswith(b))
ends_with = _pattern_fn("ends_with", "ends_with", lambda a, b: a.endswith(b))


# ---------------------------------------------------------------- dates
def year(x: Any) -> Expr:
    """Year of a date/timestamp, int64. Null -> null."""
    return _native(x, lambda e: e.dt.year().cast(_INT64), lambda v: pc.cast(pc.year(v), pa.int64()))


def month(x: Any) -> Expr:
    """Month 1-12 of a date/timestamp, int64. Null -> null."""
    return _native(x, lambda e: e.dt.month().cast(_INT64), lambda v: pc.cast(pc.month(v), pa.int64()))


def day(x: Any) -> Expr:
    """Day of month 1-31 of a date/timestamp, int64. Null -> null."""
    return _native(x, lambda e: e.dt.day().cast(_INT64), lambda v: pc.cast(pc.day(v), pa.int64()))
