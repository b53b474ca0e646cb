"""Property: whatever bytes arrive, the importers answer with a UnitTable or a DataError — nothing else.

And whatever they accept, the engine can score. Example counts are modest to keep the suite fast;
``HYPOTHESIS_PROFILE=deep`` runs many more (derandomised by default so CI is reproducible).
"""
from __future__ import annotations

import csv
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from chiso import load_rulebook, score
from chiso.errors import DataError
from chiso.io.columns import canonical_columns
from chiso.io.tabular import load_tabular
from chiso.units import UnitTable
from seed_tay_ninh import SEED_TSV

RB = load_rulebook("portal-2026")
QD = load_rulebook("qd766-2022")

settings.register_profile("ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"


def examples(n: int) -> int:
    return n * 20 if DEEP else n


HEADERS = [c.header for c in canonical_columns(RB)] + SEED_TSV.splitlines()[0].split("\t") + [
    "STT", "Tỷ lệ hồ sơ quá hạn (%)", "Ghi chú", "Xếp hạng", "", "Cấp", "Kỳ", "Dữ liệu giả lập",
]
NUMBERS = st.one_of(
    st.integers(-5, 10**7).map(str),
    st.floats(-10, 10**6, allow_nan=False).map(lambda x: f"{x:.2f}".replace(".", ",")),
    st.floats(0, 10**6, allow_nan=False).map(lambda x: f"{x:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")),
    st.floats(0, 100, allow_nan=False).map(lambda x: f"{x:.2f}%"),
    st.sampled_from(["", "-", "—", "#DIV/0!", "NaN", "inf", "1e309", "+ 1,70", "x", "1.2.3", "'=1+1", "TRUE"]),
)
TEXT = st.one_of(
    st.sampled_from(HEADERS),
    st.sampled_from(["Xã A", "Phường 1", "Sở Tư pháp", "UBND tỉnh X", "Cấp xã", "Cấp tỉnh", "2026-Q3", "Tổng cộng", "(1)"]),
    st.text(max_size=12),
)
CELL = st.one_of(NUMBERS, TEXT, st.none())
GRID = st.lists(st.lists(CELL, min_size=1, max_size=8), min_size=0, max_size=12)


def outcome(name: str, data: bytes, rb=RB, **kwargs) -> UnitTable | DataError:
    try:
        table = load_tabular(name, data, rb, **kwargs)
    except DataError as exc:
        assert exc.message, "a DataError always says what is wrong"
        return exc
    check_table(table, name, rb)
    return table


def check_table(table: UnitTable, name: str, rb) -> None:
    f = table.frame
    assert set(rb.input_keys) <= set(f.columns)
    for k in rb.input_keys:
        assert f[k].dtype.kind == "f"
        assert not (f[k] < 0).any()
    assert f["unit_code"].map(lambda c: isinstance(c, str) and c != "").all()
    assert all(isinstance(e, DataError) and e.location.file == name for e in table.rejected)
    assert len(table.provenance) == len(f)
    score(f, rb)  # whatever the importer accepts, the engine can score


def with_header(grid: list[list[str | None]]) -> list[list[str | None]]:
    """Most random grids get a plausible header so the row checks are exercised, not only the sniffing."""
    return [["Mã đơn vị", "Tên đơn vị", "Cấp", "Tổng số hồ sơ tiếp nhận", "Tỷ lệ hồ sơ nộp trực tuyến (%)", "Tổng điểm chính thức"]] + grid


def to_csv(grid: list[list[str | None]], sep: str, encoding: str, bom: bool) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=sep).writerows([[c or "" for c in row] for row in grid])
    text = ("\ufeff" if bom and encoding == "utf-8" else "") + buf.getvalue()
    return text.encode(encoding, errors="replace")


@settings(max_examples=examples(150))
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.tsv", "a.txt", "a.json", "a"]))
def test_random_bytes(data: bytes, name: str) -> None:
    outcome(name, data)


@settings(max_examples=examples(60))
@given(
    head=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"{", b"%PDF"]),
    tail=st.binary(max_size=500),
)
def test_random_bytes_behind_known_magic(head: bytes, tail: bytes) -> None:
    outcome("a.xlsx", head + tail)


@settings(max_examples=examples(150))
@given(
    grid=GRID,
    header=st.booleans(),
    sep=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1258"]),
    bom=st.booleans(),
    rb=st.sampled_from([RB, QD]),
)
def test_random_csv(grid, header, sep, encoding, bom, rb) -> None:
    grid = with_header(grid) if header else grid
    outcome("du-lieu-2026-Q3.csv", to_csv(grid, sep, encoding, bom), rb)


@settings(max_examples=examples(40))
@given(grid=GRID, header=st.booleans(), merges=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2), st.integers(0, 3)), max_size=3))
def test_random_xlsx(grid, header, merges) -> None:
    grid = with_header(grid) if header else grid
    wb = Workbook()
    ws = wb.active
    for row in grid:
        ws.append([_typed(c) for c in row])
    for r, c, dr, dc in merges:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    buf = io.BytesIO()
    wb.save(buf)
    outcome("du-lieu.xlsx", buf.getvalue())


def _typed(cell: str | None) -> object:
    """Numbers as Excel numbers half of the time, as typed text otherwise."""
    if cell is None:
        return cell
    cell = ILLEGAL_CHARACTERS_RE.sub("", cell)  # control characters cannot be stored in xlsx at all
    if cell.startswith("="):
        return cell
    try:
        return float(cell) if len(cell) % 2 else cell
    except ValueError:
        return cell


_GOOD = None


def _good_xlsx() -> bytes:
    global _GOOD
    if _GOOD is None:
        wb = Workbook()
        ws = wb.active
        ws.append(["Mã đơn vị", "Tên đơn vị", "Tổng số hồ sơ tiếp nhận"])
        ws.append(["X1", "Xã Một", 10])
        ws.merge_cells("A3:C3")
        buf = io.BytesIO()
        wb.save(buf)
        _GOOD = buf.getvalue()
    return _GOOD


@settings(max_examples=examples(60))
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8), cut=st.integers(0, 10**6))
def test_mutated_xlsx(edits, cut) -> None:
    data = bytearray(_good_xlsx())
    for pos, value in edits:
        data[pos % len(data)] = value
    if cut % 3 == 0:
        data = data[: cut % len(data)]
    outcome("a.xlsx", bytes(data))


def test_the_good_workbook_loads() -> None:
    t = outcome("a.xlsx", _good_xlsx())
    assert isinstance(t, UnitTable) and t.frame["unit_code"].tolist() == ["X1"]
