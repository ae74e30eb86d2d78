"""etl_runtime: the package generated Ray Data scripts import (see docs/generated-script.md).

    import etl_runtime as rt
    from etl_runtime import fn
    rt.require_runtime("0.1.0")
    ...
    rt.main(PLAN, build)

Modules: main (entry points), plan (Plan), writes (staged all-or-nothing writes, Run),
fsio (filesystem seam), s3 (S3 connections from the job's env), s3_commit
(S3 preflight and two-phase commit), progress + opmap + naming (Ray operators -> graph nodes, stage
events), events (ETL_EVENT lines), udf + errors (Python UDF wrappers, UdfError), fn
(expression helpers), dtypes (type names), failure (run-failed details).
"""
from . import fn
from .errors import UdfError
from .main import configure_data_context, main, path, require_runtime
from .plan import Plan
from .s3 import filesystem
from .udf import AddColumnActor, UdfFilterActor, add_column_python, udf_filter
from .version import __version__
from .writes import Run, WriteError

__all__ = [
    "__version__",
    "require_runtime",
    "path",
    "filesystem",
    "Plan",
    "main",
    "configure_data_context",
    "Run",
    "udf_filter",
    "UdfFilterActor",
    "add_column_python",
    "AddColumnActor",
    "UdfError",
    "WriteError",
    "fn",
]
