"""udf: filter / add-column wrappers over pandas batches, names, errors with user line numbers."""
import pickle

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import ray.cloudpickle as cloudpickle

import etl_runtime as rt
from etl_runtime import udf
from etl_runtime.errors import UdfError


@pytest.fixture
def batch():
    return pd.DataFrame({"marketplace": ["US", "UK", "US", "DE"], "total_votes": [0, 5, 150, 7]})


def keep_src(body: str) -> str:
    return "import pandas as pd\nimport numpy as np\n\ndef keep(batch):\n" + "".join(f"    {l}\n" for l in body.splitlines())


@pytest.mark.parametrize(
    "body",
    [
        "return (batch['marketplace'] == 'US') & (batch['total_votes'] > 0)",  # bool Series
        "return ((batch['marketplace'] == 'US') & (batch['total_votes'] > 0)).to_numpy()",  # ndarray
        "return [False, False, True, False]",  # list
        "return pd.Series([pd.NA, False, True, None], dtype='boolean')",  # nullable: NA -> False
        "return np.array([None, False, True, None], dtype=object)",  # object with None
        "return batch[(batch['marketplace'] == 'US') & (batch['total_votes'] > 0)]",  # subset
        "return batch[(batch['marketplace'] == 'US') & (batch['total_votes'] > 0)][['total_votes', 'marketplace']]",
        "import pyarrow as pa\nreturn pa.array([None, False, True, False])",  # arrow, null -> False
        "return pd.Series([False, False, True, False], index=[10, 11, 12, 13])",  # positional, not aligned
    ],
)
def test_filter_accepts_masks_and_subsets(batch, body):
    out = rt.udf_filter("keep", keep_src(body))(batch)
    assert out.to_dict("list") == {"marketplace": ["US"], "total_votes": [150]}
    assert list(out.index) == [0]


def test_filter_empty_batch_is_not_passed_to_user_code(batch):
    out = rt.udf_filter("keep", keep_src("raise RuntimeError('called')"))(batch.iloc[:0])
    assert len(out) == 0 and list(out.columns) == list(batch.columns)


@pytest.mark.parametrize(
    "body,needle",
    [
        ("return 1", "returned int"),
        ("return batch['total_votes']", "dtype int64"),
        ("return [True, False]", "2 values for a batch of 4 rows"),
        ("return batch[['marketplace']]", "missing ['total_votes']"),
        ("return batch.assign(x=1)", "extra ['x']"),
        ("return ['yes', 'no', 'yes', 'no']", "str 'yes'"),
        ("return np.ones((2, 2), dtype=bool)", "2-D"),
    ],
)
def test_filter_wrong_return_names_the_node(batch, body, needle):
    with pytest.raises(UdfError) as info:
        rt.udf_filter("keep_us", keep_src(body))(batch)
    assert info.value.node_id == "keep_us"
    assert needle in str(info.value)
    assert "[node keep_us]" in str(info.value)


def test_exception_in_user_code_carries_the_user_line(batch):
    src = (
        "def helper(b):\n"  # 1
        "    return b['nope']\n"  # 2
        "\n"  # 3
        "def keep(batch):\n"  # 4
        "    x = 1\n"  # 5
        "    return helper(batch) > x\n"  # 6
    )
    with pytest.raises(UdfError) as info:
        rt.udf_filter("n7", src)(batch)
    err = info.value
    assert (err.node_id, err.line) == ("n7", 2)  # the last frame in the user's code
    assert err.message.startswith("KeyError")
    assert any('File "<udf n7>", line 6, in keep' in l for l in err.user_traceback)
    assert any("return b['nope']" in l for l in err.user_traceback)  # linecache shows the source
    assert not any("etl_runtime" in l for l in err.user_traceback)


def test_error_at_module_top_level_and_missing_function(batch):
    with pytest.raises(UdfError) as info:
        rt.udf_filter("top", "import math\nx = 1 / 0\n")(batch)
    assert info.value.line == 2 and "ZeroDivisionError" in info.value.message
    with pytest.raises(UdfError, match="must define a function keep"):
        rt.udf_filter("nokeep", "def kept(batch):\n    return batch\n")(batch)


def test_syntax_error_is_raised_when_the_pipeline_is_built():
    with pytest.raises(UdfError) as info:
        rt.udf_filter("syn", "def keep(batch):\n    return (\n")
    assert info.value.node_id == "syn" and info.value.line is not None
    assert info.value.message.startswith("SyntaxError")
    with pytest.raises(UdfError):
        rt.add_column_python("syn2", "c", "def compute(b) return 1\n", "int64")


def test_udf_error_pickles():
    e = UdfError("keep", 3, "KeyError: 'x'", ["Traceback", '  File "<udf keep>", line 3'])
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        back = loads(dumps(e))
        assert (back.node_id, back.line, back.message, back.user_traceback) == (e.node_id, e.line, e.message, e.user_traceback)
        assert str(back) == "[node keep] line 3: KeyError: 'x'"


def test_wrapper_names_carry_the_node_id():
    src = keep_src("return batch['total_votes'] > 0")
    assert rt.udf_filter("keep", src).__name__ == "udf_filter__keep"
    cls = rt.udf_filter("keep", src, compute="actors")
    assert isinstance(cls, type) and cls.__name__ == "UdfFilterActor__keep" and issubclass(cls, rt.UdfFilterActor)
    add = "def compute(batch):\n    return batch['total_votes'] * 2\n"
    assert rt.add_column_python("flag", "c", add, "int64").__name__ == "add_column__flag"
    assert rt.add_column_python("flag", "c", add, "int64", compute="actors").__name__ == "AddColumnActor__flag"
    with pytest.raises(ValueError):
        rt.udf_filter("keep", src, compute="gpus")
    with pytest.raises(ValueError):
        rt.add_column_python("flag", "c", add, "int32")


def test_actor_classes_compile_once_and_survive_cloudpickle(batch):
    src = "CALLS = []\ndef keep(batch):\n    CALLS.append(1)\n    return batch['total_votes'] > 5\n"
    for cls, args in ((rt.udf_filter("act", src, compute="actors"), ()), (rt.UdfFilterActor, ("act", src))):
        cls = cloudpickle.loads(cloudpickle.dumps(cls))
        actor = cls(*args)
        assert actor(batch)["total_votes"].tolist() == [150, 7]
        assert actor(batch)["total_votes"].tolist() == [150, 7]
    module = udf.load_module("act", src)
    assert len(module.CALLS) == 4  # one module per (node, source) in this process, shared


def test_task_wrapper_survives_cloudpickle(batch):
    fn = cloudpickle.loads(cloudpickle.dumps(rt.udf_filter("pick", keep_src("return batch['total_votes'] >= 7"))))
    assert fn(batch)["total_votes"].tolist() == [150, 7]


ADD_CASES = [
    ("bool", "return batch['total_votes'] < 100", pa.bool_(), [True, True, False, True]),
    ("int64", "return batch['total_votes'] * 2", pa.int64(), [0, 10, 300, 14]),
    ("int64", "return pd.Series([1, None, 3, 4], dtype='Int64')", pa.int64(), [1, None, 3, 4]),
    ("float64", "return batch['total_votes'] / 2", pa.float64(), [0.0, 2.5, 75.0, 3.5]),
    ("float64", "return [1, 2, None, 4]", pa.float64(), [1.0, 2.0, None, 4.0]),
    ("string", "return batch['marketplace'].str.lower()", pa.string(), ["us", "uk", "us", "de"]),
    ("string", "return batch['total_votes']", pa.string(), ["0", "5", "150", "7"]),
    ("date32", "return pd.to_datetime(['2020-01-02 10:00', '2021-03-04 00:00', None, '1999-12-31 23:59'])", pa.date32(), None),
    ("timestamp", "return pd.to_datetime(['2020-01-02 10:00', '2021-03-04 00:00', None, '1999-12-31 23:59'])", pa.timestamp("us"), None),
]


@pytest.mark.parametrize("output_type,body,arrow,expected", ADD_CASES)
def test_add_column_casts_to_the_declared_type(batch, output_type, body, arrow, expected):
    src = "import pandas as pd\n\ndef compute(batch):\n    " + body + "\n"
    out = rt.add_column_python("c", "new", src, output_type)(batch)
    assert list(out.columns) == ["marketplace", "total_votes", "new"]
    table = pa.Table.from_pandas(out, preserve_index=False)
    assert table.schema.field("new").type == arrow
    if expected is not None:
        assert table.column("new").to_pylist() == expected
    else:
        values = table.column("new").to_pylist()
        assert values[2] is None and str(values[0]).startswith("2020-01-02")


def test_add_column_replaces_an_existing_column_in_place(batch):
    out = rt.add_column_python("c", "total_votes", "def compute(b):\n    return b['total_votes'] + 1\n", "int64")(batch)
    assert list(out.columns) == ["marketplace", "total_votes"] and out["total_votes"].tolist() == [1, 6, 151, 8]
    assert batch["total_votes"].tolist() == [0, 5, 150, 7]  # the input batch is not modified


def test_add_column_empty_batch_gets_a_typed_column(batch):
    out = rt.add_column_python("c", "new", "def compute(b):\n    raise RuntimeError\n", "float64")(batch.iloc[:0])
    assert pa.Table.from_pandas(out, preserve_index=False).schema.field("new").type == pa.float64()


@pytest.mark.parametrize(
    "body,needle",
    [
        ("return 3", "returned int"),
        ("return [1, 2]", "2 values for a batch of 4 rows"),
        ("return batch['marketplace']", "cannot be cast to int64"),
        ("return batch[['total_votes']].to_numpy()", "1-D"),
    ],
)
def test_add_column_wrong_results_name_the_node(batch, body, needle):
    with pytest.raises(UdfError) as info:
        rt.add_column_python("c9", "new", "def compute(batch):\n    " + body + "\n", "int64")(batch)
    assert info.value.node_id == "c9" and needle in str(info.value)


def test_add_column_actor_with_constructor_args(batch):
    actor = rt.AddColumnActor("flag", "low", "def compute(b):\n    return b['total_votes'] < 100\n", "bool")
    assert actor(batch)["low"].tolist() == [True, True, False, True]
    bound = rt.add_column_python("flag", "low", "def compute(b):\n    return b['total_votes'] < 6\n", "bool", compute="actors")
    assert bound()(batch)["low"].tolist() == [True, True, False, False]
