"""Python UDF wrappers for `map_batches(..., batch_format="pandas")`.

User source is compiled with `compile(source, "<udf NODE>", "exec")` into a fresh module, once
per worker process (cache keyed by node id + source hash) or once per actor, and registered
in `linecache` so tracebacks show the user's own lines. Any exception in user code becomes
`UdfError(node_id, line, message)`.

Naming (see naming.py): the task wrappers are functions called `udf_filter__<node>` /
`add_column__<node>`; with `compute="actors"` the factories return callable classes called
`UdfFilterActor__<node>` / `AddColumnActor__<node>`. Ray shows these names in its operator
names (`MapBatches(udf_filter__keep)`), which is how progress maps operators to nodes.
The plain classes `UdfFilterActor(node_id, source)` / `AddColumnActor(...)` also work with
`fn_constructor_args`, but then Ray's name carries no node id (mapped by kind instead).
"""
from __future__ import annotations

import hashlib
import linecache
import types
from typing import Any, Callable, Dict, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa

from .dtypes import DECLARABLE, arrow_type
from .errors import UdfError, udf_filename
from .naming import wrapper_name

_MODULES: Dict[Tuple[str, str], types.ModuleType] = {}
COMPUTE = ("tasks", "actors")


# ---------------------------------------------------------------- compiling user source
def _key(node_id: str, source: str) -> Tuple[str, str]:
    return node_id, hashlib.sha256(source.encode("utf-8")).hexdigest()


def check_source(node_id: str, source: str) -> None:
    """Compile only (no execution): syntax errors surface on the driver, before any work."""
    try:
        compile(source, udf_filename(node_id), "exec")
    except SyntaxError as e:
        raise UdfError(node_id, e.lineno, f"SyntaxError: {e.msg}", [f"SyntaxError: {e.msg} (line {e.lineno})"]) from None


def load_module(node_id: str, source: str) -> types.ModuleType:
    """The user's source as a module, executed once per process for a given (node, source)."""
    key = _key(node_id, source)
    module = _MODULES.get(key)
    if module is not None:
        return module
    filename = udf_filename(node_id)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(source, filename, "exec")
    except SyntaxError as e:
        raise UdfError(node_id, e.lineno, f"SyntaxError: {e.msg}") from None
    module = types.ModuleType(f"etl_udf_{node_id}")
    module.__file__ = filename
    try:
        exec(code, module.__dict__)
    except Exception as e:
        raise UdfError.from_exception(node_id, e) from e
    _MODULES[key] = module
    return module


def get_function(node_id: str, source: str, name: str) -> Callable:
    fn = getattr(load_module(node_id, source), name, None)
    if not callable(fn):
        raise UdfError(node_id, None, f"the code of node {node_id} must define a function {name}(batch)")
    return fn


def _call(node_id: str, fn: Callable, batch: pd.DataFrame) -> Any:
    try:
        return fn(batch)
    except Exception as e:
        raise UdfError.from_exception(node_id, e) from e


def _check_compute(compute: str) -> None:
    if compute not in COMPUTE:
        raise ValueError(f"compute must be one of {COMPUTE}, got {compute!r}")


def _bind(base: type, node_id: str, args: tuple) -> type:
    """A subclass of `base` named `<Base>__<node>` whose no-arg constructor uses `args`.
    Not registered in any module, so cloudpickle ships it by value."""
    name = wrapper_name(base.__name__, node_id)
    return type(name, (base,), {"_bound_args": args, "__module__": base.__module__, "__qualname__": name})


# ---------------------------------------------------------------- udf-filter
def _as_mask(node_id: str, result: Any, n: int) -> np.ndarray:
    """A numpy bool mask from keep()'s return value; nulls count as False."""
    if isinstance(result, (pa.Array, pa.ChunkedArray)):
        if not pa.types.is_boolean(result.type):
            raise _wrong_return(node_id, f"a pyarrow array of type {result.type}")
        values = result.fill_null(False).to_numpy(zero_copy_only=False)
    elif isinstance(result, pd.Series):
        if pd.api.types.is_bool_dtype(result.dtype):
            values = result.fillna(False).to_numpy(dtype=bool) if result.hasnans else result.to_numpy(dtype=bool)
        elif result.dtype == object:
            values = _object_mask(node_id, result.tolist())
        else:
            raise _wrong_return(node_id, f"a Series of dtype {result.dtype}")
    elif isinstance(result, np.ndarray):
        if result.dtype == bool:
            values = result
        elif result.dtype == object:
            values = _object_mask(node_id, result.tolist())
        else:
            raise _wrong_return(node_id, f"an ndarray of dtype {result.dtype}")
    elif isinstance(result, (list, tuple)):
        values = _object_mask(node_id, list(result))
    else:
        raise _wrong_return(node_id, type(result).__name__)
    values = np.asarray(values, dtype=bool).reshape(-1) if np.ndim(values) == 1 else None
    if values is None or len(values) != n:
        got = "a 2-D value" if values is None else f"{len(values)} values"
        raise UdfError(node_id, None, f"keep() returned {got} for a batch of {n} rows; return one boolean per row")
    return values


def _object_mask(node_id: str, items: list) -> np.ndarray:
    out = np.zeros(len(items), dtype=bool)
    for i, v in enumerate(items):
        if isinstance(v, (bool, np.bool_)):
            out[i] = bool(v)
        elif v is None or v is pd.NA or (isinstance(v, float) and v != v):
            out[i] = False
        else:
            raise _wrong_return(node_id, f"a mask containing {type(v).__name__} {v!r}")
    return out


def _wrong_return(node_id: str, got: str) -> UdfError:
    return UdfError(
        node_id,
        None,
        f"keep() must return a boolean mask (Series/array/list, one per row) or a DataFrame "
        f"with the batch's columns; it returned {got}",
    )


def apply_filter(node_id: str, keep: Callable, batch: pd.DataFrame) -> pd.DataFrame:
    """Rows of `batch` that `keep(batch)` selects."""
    if len(batch) == 0:
        return batch
    result = _call(node_id, keep, batch)
    if isinstance(result, pd.DataFrame):
        missing = [c for c in batch.columns if c not in result.columns]
        extra = [c for c in result.columns if c not in batch.columns]
        if missing or extra:
            raise UdfError(
                node_id,
                None,
                f"keep() returned a DataFrame with other columns (missing {missing}, extra {extra}); "
                f"a udf-filter keeps rows, it cannot change columns",
            )
        return result[list(batch.columns)].reset_index(drop=True)
    mask = _as_mask(node_id, result, len(batch))
    return batch[mask].reset_index(drop=True)


def udf_filter(node_id: str, source: str, compute: str = "tasks"):
    """The UDF for a udf-filter node: a function for tasks, or a callable class for an actor
    pool (`compute="actors"`); `source` must define `keep(batch)`."""
    _check_compute(compute)
    check_source(node_id, source)
    if compute == "actors":
        return _bind(UdfFilterActor, node_id, (node_id, source))

    def wrapper(batch: pd.DataFrame) -> pd.DataFrame:
        return apply_filter(node_id, get_function(node_id, source, "keep"), batch)

    wrapper.__name__ = wrapper.__qualname__ = wrapper_name("udf_filter", node_id)
    return wrapper


class UdfFilterActor:
    """Callable class for an actor pool: compiles and runs the module once per actor."""

    _bound_args: tuple = ()

    def __init__(self, node_id: str = None, source: str = None):
        if node_id is None:
            node_id, source = self._bound_args
        self.node_id = node_id
        self._keep = get_function(node_id, source, "keep")

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        return apply_filter(self.node_id, self._keep, batch)


# ---------------------------------------------------------------- add-column (python mode)
def _to_arrow(node_id: str, result: Any, n: int) -> pa.Array:
    if isinstance(result, pa.ChunkedArray):
        arr = result.combine_chunks()
    elif isinstance(result, pa.Array):
        arr = result
    elif isinstance(result, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
        arr = pa.Array.from_pandas(pd.Series(result))
    elif isinstance(result, (np.ndarray, list, tuple)):
        if np.ndim(result) != 1:
            raise UdfError(node_id, None, "compute() must return one value per row (a 1-D Series/array/list)")
        arr = pa.array(result, from_pandas=True)
    else:
        raise UdfError(
            node_id, None, f"compute() must return a Series/array/list with one value per row; it returned {type(result).__name__}"
        )
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) != n:
        raise UdfError(node_id, None, f"compute() returned {len(arr)} values for a batch of {n} rows")
    return arr


def _cast(node_id: str, arr: pa.Array, output_type: str) -> pa.Array:
    target = arrow_type(output_type)
    if arr.type == target:
        return arr
    try:
        if pa.types.is_date(target) and pa.types.is_timestamp(arr.type):
            return arr.cast(target, safe=False)  # a date is the day of the timestamp
        return arr.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
        raise UdfError(node_id, None, f"compute() returned {arr.type} values that cannot be cast to {output_type}: {e}") from None


def apply_add_column(node_id: str, column: str, output_type: str, compute: Callable, batch: pd.DataFrame) -> pd.DataFrame:
    """`batch` with `column` = compute(batch) cast to `output_type` (kept as an Arrow-backed
    column so the exact type reaches the block)."""
    n = len(batch)
    if n == 0:
        arr = pa.array([], arrow_type(output_type))
    else:
        arr = _cast(node_id, _to_arrow(node_id, _call(node_id, compute, batch), n), output_type)
    out = batch.copy(deep=False)
    out[column] = pd.Series(arr.to_pandas(types_mapper=pd.ArrowDtype), index=batch.index).array
    return out


def _check_output_type(output_type: str) -> None:
    if output_type not in DECLARABLE:
        raise ValueError(f"output_type must be one of {DECLARABLE}, got {output_type!r}")


def add_column_python(node_id: str, column: str, source: str, output_type: str, compute: str = "tasks"):
    """The UDF for a Python add-column node (`source` defines `compute(batch)`): a function for
    tasks, or a callable class for an actor pool (`compute="actors"`)."""
    _check_compute(compute)
    _check_output_type(output_type)
    check_source(node_id, source)
    if compute == "actors":
        return _bind(AddColumnActor, node_id, (node_id, column, source, output_type))

    def wrapper(batch: pd.DataFrame) -> pd.DataFrame:
        fn = get_function(node_id, source, "compute")
        return apply_add_column(node_id, column, output_type, fn, batch)

    wrapper.__name__ = wrapper.__qualname__ = wrapper_name("add_column", node_id)
    return wrapper


class AddColumnActor:
    """Callable class for an actor pool: compiles and runs the module once per actor."""

    _bound_args: tuple = ()

    def __init__(self, node_id: str = None, column: str = None, source: str = None, output_type: str = None):
        if node_id is None:
            node_id, column, source, output_type = self._bound_args
        _check_output_type(output_type)
        self.node_id, self.column, self.output_type = node_id, column, output_type
        self._compute = get_function(node_id, source, "compute")

    def __call__(self, batch: pd.DataFrame) -> pd.DataFrame:
        return apply_add_column(self.node_id, self.column, self.output_type, self._compute, batch)
