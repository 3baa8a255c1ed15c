"""The multithreaded read (nrrkit.encode): codes written out by hand, and the Parquet and CSV reads
checked against the DataFrame path and against pandas on random small tables.

The block size and thread count are patched small in some tests so the block-by-block paths run
on tables of a few rows (on the real read a block is a million rows).
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nrrkit as nk
import nrrkit.encode as enc
import nrrkit.engine as ne
from nrrkit.engine import map_ordered, threads
from nrrkit.errors import DataError


@contextmanager
def small_blocks(rows: int = 3, threads: int = 3):
    """Blocks of ``rows`` rows on ``threads`` threads, so a table of a few rows is cut into several blocks."""
    ne.set_threads(threads)
    try:
        with mock.patch.object(enc, "BLOCK", rows):
            yield
    finally:
        ne.set_threads(None)


# --------------------------------------------------------------------------- encode, by hand


def test_encode_plain_chunks_first_appearance_order():
    # chunks: [C2 C1 C2] [C3 C1] [] [C2 C4]
    # distinct in order of first appearance: C2=0, C1=1, C3=2, C4=3
    col = pa.chunked_array([["C2", "C1", "C2"], ["C3", "C1"], [], ["C2", "C4"]], type=pa.large_string())
    codes, distinct = enc.encode(col)
    assert distinct.to_pylist() == ["C2", "C1", "C3", "C4"]
    assert codes.tolist() == [0, 1, 0, 2, 1, 0, 3]
    assert codes.dtype == np.int8  # 4 categories: pandas' own code type


def test_encode_dictionary_chunks_shared_and_own_dictionaries():
    # a Parquet row group's pages share one dictionary; the next row group has its own
    shared = pa.array(["x", "y", "z"])
    own = pa.array(["w", "y"])
    col = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([2, 0], pa.int32()), shared),        # z x
        pa.DictionaryArray.from_arrays(pa.array([0, 0, 2], pa.int32()), shared),     # x x z
        pa.DictionaryArray.from_arrays(pa.array([1, 0, None], pa.int32()), own),     # y w (missing)
    ])
    codes, distinct = enc.encode(col)
    # merged dictionary: the shared one once (x y z), then the new entry of the other (w);
    # y, unused in the first row group, keeps its place: entries no row uses stay
    assert distinct.to_pylist() == ["x", "y", "z", "w"]
    # rows: z x | x x z | y w missing
    assert codes.tolist() == [2, 0, 0, 0, 2, 1, 3, -1]


def test_encode_consecutive_dictionaries_are_shifted_exactly():
    # row group 1: 30,000 ids v0..v29999 (codes 0..29999); row group 2: its own dictionary of 5,000
    # new ids n0..n4999, int16 indices like the rest, which land on codes 30000..34999 (a shift by
    # 30,000: n4999 is code 34999, past int16's 32767); row group 3: [n0, v5] (a lookup, not a shift)
    first = pa.array([f"v{i}" for i in range(30_000)])
    second = pa.array([f"n{i}" for i in range(5_000)])
    col = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([29_999, 0, 5], pa.int16()), first),
        pa.DictionaryArray.from_arrays(pa.array([4_999, 0, 4_999], pa.int16()), second),
        pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int16()), pa.array(["n0", "v5"])),
    ])
    codes, distinct = enc.encode(col)
    assert len(distinct) == 35_000 and distinct.to_pylist()[30_000] == "n0"
    assert codes.dtype == np.int32  # 35,000 categories
    assert codes.tolist() == [29_999, 0, 5, 34_999, 30_000, 34_999, 5, 30_000]


def test_encode_missing_values_and_empty_dictionary():
    plain = pa.chunked_array([["a", None, "b"], [None], ["b", "a"]])
    codes, distinct = enc.encode(plain)
    assert distinct.to_pylist() == ["a", "b"]
    assert codes.tolist() == [0, -1, 1, -1, 1, 0]
    dicts = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([0], pa.int32()), pa.array(["a"])),
        pa.DictionaryArray.from_arrays(pa.array([None, None], pa.int32()), pa.array([], pa.string())),
        pa.DictionaryArray.from_arrays(pa.array([0, None], pa.int32()), pa.array(["b"])),
    ])
    codes, distinct = enc.encode(dicts)
    assert distinct.to_pylist() == ["a", "b"]
    assert codes.tolist() == [0, -1, -1, 1, -1]


def test_encode_empty_and_single_array():
    codes, distinct = enc.encode(pa.chunked_array([], type=pa.string()))
    assert codes.tolist() == [] and distinct.to_pylist() == []
    codes, distinct = enc.encode(pa.array(["q", "p", "q"]))
    assert codes.tolist() == [0, 1, 0] and distinct.to_pylist() == ["q", "p"]


def test_categorical_matches_pandas():
    col = pa.chunked_array([["b", "a"], ["b", "c", None]], type=pa.large_string())
    cat = enc.categorical(col)
    assert list(cat.categories) == ["b", "a", "c"]
    assert cat.codes.tolist() == [0, 1, 0, 2, -1]
    # the same categories, codes and types as pandas' own Categorical of the decoded text
    ref = pd.Categorical(col.to_pandas(), categories=cat.categories)
    assert cat.codes.tolist() == ref.codes.tolist() and cat.codes.dtype == ref.codes.dtype
    # the dtype built without pandas' second uniqueness check equals the checked one, to the index type
    checked = pd.CategoricalDtype(cat.categories)
    assert cat.dtype == checked and cat.categories.dtype == checked.categories.dtype
    assert cat.dtype.ordered is False and cat.categories.is_unique
    pd.testing.assert_series_equal(pd.Series(cat), pd.Series(pd.Categorical(col.to_pandas(), dtype=checked)))


@pytest.mark.parametrize("n, dtype", [(1, np.int8), (126, np.int8), (127, np.int16), (32766, np.int16),
                                      (32767, np.int32), (2**31 - 2, np.int32), (2**31 - 1, np.int64)])
def test_code_dtype_is_pandas_choice(n, dtype):
    # pandas stores n categories' codes in int8 while n < 127 (np.iinfo(np.int8).max), and so on
    assert enc.code_dtype(n) == dtype
    if n <= 40_000:
        assert pd.Categorical.from_codes([0], categories=range(n)).codes.dtype == dtype


def test_blocks_gather_counts_by_hand():
    with small_blocks(rows=3, threads=3):
        assert enc.blocks(10) == [(0, 3), (3, 6), (6, 10)]  # blocks of 3 to 5 rows
        assert enc.blocks(5) == [(0, 5)]  # cut in two, a block would have fewer than 3 rows
        table = np.array([10, 20, 30, 40])
        index = np.array([3, 0, 0, 2, 1, 3, 3, 0, 2, 1])
        assert enc.gather(table, index).tolist() == [40, 10, 10, 30, 20, 40, 40, 10, 30, 20]
        # codes -1 (missing) x2, 0 x2, 1 x1, 2 x2; code 3 of k=4 unused
        counts = enc.code_counts(np.array([-1, 0, 2, 2, -1, 1, 0], dtype=np.int8), 4)
        assert counts.tolist() == [2, 2, 1, 2, 0]
        taken = enc.take_text(pa.array(["a", "b", "c"], pa.large_string()), np.array([2, 2, 0, 1, 0, 2, 1]))
        assert taken.to_pylist() == ["c", "c", "a", "b", "a", "c", "b"] and taken.num_chunks == 2


def test_groups_of_chunks_by_rows():
    with small_blocks(rows=3, threads=3):
        # 12 rows in three groups, each starting where its first chunk starts: rows before a, b, c are
        # 0, 1, 2 (group 0 = rows 0-3), d and e start at rows 6 and 7 (group 1), f at row 8 (group 2)
        assert enc.groups(list("abcdef"), [1, 1, 4, 1, 1, 4]) == [["a", "b", "c"], ["d", "e"], ["f"]]
        assert enc.groups(["x"], [100]) == [["x"]]  # one chunk: one group
        assert enc.groups(list("ab"), [1, 1]) == [["a", "b"]]  # 2 rows: under a block, one group


def test_one_thread_is_the_serial_path(tmp_path):
    # NRRKIT_THREADS=1 / set_threads(1): no pool, and Arrow parses on one thread; the same table
    frame = pd.DataFrame({"customer_id": ["b", "a", "b", "c"], "month": ["2024-01", "2024-01", "2024-02", "2024-02"],
                          "mrr": [1.5, 2.0, 3.0, 4.25]})
    path = _parquet(frame, tmp_path / "s.parquet", 1)
    with small_blocks(rows=1, threads=1):
        assert threads() == 1
        serial = nk.read_mrr(path)
    with small_blocks(rows=1, threads=4):
        threaded = nk.read_mrr(path)
    pd.testing.assert_frame_equal(serial, threaded)
    assert serial["customer_id"].tolist() == ["b", "a", "b", "c"] and serial["mrr"].tolist() == [1.5, 2.0, 3.0, 4.25]


def test_map_ordered_keeps_order():
    # the read's chunks come back in their order on 4 threads: 0, 1, 4, 9, ... 361
    with small_blocks(threads=4):
        assert map_ordered(lambda x: x * x, list(range(20))) == [x * x for x in range(20)]


# --------------------------------------------------------------------------- the read, by hand


def _parquet(frame: pd.DataFrame, path, row_group_size: int, dictionary: bool = True):
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=row_group_size,
                   use_dictionary=dictionary)
    return path


def test_multichunk_parquet_by_hand(tmp_path):
    # 7 records in row groups of 2; a and " a" are one customer; (a, 2024-02) twice -> summed
    frame = pd.DataFrame({
        "customer_id": ["a", "b", " a", "c", "b", "a", "c"],
        "month": ["2024-01", "2024-01", "2024-02", "2024-02", "2024-02", "2024-02", "2024-03"],
        "mrr": [10.0, 20.5, 11.0, 5.0, 21.0, 1.25, 6.0],
        "segment": ["SMB", "Ent", "SMB", "Mid", "Ent", "SMB", "Mid"],
    })
    path = _parquet(frame, tmp_path / "seven.parquet", row_group_size=2)
    assert pq.read_table(path).column("customer_id").num_chunks == 4
    with small_blocks():
        table = nk.read_mrr(path)
    assert table["customer_id"].tolist() == ["a", "b", "a", "c", "b", "c"]
    assert table["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-01", "2024-02", "2024-02", "2024-02",
                                                             "2024-03"]
    # a in 2024-02: 11.00 + 1.25 = 12.25, in the first of its two rows (record 3)
    assert table["mrr"].tolist() == [10.0, 20.5, 12.25, 5.0, 21.0, 6.0]
    assert list(table["segment"].cat.categories) == ["SMB", "Ent", "Mid"]  # first appearance
    rep = nk.load_report(table)
    assert (rep.customers, rep.rows_summed, rep.months) == (3, 1, 3)
    assert rep.total_mrr == 10.0 + 20.5 + 12.25 + 5.0 + 21.0 + 6.0  # 74.75
    assert rep.last_mrr == 6.0


def test_multichunk_parquet_errors_name_the_record(tmp_path):
    frame = pd.DataFrame({"customer_id": ["a", "b", "a", "c", "b", "a"],
                          "month": ["2024-01", "2024-01", "2024-02", "2024-02", "2029-13", "2024-03"],
                          "mrr": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    with small_blocks():
        with pytest.raises(DataError) as err:
            nk.read_mrr(_parquet(frame, tmp_path / "m.parquet", 2))
    assert str(err.value).startswith("m.parquet, record 5, column 'month': value '2029-13'")
    frame.loc[4, "month"] = "2031-01"  # after max_month
    with small_blocks(), pytest.raises(DataError) as err:
        nk.read_mrr(_parquet(frame, tmp_path / "late.parquet", 2), max_month="2030-12")
    assert str(err.value) == ("late.parquet, record 5, column 'month': value '2031-01' is after 2030-12 (MRR is "
                              "what customers paid, not a plan); fix the year, or pass max_month='YYYY-MM' (CLI: "
                              "--max-month) if later months are intended.")
    frame.loc[4, "month"] = "1989-12"
    with small_blocks(), pytest.raises(DataError) as err:
        nk.read_mrr(_parquet(frame, tmp_path / "early.parquet", 2))
    assert str(err.value) == ("early.parquet, record 5, column 'month': value '1989-12' is before 1990; "
                              "fix the year.")
    frame.loc[4, "month"] = "2024-03"
    frame.loc[[3, 5], "customer_id"] = None  # two missing ids, in the second and third row groups
    with small_blocks(), pytest.raises(DataError) as err:
        nk.read_mrr(_parquet(frame, tmp_path / "ids.parquet", 1))
    assert str(err.value) == ("ids.parquet, record 4, column 'customer_id': value '' is empty (and 1 more row "
                              "like it); every row needs a customer id; fill it in or delete the row.")


def test_csv_duplicates_error_names_both_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("customer_id,month,mrr\na,2024-01,1\nb,2024-01,2\na,2024-01,3\n")
    with small_blocks(), pytest.raises(DataError) as err:
        nk.read_mrr(path, duplicates="error")
    assert str(err.value) == ("d.csv, row 4, column 'customer_id': value 'a' already has a row for 2024-01 at row 2; "
                              "remove one, or pass duplicates='sum' to add them up")


# --------------------------------------------------------------------------- the read, as a property

IDS = st.sampled_from(["a", "b", " b", "c1", "C1", "dd", "é", "x y"])
MONTHS = st.sampled_from(["2023-11", "2023-12", "2024-01", "2024-02", "2024-04", "2024-04-30"])
CENTS = st.integers(0, 500_000).map(lambda c: c / 100)


@st.composite
def long_tables(draw):
    n = draw(st.integers(1, 40))
    return pd.DataFrame({
        "customer_id": draw(st.lists(IDS, min_size=n, max_size=n)),
        "month": draw(st.lists(MONTHS, min_size=n, max_size=n)),
        "mrr": draw(st.lists(CENTS, min_size=n, max_size=n)),
        "segment": draw(st.lists(st.sampled_from(["SMB", "Mid", "Ent"]), min_size=n, max_size=n)),
    })


def _same(table: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert table["customer_id"].tolist() == ref["customer_id"].tolist()
    assert table["month"].tolist() == ref["month"].tolist()
    assert table["mrr"].tolist() == ref["mrr"].tolist()  # the same sums in the same order: equal to the bit
    assert table["segment"].astype(str).tolist() == ref["segment"].astype(str).tolist()
    a, b = nk.load_report(table), nk.load_report(ref)
    for field in ("customers", "rows_read", "rows_summed", "months", "first_month", "last_month", "total_mrr",
                  "last_mrr"):
        assert getattr(a, field) == getattr(b, field), field


def _pandas_expected(frame: pd.DataFrame) -> pd.DataFrame:
    """What the read must give, by pandas alone: ids stripped, months as first days, one row per
    customer and month in the order of its first row, amounts summed (to the cent)."""
    f = frame.assign(customer_id=frame["customer_id"].str.strip(),
                     month=pd.to_datetime(frame["month"].str[:7] + "-01"))
    return f.groupby(["customer_id", "month"], sort=False, as_index=False)["mrr"].sum()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(frame=long_tables(), row_group=st.integers(1, 7), dictionary=st.booleans(), rows=st.integers(1, 5),
       threads=st.integers(1, 4))
def test_parquet_and_csv_reads_equal_the_dataframe_read_and_pandas(tmp_path_factory, frame, row_group, dictionary,
                                                                   rows, threads):
    d = tmp_path_factory.mktemp("prop")
    path = _parquet(frame, d / "t.parquet", row_group, dictionary)
    frame.to_csv(d / "t.csv", index=False)
    ref = nk.read_mrr(frame)  # the DataFrame path: pandas' factorize, no Arrow encoding
    with small_blocks(rows, threads):
        from_parquet = nk.read_mrr(path)
        from_csv = nk.read_mrr(d / "t.csv")
    _same(from_parquet, ref)
    _same(from_csv, ref)
    expected = _pandas_expected(frame)
    assert from_parquet["customer_id"].tolist() == expected["customer_id"].tolist()
    assert from_parquet["month"].tolist() == expected["month"].tolist()
    np.testing.assert_allclose(from_parquet["mrr"].to_numpy(), expected["mrr"].to_numpy(), rtol=0, atol=1e-6)
    # the customers and their order as the measures number them (sorted ids), remembered by the read
    from nrrkit.idcodes import cached_codes

    hit = cached_codes(from_parquet["customer_id"].array)
    assert hit is not None
    codes, ids = hit
    assert list(ids) == sorted(set(expected["customer_id"]))
    assert ids.take(codes).tolist() == from_parquet["customer_id"].tolist()


def test_csv_attributes_repeating_are_categorical_unique_are_text(tmp_path):
    # six rows: 'segment' holds 2 distinct values (2 * 2 <= 6: a Categorical, as from Parquet);
    # 'note' holds 5 distinct values (2 * 5 > 6: text); an empty cell and a leading space are kept as written
    path = tmp_path / "attrs.csv"
    path.write_text("customer_id,month,mrr,segment,note\n"
                    "a,2024-01,10,SMB,n1\na,2024-02,10,SMB,n2\nb,2024-01,5,Ent,n3\n"
                    "b,2024-02,5,Ent,\nc,2024-01,7,SMB, n5\nc,2024-02,7,SMB,n1\n")
    table = nk.read_mrr(path)
    assert isinstance(table["segment"].dtype, pd.CategoricalDtype)
    assert list(table["segment"].cat.categories) == ["SMB", "Ent"]  # order of first appearance
    assert table["segment"].tolist() == ["SMB", "SMB", "Ent", "Ent", "SMB", "SMB"]
    assert pd.api.types.is_string_dtype(table["note"].dtype)
    assert not isinstance(table["note"].dtype, pd.CategoricalDtype)
    assert table["note"].tolist() == ["n1", "n2", "n3", "", " n5", "n1"]
    # the segment breakdown is the same as from the text: 2024-02 MRR 10 + 7 = 17 in SMB, 5 in Ent
    feb = table[table["month"] == "2024-02-01"].groupby("segment", observed=True)["mrr"].sum()
    assert feb.to_dict() == {"SMB": 17.0, "Ent": 5.0}


def test_an_id_edited_in_place_is_not_read_with_the_old_codes(tmp_path):
    # a and b pay 10 and 20 in January and February; then the February row of a is given to a new
    # customer c in place (the id column's Arrow data is swapped inside the same pandas array).
    # February must read: a churned 10, c new 10 (start 30, end 30), not the codes remembered
    # by the read, which would still say a paid in February (no churn, no new).
    path = tmp_path / "two.csv"
    path.write_text("customer_id,month,mrr\na,2024-01,10\nb,2024-01,20\na,2024-02,10\nb,2024-02,20\n")
    table = nk.read_mrr(path)
    before = table["customer_id"].array
    table.loc[2, "customer_id"] = "c"
    feb = nk.bridge(table).iloc[-1]
    assert (feb["start_mrr"], feb["new"], feb["churn"], feb["end_mrr"]) == (30.0, 10.0, 10.0, 30.0)
    assert (feb["new_customers"], feb["churned_customers"]) == (1, 1)
    # the same edit on a copy the cache never saw gives the same figures
    assert nk.bridge(table.copy(deep=True)).iloc[-1].equals(feb)
    assert table["customer_id"].array is before  # the case the cache has to catch: the same array object


def test_a_csv_parsed_in_many_blocks_reads_as_in_one(tmp_path, monkeypatch):
    # a real file of a few MB is parsed in blocks, each with dictionaries of its own that the read
    # merges; 4 KB blocks cut this 300-customer file (about 200 KB) into dozens of them
    import nrrkit.io.files as files

    frame = nk.datasets.generate(300, 24, seed=5)
    path = tmp_path / "company.csv"
    frame.to_csv(path, index=False)
    whole = nk.read_mrr(path)
    sizes = []
    monkeypatch.setattr(files, "parse_block", lambda size: sizes.append(size) or 4096)
    blocks = nk.read_mrr(path)
    assert sizes == [path.stat().st_size] and path.stat().st_size // 4096 > 20
    pd.testing.assert_frame_equal(blocks, whole)
    pd.testing.assert_frame_equal(nk.bridge(blocks), nk.bridge(nk.read_mrr(frame)))
