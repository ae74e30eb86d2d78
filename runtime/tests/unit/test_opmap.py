"""opmap: Ray operator names -> graph nodes (pure; the real-Ray check is in test_progress.py).

Operator names below are the shapes Ray 2.60 printed for our pipelines (see test_progress.py
and the report): fused `A->B->C`, `ListFiles` before `ReadFilesParquetV2`, a sort as
`SortSample(partitions=N)` / `SortShuffleMap(...)` / `SortShuffleReduce(...)`, and `Write`.
"""
import pytest

from etl_runtime.naming import parse_wrapper_name, wrapper_name
from etl_runtime.opmap import classify, map_operators, split_operator_name

FULL = [
    ("read", "read-parquet"),
    ("ratio", "add-column"),
    ("drop", "drop-columns"),
    ("keep", "udf-filter"),
    ("sort", "sort"),
    ("flag", "add-column"),
    ("out", "write"),
]


def as_dict(result):
    return {name: nodes for name, nodes in result}


def test_split_respects_parentheses_and_quotes():
    assert split_operator_name("ReadParquet->Project->MapBatches(f)") == ["ReadParquet", "Project", "MapBatches(f)"]
    assert split_operator_name("Filter((col('s') == 'a->b'))->Write") == ["Filter((col('s') == 'a->b'))", "Write"]
    assert split_operator_name('Filter(x == "->")->Write') == ['Filter(x == "->")', "Write"]
    assert split_operator_name("MapBatches(g(a->b))") == ["MapBatches(g(a->b))"]
    assert split_operator_name("Input") == ["Input"]


def test_wrapper_names_round_trip():
    assert wrapper_name("udf_filter", "keep") == "udf_filter__keep"
    assert parse_wrapper_name("udf_filter__keep") == ("udf_filter", "keep")
    assert parse_wrapper_name("AddColumnActor__my__node") == ("AddColumnActor", "my__node")
    assert parse_wrapper_name("AddColumnActor") == ("AddColumnActor", None)
    assert parse_wrapper_name("my_udf") == (None, None)
    with pytest.raises(ValueError):
        wrapper_name("nope", "x")


@pytest.mark.parametrize(
    "text,role",
    [
        ("Input", "none"),
        ("ListFiles", "read"),
        ("ReadFilesParquetV2", "read"),
        ("ReadParquet", "read"),
        ("Project", "expr"),
        ("Filter((col('a') > 5))", "expr"),
        ("MapBatches(udf_filter__keep)", "udf"),
        ("MapBatches(something_else)", "udf"),
        ("MapBatches(drop_columns)", "expr"),
        ("SortSample(partitions=200)", "sort"),
        ("SortShuffleReduce(partitions=4)", "sort"),
        ("Sort", "sort"),
        ("Write", "write"),
        ("Limit[limit=10]", "other"),
    ],
)
def test_classify(text, role):
    assert classify(text).role == role


def test_everything_fused_into_the_read_then_sort_phases_then_actor_then_write():
    names = [
        "Input",
        "ListFiles",
        "ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)",
        "SortSample(partitions=200)",
        "SortShuffleMap(partitions=200)",
        "SortShuffleReduce(partitions=200)",
        "MapBatches(AddColumnActor__flag)",
        "Write",
    ]
    assert map_operators(FULL, names) == [
        ("Input", []),
        ("ListFiles", ["read"]),
        ("ReadFilesParquetV2->Project->MapBatches(udf_filter__keep)", ["read", "ratio", "drop", "keep"]),
        ("SortSample(partitions=200)", ["sort"]),
        ("SortShuffleMap(partitions=200)", ["sort"]),
        ("SortShuffleReduce(partitions=200)", ["sort"]),
        ("MapBatches(AddColumnActor__flag)", ["flag"]),
        ("Write", ["out"]),
    ]


def test_fused_reduce_udf_and_write():
    names = ["Input", "ListFiles", "ReadFilesParquetV2->Project->MapBatches(UdfFilterActor__keep)",
             "SortSample(partitions=4)", "SortShuffleMap(partitions=4)",
             "SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write"]
    got = as_dict(map_operators(FULL, names))
    assert got["SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write"] == ["sort", "flag", "out"]
    assert got["ReadFilesParquetV2->Project->MapBatches(UdfFilterActor__keep)"] == ["read", "ratio", "drop", "keep"]


def test_expression_nodes_pushed_into_the_read_attach_to_the_read():
    chain = [("read", "read-parquet"), ("ratio", "add-column"), ("drop", "drop-columns"), ("out", "write")]
    got = map_operators(chain, ["Input", "ListFiles", "ReadFilesParquetV2", "Write"])
    assert as_dict(got) == {"Input": [], "ListFiles": ["read"], "ReadFilesParquetV2": ["read", "ratio", "drop"], "Write": ["out"]}


def test_two_projects_between_anchors_split_the_expression_nodes_in_order():
    chain = [("r", "read-parquet"), ("a", "add-column"), ("b", "add-column"), ("c", "drop-columns"),
             ("k", "udf-filter"), ("o", "write")]
    names = ["ReadParquet->Project", "Limit[limit=5]->Project->MapBatches(udf_filter__k)->Write"]
    assert map_operators(chain, names) == [
        ("ReadParquet->Project", ["r", "a"]),
        ("Limit[limit=5]->Project->MapBatches(udf_filter__k)->Write", ["b", "c", "k", "o"]),
    ]


def test_projection_after_udf_is_its_own_component():
    chain = [("r", "read-parquet"), ("k", "udf-filter"), ("d", "add-column"), ("o", "write")]
    names = ["ReadFilesParquetV2->MapBatches(udf_filter__k)->Project", "Write"]
    assert map_operators(chain, names) == [
        ("ReadFilesParquetV2->MapBatches(udf_filter__k)->Project", ["r", "k", "d"]),
        ("Write", ["o"]),
    ]


def test_expression_after_sort_pushed_before_it_attaches_to_the_sort():
    chain = [("r", "read-parquet"), ("s", "sort"), ("d", "drop-columns"), ("o", "write")]
    names = ["ReadParquet->Project", "SortSample(partitions=4)", "SortShuffleMap(partitions=4)",
             "SortShuffleReduce(partitions=4)->Write"]
    got = as_dict(map_operators(chain, names))
    # the drop has no Project after the sort: it belongs to the sort's last phase
    assert got["SortShuffleReduce(partitions=4)->Write"] == ["s", "d", "o"]
    assert got["ReadParquet->Project"] == ["r"]


def test_two_sorts_in_a_row_are_two_instances():
    chain = [("r", "read-parquet"), ("s1", "sort"), ("s2", "sort"), ("o", "write")]
    names = ["ReadParquet", "SortSample(partitions=2)", "SortShuffleMap(partitions=2)",
             "SortShuffleReduce(partitions=2)", "SortSample(partitions=2)", "SortShuffleMap(partitions=2)",
             "SortShuffleReduce(partitions=2)->Write"]
    got = map_operators(chain, names)
    assert [n for _, n in got] == [["r"], ["s1"], ["s1"], ["s1"], ["s2"], ["s2"], ["s2", "o"]]


def test_sort_without_sampling_phase_and_legacy_sort_name():
    chain = [("r", "read-parquet"), ("s", "sort"), ("o", "write")]
    got = map_operators(chain, ["ReadParquet", "SortShuffleMap(partitions=1)", "SortShuffleReduce(partitions=1)", "Write"])
    assert [n for _, n in got] == [["r"], ["s"], ["s"], ["o"]]
    got = map_operators(chain, ["ReadParquet", "Sort", "Write"])
    assert [n for _, n in got] == [["r"], ["s"], ["o"]]


def test_unnamed_actor_classes_fall_back_to_the_next_node_of_their_kind():
    names = ["Input", "ListFiles", "ReadFilesParquetV2->Project->MapBatches(UdfFilterActor)",
             "SortSample(partitions=4)", "SortShuffleMap(partitions=4)", "SortShuffleReduce(partitions=4)",
             "MapBatches(AddColumnActor)", "Write"]
    got = as_dict(map_operators(FULL, names))
    assert got["ReadFilesParquetV2->Project->MapBatches(UdfFilterActor)"] == ["read", "ratio", "drop", "keep"]
    assert got["MapBatches(AddColumnActor)"] == ["flag"]


def test_ray_column_udfs_count_as_expressions():
    # Ray 2.60 plans drop_columns as MapBatches(drop_columns) when the input type is unknown
    names = ["ListFiles", "ReadFilesParquetV2->Project->MapBatches(drop_columns)->MapBatches(UdfFilterActor__keep)"]
    got = map_operators(FULL[:4], names)
    assert got[1][1] == ["read", "ratio", "drop", "keep"]
    chain = [("r", "read-parquet"), ("a", "add-column"), ("d", "drop-columns"), ("o", "write")]
    got = map_operators(chain, ["ReadParquet->Project", "MapBatches(drop_columns)->Write"])
    assert got == [("ReadParquet->Project", ["r", "a"]), ("MapBatches(drop_columns)->Write", ["d", "o"])]


def test_unknown_udf_names_absorb_like_expressions():
    chain = [("r", "read-parquet"), ("k", "udf-filter"), ("o", "write")]
    got = map_operators(chain, ["ReadParquet->MapBatches(custom_fn)", "Write"])
    assert got == [("ReadParquet->MapBatches(custom_fn)", ["r", "k"]), ("Write", ["o"])]


def test_every_node_is_assigned_and_order_follows_the_chain():
    names = ["Input", "ListFiles", "ReadFilesParquetV2->Project", "MapBatches(udf_filter__keep)->Project",
             "SortSample(partitions=4)", "SortShuffleMap(partitions=4)",
             "SortShuffleReduce(partitions=4)->MapBatches(add_column__flag)->Write"]
    got = map_operators(FULL, names)
    seen = [n for _, nodes in got for n in nodes]
    assert set(seen) == {n for n, _ in FULL}
    for _, nodes in got:
        assert nodes == [n for n, _ in FULL if n in nodes]


def test_node_id_match_wins_over_position():
    chain = [("r", "read-parquet"), ("a", "udf-filter"), ("b", "udf-filter"), ("o", "write")]
    got = map_operators(chain, ["ReadParquet", "MapBatches(udf_filter__b)", "MapBatches(udf_filter__a)", "Write"])
    assert as_dict(got)["MapBatches(udf_filter__b)"] == ["b"]
    assert as_dict(got)["MapBatches(udf_filter__a)"] == ["a"]


def test_unrecognised_read_still_maps_everything_somewhere():
    chain = [("r", "read-parquet"), ("a", "add-column"), ("o", "write")]
    got = map_operators(chain, ["Input", "FromArrow", "Project", "Write"])
    assert as_dict(got)["Project"] == ["r", "a"]
    assert as_dict(got)["Write"] == ["o"]


def test_empty_inputs():
    assert map_operators([], []) == []
    assert map_operators(FULL[:1], []) == []
    assert map_operators([], ["Input", "Write"]) == [("Input", []), ("Write", [])]
