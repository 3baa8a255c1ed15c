"""The dense engine on several threads gives the serial figures to the last bit; the memory check refuses,
in one line, a table that would not fit (nrrkit.engine)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import nrrkit as nk
import nrrkit.engine as ne
import nrrkit.panel as panel_mod
from nrrkit.errors import DataError


@pytest.fixture(autouse=True)
def _default_threads():
    ne.set_threads(None)
    yield
    ne.set_threads(None)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal with ``==``, cell by cell (NaN where the other has NaN), never approximately."""
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for col in a.columns:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), col
        else:
            assert (a[col].astype(str) == b[col].astype(str)).all(), col


def _measures(mrr: pd.DataFrame) -> list[pd.DataFrame]:
    return [
        nk.bridge(mrr),
        nk.bridge(mrr, freq="Q", by="segment", reactivation_window=2),
        nk.retention(mrr, window=12),
        nk.retention(mrr, window=3, by="plan", method="lazy"),
        nk.retention(mrr, window=6, method="survivors", by="segment"),
        nk.retention(mrr, window=3, method="compounded"),
        nk.retention(mrr, window=4, method="cohort_avg", by="channel", total=True),
        nk.movements(mrr, by="segment", reactivation_window=1),
    ]


def test_threads_give_the_serial_figures_to_the_last_bit(monkeypatch):
    # 700 customers over 24 months in blocks of 64 customers: 11 blocks; the matrix is filled and the
    # months are numbered in chunks of 512 rows, so every threaded path runs
    monkeypatch.setattr(panel_mod, "BLOCK", 64)
    monkeypatch.setattr(panel_mod, "FILL_ROWS", 512)
    mrr = nk.read_mrr(nk.datasets.generate(700, 24, seed=7))
    assert len(mrr) > 4 * 512 and mrr["customer_id"].nunique() > 10 * 64
    pools = []
    real_pool = ne.ThreadPoolExecutor

    def spy(max_workers, **kw):
        pools.append(max_workers)
        return real_pool(max_workers=max_workers, **kw)

    monkeypatch.setattr(ne, "ThreadPoolExecutor", spy)
    ne.set_threads(1)
    serial = _measures(mrr)
    assert pools == []  # one thread: no pool at all, today's serial path
    ne.set_threads(4)
    panel_mod._forget()  # the matrix is built anew on 4 threads, not kept from the serial run
    threaded = _measures(mrr)
    assert pools and set(pools) == {4}  # the blocks, the fill and the month numbers ran on 4 threads
    for a, b in zip(serial, threaded):
        _same(a, b)


def test_fill_sums_duplicate_rows_in_row_order_in_every_chunk(monkeypatch):
    # customer 0 has three rows in month 0: 0.1 + 0.2 + 0.3 added in that order is 0.6000000000000001,
    # while 0.3 + 0.2 + 0.1 would be 0.6; chunks of 2 rows still keep a customer's rows together
    cust = np.array([0, 0, 0, 0, 1, 1, 2, 3, 3, 3], dtype="int64")
    ords = np.array([600, 600, 600, 601, 600, 602, 601, 600, 600, 602], dtype="int64")
    w = np.array([0.1, 0.2, 0.3, 5.0, 1.0, 2.0, 3.0, 0.7, 0.1, 4.0])
    seg = np.array([1, 1, 2, 0, 0, 0, 1, 2, 1, 0], dtype="int32")
    ne.set_threads(1)
    v1, c1 = panel_mod._fill(cust, ords, 600, w, seg, 4, 3)
    monkeypatch.setattr(panel_mod, "FILL_ROWS", 2)
    ne.set_threads(3)
    v3, c3 = panel_mod._fill(cust, ords, 600, w, seg, 4, 3)
    assert v1[0, 0] == 0.1 + 0.2 + 0.3 == 0.6000000000000001
    assert v1[3, 0] == 0.7 + 0.1 == 0.7999999999999999
    assert np.array_equal(v1, v3) and np.array_equal(c1, c3)
    assert v1.tolist() == [[0.1 + 0.2 + 0.3, 5.0, 0.0], [1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [0.7 + 0.1, 0.0, 4.0]]
    # the codes: the last row of a customer-month wins; -1 where the customer has no row
    assert c1.tolist() == [[2, 0, -1], [0, -1, 0], [-1, 1, -1], [1, -1, 0]]


def test_thread_count_from_the_environment_and_the_setting(monkeypatch):
    monkeypatch.delenv(ne.ENV_THREADS, raising=False)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert ne.threads() == cores
    monkeypatch.setenv(ne.ENV_THREADS, "3")
    assert ne.threads() == 3
    ne.set_threads(1)  # the setting wins over the environment
    assert ne.threads() == 1
    ne.set_threads(None)
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(ne.ENV_THREADS, bad)
        with pytest.raises(DataError, match=f"NRRKIT_THREADS='{bad}': give a whole number of threads >= 1"):
            ne.threads()
    with pytest.raises(DataError, match="set_threads takes a whole number"):
        ne.set_threads(0)


def test_memory_estimate_by_hand():
    # the tiny company: 6 customers x 4 months, 17 rows, one block of 6 customers (so one thread,
    # however many there are), filled on one thread (17 rows < 2 chunks): matrix 6 x 4 x 8 = 192,
    # filling 24 x 17 = 408, block 1 x 6 x 4 x 130 = 3,120; total 3,720 bytes
    assert ne.dense_bytes(6, 4, 17, block=16_384, chunk=1 << 20, workers=8) == 192 + 408 + 3_120 == 3_720
    # by= adds int32 codes: 6 x 4 x 4 = 96 more; the bridge's own work is 64 bytes a cell: 6 x 4 x 64 = 1,536
    assert ne.dense_bytes(6, 4, 17, block=16_384, chunk=1 << 20, workers=8, segments=True) == 3_816
    assert ne.dense_bytes(6, 4, 17, block=16_384, chunk=1 << 20, workers=8, work=64) == 192 + 408 + 1_536
    # 1M customers x 36 months, 19,084,285 rows (the benchmark company), the bridge on 2 threads:
    # matrix 36,000,000 x 8 = 288,000,000; filled in chunks of 1,048,576 rows on 2 threads:
    # 9 x 19,084,285 = 171,758,565 + 2 x 1,048,576 x 32 = 67,108,864; blocks 2 x 16,384 x 36 x 64 = 75,497,472
    assert ne.dense_bytes(1_000_000, 36, 19_084_285, block=16_384, chunk=1 << 20, workers=2, work=64) == (
        288_000_000 + 171_758_565 + 67_108_864 + 75_497_472) == 602_364_901
    # on one thread the fill takes 24 bytes a row: 458,022,840; one block: 37,748,736
    assert ne.dense_bytes(1_000_000, 36, 19_084_285, block=16_384, chunk=1 << 20, workers=1, work=64) == (
        288_000_000 + 458_022_840 + 37_748_736)


def test_a_table_too_big_for_the_memory_is_refused_in_one_line(monkeypatch, tiny_csv):
    mrr = nk.read_mrr(tiny_csv)
    ne.set_threads(1)
    monkeypatch.setattr(ne, "available_memory", lambda: 1_000)
    # the bridge: 192 (matrix) + 408 (filling) + 6 x 4 x 64 = 1,536 (its block) = 2,136 bytes
    with pytest.raises(DataError) as err:
        nk.bridge(mrr)
    assert str(err.value) == (
        'tiny.csv: 6 customers x 4 months need about 2.1 kB of memory to compute here and the machine has 1.0 kB '
        'available; compute the figures inside DuckDB with nrrkit.sql instead (nrrkit.sql.mrr_table("tiny.csv") '
        "in Python, or the same nrrkit command with --db tiny.csv in place of the file)"
    )
    # with 2 threads and memory for one: the message offers the serial path too (2 threads on 6 customers
    # are still one block: give it 2 blocks of 3 customers). Cohort retention works at 32 bytes a cell:
    # 1 thread: 192 + 408 + 3 x 4 x 32 = 984; 2 threads: 192 + 408 + 2 x 384 = 1,368
    monkeypatch.setattr(panel_mod, "BLOCK", 3)
    ne.set_threads(2)
    monkeypatch.setattr(ne, "available_memory", lambda: 1_200)
    with pytest.raises(DataError, match=r"about 1\.4 kB .* has 1\.2 kB available; .*; or run on one thread "
                                        r"\(NRRKIT_THREADS=1\), which needs about 984 bytes$"):
        nk.retention(mrr, window=1)
    monkeypatch.setattr(ne, "available_memory", lambda: 1_368)  # just enough
    # January's base A 100 + B 200 + C 50 + F 80 = 430 pays 100 + 150 + 0 + 80 = 330 in February
    assert nk.retention(mrr, window=1)[["start_mrr", "end_mrr"]].iloc[0].tolist() == [430.0, 330.0]


def test_movements_count_the_table_they_return(monkeypatch, tiny_csv):
    mrr = nk.read_mrr(tiny_csv)
    ne.set_threads(1)
    # 192 (matrix) + 408 (filling) + 6 x 4 x 64 = 1,536 (block) + 160 x 17 = 2,720 (the table returned) = 4,856
    assert ne.dense_bytes(6, 4, 17, block=16_384, chunk=1 << 20, work=ne.WORK["movements"],
                          per_row=ne.MOVEMENTS_PER_ROW) == 4_856
    monkeypatch.setattr(ne, "available_memory", lambda: 4_855)
    with pytest.raises(DataError, match=r"^tiny\.csv: 6 customers x 4 months need about 4\.9 kB of memory"):
        nk.movements(mrr)
    monkeypatch.setattr(ne, "available_memory", lambda: 4_856)
    # 16 paying customer-months (A 4, B 3, C 2, D 3, E 2, F 2) + 3 churns (C in Feb, F in Mar, B in Apr)
    assert len(nk.movements(mrr)) == 19


def test_a_data_frame_is_told_to_save_parquet(monkeypatch):
    monkeypatch.setattr(ne, "available_memory", lambda: 10)
    with pytest.raises(DataError, match=r"^nrrkit tiny company: 6 customers x 4 months need about 2\.1 kB of memory "
                                        r"to compute here and the machine has 10 bytes available; .*\(save the table "
                                        r"as Parquet, then nrrkit\.sql\.mrr_table\(path\) in Python"):
        nk.bridge(nk.datasets.load_tiny())


def test_no_memory_figure_means_no_check(monkeypatch):
    monkeypatch.setattr(ne, "available_memory", lambda: None)
    assert len(nk.bridge(nk.datasets.load_tiny())) == 4


def test_the_cli_prints_one_line_and_exits_2(monkeypatch, tiny_csv, run):
    # 1-month cohort retention on one thread: 192 + 408 + 6 x 4 x 32 = 1,368 bytes
    monkeypatch.setattr(ne, "available_memory", lambda: 1_000)
    monkeypatch.setenv(ne.ENV_THREADS, "1")
    code, out, err = run("metrics", tiny_csv, "--window", "1", "-q")
    assert code == 2 and out == ""
    assert err == (
        "nrrkit: error: tiny.csv: 6 customers x 4 months need about 1.4 kB of memory to compute here and the "
        "machine has 1.0 kB available; compute the figures inside DuckDB with nrrkit.sql instead "
        '(nrrkit.sql.mrr_table("tiny.csv") in Python, or the same nrrkit command with --db tiny.csv in place of '
        "the file)\n"
    )


def test_available_memory_reads_meminfo():
    have = ne.available_memory()
    if os.path.exists("/proc/meminfo"):
        line = next(x for x in open("/proc/meminfo") if x.startswith("MemAvailable:"))
        assert have is not None and have % 1024 == 0 and have > 0
        assert abs(have - int(line.split()[1]) * 1024) < 2**30  # read a moment apart: within 1 GiB


def test_a_containers_memory_limit_counts(tmp_path, monkeypatch):
    v2, v1, none = tmp_path / "v2", tmp_path / "v1", tmp_path / "none"
    for d in (v2, v1, none):
        d.mkdir()
    # cgroup v2: limit 1,000,000; in use 600,000 of which 100,000 inactive file cache -> 1,000,000 - 500,000
    (v2 / "memory.max").write_text("1000000\n")
    (v2 / "memory.current").write_text("600000\n")
    (v2 / "memory.stat").write_text("anon 400000\nfile 200000\ninactive_file 100000\nactive_file 100000\n")
    assert ne.container_memory((str(v2),)) == 500_000
    # cgroup v1: limit 4,096, usage 1,024 of which 24 inactive file cache -> 4,096 - 1,000 = 3,096
    (v1 / "memory.limit_in_bytes").write_text("4096\n")
    (v1 / "memory.usage_in_bytes").write_text("1024\n")
    (v1 / "memory.stat").write_text("cache 100\ntotal_inactive_file 24\n")
    assert ne.container_memory((str(none), str(v1))) == 3_096
    # no limit: "max" (v2) or the v1 kernel's 9223372036854771712; no files at all
    (v2 / "memory.max").write_text("max\n")
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")
    assert ne.container_memory((str(v2),)) is None and ne.container_memory((str(v1),)) is None
    assert ne.container_memory((str(none),)) is None
    # the machine's MemAvailable is lowered to the container's room
    (v2 / "memory.max").write_text("1000000\n")
    monkeypatch.setattr(ne, "CGROUP_ROOTS", (str(v2),))
    if os.path.exists("/proc/meminfo"):
        assert ne.available_memory() == 500_000


# --------------------------------------------------------------------------- pages


def _sysfs(root, enabled: str, devices: dict[str, tuple[str, str]]) -> str:
    """A fake /sys: the huge-page policy and virtio devices as (device id, feature bits)."""
    mm = root / "kernel" / "mm" / "transparent_hugepage"
    mm.mkdir(parents=True)
    (mm / "enabled").write_text(enabled + "\n")
    for name, (device, features) in devices.items():
        d = root / "bus" / "virtio" / "devices" / name
        d.mkdir(parents=True)
        (d / "device").write_text(device + "\n")
        (d / "features").write_text(features + "\n")
    return str(root)


REPORTING = "0110010" + "0" * 57  # bits 1, 2 and 5 (free page reporting), as the project's VM shows
NO_REPORTING = "0110000" + "0" * 57


@pytest.mark.parametrize(("enabled", "devices", "slow"), [
    ("always [madvise] never", {"virtio0": ("0x0005", REPORTING), "virtio1": ("0x0002", "1" * 64)}, True),
    ("always [madvise] never", {"virtio0": ("0x0005", NO_REPORTING)}, False),  # a balloon that keeps free memory
    ("always [madvise] never", {"virtio1": ("0x0002", REPORTING)}, False),  # a disk, not a balloon
    ("[always] madvise never", {"virtio0": ("0x0005", REPORTING)}, False),  # numpy's request changes nothing
    ("always madvise [never]", {"virtio0": ("0x0005", REPORTING)}, False),
    ("always [madvise] never", {}, False),  # bare metal
])
def test_huge_pages_are_slow_only_under_a_reporting_balloon(tmp_path, enabled, devices, slow):
    root = _sysfs(tmp_path, enabled, devices)
    assert ne.huge_pages_refaulted.__wrapped__(root) is slow


def test_no_sysfs_means_nothing_changes(tmp_path):
    assert ne.huge_pages_refaulted.__wrapped__(str(tmp_path / "missing")) is False


def test_plain_pages_turn_the_request_off_and_back(monkeypatch):
    state = {"on": True}
    calls = []

    def off():
        calls.append("off")
        state["on"] = False
        return lambda: (calls.append("back"), state.__setitem__("on", True))

    monkeypatch.setattr(ne, "_switch", lambda: off)
    with ne.plain_pages():
        assert state["on"] is False
        with ne.plain_pages():  # nested: switched once, put back once
            assert state["on"] is False
        assert state["on"] is False
    assert state["on"] is True and calls == ["off", "back"]
    with pytest.raises(ValueError), ne.plain_pages():
        raise ValueError("an error inside still puts it back")
    assert state["on"] is True and calls == ["off", "back", "off", "back"]


def test_what_the_user_set_wins(monkeypatch):
    monkeypatch.setattr(ne, "huge_pages_refaulted", lambda: True)
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    assert ne._switch() is ne._pages_off
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    assert ne._switch() is None  # the user chose for numpy: nrrkit leaves it alone
    monkeypatch.setattr(ne, "huge_pages_refaulted", lambda: False)
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE")
    assert ne._switch() is None  # bare metal: nothing changes


def test_the_real_switch_puts_back_what_was_there():
    from numpy._core import multiarray

    advice = multiarray._get_madvise_hugepage()
    undo = ne._numpy_off()
    assert multiarray._get_madvise_hugepage() is False
    undo()
    assert multiarray._get_madvise_hugepage() is advice


def _thp_disabled() -> int:
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl(ne._PR_GET_THP_DISABLE, 0, 0, 0, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_THP_DISABLE is Linux's")
def test_the_process_switch_puts_back_what_was_there():
    if _thp_disabled() < 0:
        pytest.skip("this kernel or sandbox refuses PR_GET_THP_DISABLE")
    assert _thp_disabled() == 0
    undo = ne._process_off()
    if undo is None:
        pytest.skip("this sandbox refuses PR_SET_THP_DISABLE")
    assert _thp_disabled() == 1
    inner = ne._process_off()  # already off (by the user, or an outer block): putting back leaves it off
    inner()
    assert _thp_disabled() == 1
    undo()
    assert _thp_disabled() == 0


def test_numpy_alone_where_the_process_switch_is_refused(monkeypatch):
    from numpy._core import multiarray

    monkeypatch.setattr(ne, "_process_off", lambda: None)
    advice = multiarray._get_madvise_hugepage()
    undo = ne._pages_off()
    assert multiarray._get_madvise_hugepage() is False
    undo()
    assert multiarray._get_madvise_hugepage() is advice


def test_figures_do_not_depend_on_the_pages(monkeypatch, tmp_path):
    path = tmp_path / "company.csv"
    nk.datasets.generate(300, 24, seed=3).to_csv(path, index=False)
    monkeypatch.setattr(ne, "huge_pages_refaulted", lambda: False)
    plain = nk.read_mrr(path)
    before = _measures(plain)
    # as on a machine where huge pages are slow, whatever machine runs the tests: huge pages off
    monkeypatch.setattr(ne, "huge_pages_refaulted", lambda: True)
    monkeypatch.setattr(ne, "_switch", lambda: ne._pages_off)
    switched = nk.read_mrr(path)
    pd.testing.assert_frame_equal(switched, plain)
    for a, b in zip(before, _measures(switched)):
        _same(a, b)


# --------------------------------------------------------------------------- the kept matrix

TWO = "customer_id,month,mrr,segment\na,2024-01,10,SMB\nb,2024-01,20,Ent\na,2024-02,10,SMB\nb,2024-02,20,Ent\n"


def _feb(mrr: pd.DataFrame) -> tuple:
    b = nk.bridge(mrr)
    row = b[b["period"] == pd.Timestamp("2024-02-01")].iloc[0]
    return (row["start_mrr"], row["new"], row["expansion"], row["contraction"], row["churn"], row["end_mrr"])


def test_the_next_measure_uses_the_kept_matrix(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(TWO)
    mrr = nk.read_mrr(path)
    first = panel_mod.build(mrr)
    assert panel_mod.build(mrr) is first  # the same matrix, not built again
    assert not first.values.flags.writeable  # no measure can change it
    with pytest.raises(ValueError):
        first.values[0, 0] = 1.0
    # a by= matrix replaces it (one is kept), and is kept in turn
    by_segment = panel_mod.build(mrr, by="segment")
    assert by_segment is not first and panel_mod.build(mrr, by="segment") is by_segment
    # February by hand: a 10 and b 20 both months, start 30, nothing moves, end 30
    assert _feb(mrr) == (30.0, 0.0, 0.0, 0.0, 0.0, 30.0)
    assert _feb(mrr) == (30.0, 0.0, 0.0, 0.0, 0.0, 30.0)


@pytest.mark.filterwarnings("ignore:The inplace keyword")
@pytest.mark.parametrize(("edit", "feb"), [
    # a's February 10 -> 15: expansion 5, end 35
    (lambda m: m.__setitem__("mrr", m["mrr"].where(m.index != 2, 15.0)), (30.0, 0.0, 5.0, 0.0, 0.0, 35.0)),
    (lambda m: m.loc.__setitem__((2, "mrr"), 15.0), (30.0, 0.0, 5.0, 0.0, 0.0, 35.0)),
    (lambda m: m.iloc.__setitem__((2, 2), 15.0), (30.0, 0.0, 5.0, 0.0, 0.0, 35.0)),
    # a's February row given to a new customer c: a churns 10, c is new with 10
    (lambda m: m.loc.__setitem__((2, "customer_id"), "c"), (30.0, 10.0, 0.0, 0.0, 10.0, 30.0)),
    # b's February row moved to March: b churns 20 in February (its March return is reactivation)
    (lambda m: m.loc.__setitem__((3, "month"), pd.Timestamp("2024-03-01")), (30.0, 0.0, 0.0, 0.0, 20.0, 10.0)),
    # a's February row dropped in place: a churns 10
    (lambda m: m.drop(index=2, inplace=True), (30.0, 0.0, 0.0, 0.0, 10.0, 20.0)),  # noqa: PD002
    # the span set to end in March: February itself is unchanged, the matrix is a month wider
    (lambda m: m.attrs.__setitem__("horizon", {"first": "2024-01", "last": "2024-03"}),
     (30.0, 0.0, 0.0, 0.0, 0.0, 30.0)),
])
def test_a_table_changed_after_a_measure_is_measured_anew(tmp_path, edit, feb):
    path = tmp_path / "two.csv"
    path.write_text(TWO)
    mrr = nk.read_mrr(path)
    assert _feb(mrr) == (30.0, 0.0, 0.0, 0.0, 0.0, 30.0)  # the matrix is kept now
    kept = panel_mod.build(mrr)
    edit(mrr)
    assert panel_mod.build(mrr) is not kept
    assert _feb(mrr) == feb
    assert _feb(mrr.copy(deep=True)) == feb  # what a table the cache never saw gives
    # the months measured: March too once a row or the span reaches it
    assert len(nk.bridge(mrr)) == len(nk.bridge(mrr.copy(deep=True))) == (3 if max(nk.horizon(mrr)[1], mrr["month"].max()).month == 3 else 2)


def test_a_segment_edited_in_place_is_segmented_anew(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(TWO)
    mrr = nk.read_mrr(path)
    before = nk.retention(mrr, window=1, by="segment")
    assert sorted(before["segment"].unique()) == ["Ent", "SMB"]
    mrr.loc[3, "segment"] = "SMB"  # b's February row now says SMB
    after = nk.retention(mrr, window=1, by="segment")
    pd.testing.assert_frame_equal(after, nk.retention(mrr.copy(deep=True), window=1, by="segment"))


def test_the_kept_matrix_goes_with_its_table(tmp_path):
    import gc

    path = tmp_path / "two.csv"
    path.write_text(TWO)
    mrr = nk.read_mrr(path)
    nk.bridge(mrr)
    assert panel_mod._slot.get("key") == id(mrr)
    del mrr
    gc.collect()
    assert not panel_mod._slot


def test_memory_of_a_kept_matrix_is_not_counted_again():
    # the example of test_memory_estimate_by_hand with the matrix built: only the blocks remain,
    # 2 threads x 500 customers x 12 months x 130 bytes = 1,560,000 bytes
    assert ne.dense_bytes(1_000, 12, 10_000, block=500, chunk=65_536, workers=2, built=True) == 1_560_000


def test_a_frame_on_the_callers_own_arrays_is_never_kept():
    # a canonical frame made by hand on a numpy array the caller may change without pandas knowing
    values = np.array([10.0, 20.0, 10.0, 20.0])
    mrr = pd.DataFrame({"customer_id": ["a", "b", "a", "b"],
                        "month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"]),
                        "mrr": values}, copy=False)
    assert _feb(mrr) == (30.0, 0.0, 0.0, 0.0, 0.0, 30.0)
    assert panel_mod.build(mrr) is not panel_mod.build(mrr)
    assert np.shares_memory(values, mrr["mrr"].to_numpy())  # copy=False: the frame is a view of it
    values[2] = 15.0  # a's February 10 -> 15, behind pandas' back
    # measured anew: expansion 5, end 10 + 5 + 20 = 35 (a kept matrix would still say 30)
    assert _feb(mrr) == (30.0, 0.0, 5.0, 0.0, 0.0, 35.0)
