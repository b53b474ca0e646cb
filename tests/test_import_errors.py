"""Bad input, kind by kind: each gives its Vietnamese message and location; valid rows still load.

Row-level problems reject only the bad row (listed in ``UnitTable.rejected``); file-level problems
raise ``DataError``. Nothing raises anything else.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest

from chiso.io.limits import MAX_TABLE_BYTES

from chiso import load_rulebook
from chiso.errors import DataError
from chiso.io import tabular, xlsx
from chiso.io.canonical import to_csv_bytes
from chiso.io.tabular import load_tabular
from seed_tay_ninh import SEED_TSV

RB = load_rulebook("portal-2026")
QD = load_rulebook("qd766-2022")
H = {  # canonical headers used below
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "level": "Cấp",
    "period": "Kỳ",
    "received": RB.input("dossiers_received").name_vi,
    "on_time": RB.input("dossiers_on_time").name_vi,
    "online": RB.input("dossiers_online").name_vi,
    "total": "Tổng điểm chính thức",
    "transparency": "Điểm nhóm chính thức: Công khai, minh bạch",
}
VALID = [
    {"code": "X1", "name": "Xã Một", "level": "Cấp xã", "received": "100", "on_time": "90", "total": "70,5"},
    {"code": "X2", "name": "Phường Hai", "level": "", "received": "1.250", "on_time": "1.200", "total": "81"},
]


def canonical(bad: dict[str, str], position: int = 1) -> bytes:
    """A canonical CSV: the two valid rows with ``bad`` inserted at ``position``."""
    rows = list(VALID)
    rows.insert(position, {"code": "B1", "name": "Xã Lỗi", "level": "Cấp xã", "received": "10", "on_time": "5", **bad})
    lines = [";".join(H[k] for k in H)]
    lines += [";".join(r.get(k, "") for k in H) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def report(edit) -> bytes:
    """The seed report TSV with one cell edited: ``edit(rows)`` changes the list of rows in place."""
    rows = [line.split("\t") for line in SEED_TSV.splitlines()]
    edit(rows)
    return "\n".join("\t".join(r) for r in rows).encode("utf-8")


def _set(row: int, col: int, value: str):
    def edit(rows):
        rows[row][col] = value

    return edit


# (id, file bytes, rulebook, expected message fragment, expected spreadsheet row, column fragment)
ROW_CASES = [
    ("non-number", canonical({"received": "mười"}), RB, "«mười» không phải số", 3, H["received"]),
    ("excel-error", canonical({"received": "#DIV/0!"}), RB, "lỗi công thức Excel «#DIV/0!»", 3, H["received"]),
    ("number-with-words", canonical({"on_time": "5 hồ sơ"}), RB, "«5 hồ sơ» không phải số", 3, H["on_time"]),
    ("nan-text", canonical({"on_time": "NaN"}), RB, "«NaN» không phải số", 3, H["on_time"]),
    ("negative-count", canonical({"on_time": "-5"}), RB, "không được âm", 3, H["on_time"]),
    ("numerator-over-denominator", canonical({"on_time": "12"}), RB, "tử số không được lớn hơn mẫu số", 3, H["on_time"]),
    ("over-fallback-denominator", canonical({"online": "11"}), RB, "lớn hơn «Tổng số hồ sơ theo hình thức nộp»", 3, H["online"]),
    ("duplicate-code", canonical({"code": "X1"}), RB, "bị trùng với dòng 2", 3, H["code"]),
    ("duplicate-code-later", canonical({"code": "X2"}, position=2), RB, "bị trùng với dòng 3", 4, H["code"]),
    ("missing-code", canonical({"code": ""}), RB, "Thiếu mã đơn vị", 3, H["code"]),
    ("missing-name", canonical({"name": ""}), RB, "Thiếu tên đơn vị", 3, H["name"]),
    ("bad-level", canonical({"level": "Cấp vũ trụ"}), RB, "Cấp «Cấp vũ trụ» không hợp lệ", 3, H["level"]),
    ("level-not-inferable", canonical({"level": "", "name": "Trung tâm Lỗi"}), RB, "Không xác định được cấp", 3, H["level"]),
    ("total-over-100", canonical({"total": "120"}), RB, "Tổng điểm 120 nằm ngoài khoảng 0–100", 3, H["total"]),
    ("group-over-max", canonical({"transparency": "25"}), RB, "Điểm 25 nằm ngoài khoảng 0–18", 3, H["transparency"]),
    ("arabic-indic-digits", canonical({"received": "٥٠"}), RB, "«٥٠» có chữ số không phải 0–9", 3, H["received"]),
    ("full-width-digits", canonical({"received": "５０"}), RB, "«５０» có chữ số không phải 0–9", 3, H["received"]),
    ("percent-as-count", canonical({"on_time": "50%"}), RB, "«50%» là tỷ lệ phần trăm, không phải số lượng", 3, H["on_time"]),
    ("percent-as-report-count", report(_set(5, 3, "80 %")), QD, "«80 %» là tỷ lệ phần trăm", 6, "Tổng số hồ sơ"),
    ("zero-width-space-in-code", canonical({"code": "X\u200b9"}), RB, "Mã đơn vị chứa ký tự ẩn hoặc ký tự điều khiển (U+200B", 3, H["code"]),
    ("rtl-override-in-code", canonical({"code": "\u202eX9"}), RB, "(U+202E", 3, H["code"]),
    ("bom-in-code", canonical({"code": "X\ufeff9"}), RB, "(U+FEFF", 3, H["code"]),
    ("no-break-space-in-code", canonical({"code": "X\u00a09"}), RB, "(U+00A0", 3, H["code"]),
    ("cyrillic-lookalike-code", canonical({"code": "Н44.100"}), RB, "chữ «Н» (U+041D) của bảng chữ cái Kirin", 3, H["code"]),
    ("greek-letter-in-code", canonical({"code": "XΟ9"}), RB, "chữ «Ο» (U+039F) của bảng chữ cái Hy Lạp", 3, H["code"]),
    ("code-over-100-chars", canonical({"code": "X" * 101}), RB, "Mã đơn vị dài 101 ký tự, tối đa 100", 3, H["code"]),
    ("control-char-in-name", canonical({"name": "Xã\x07 Lỗi"}), RB, "Tên đơn vị chứa ký tự ẩn hoặc ký tự điều khiển (U+0007", 3, H["name"]),
    ("rtl-override-in-name", canonical({"name": "Xã \u202eiỗL"}), RB, "(U+202E", 3, H["name"]),
    ("name-over-500-chars", canonical({"name": "Xã " + "A" * 600}), RB, "Tên đơn vị dài 603 ký tự, tối đa 500", 3, H["name"]),
    ("lookalike-code-in-report", report(_set(4, 2, "000.21.30.Н53")), QD, "của bảng chữ cái Kirin", 5, "Mã định danh"),
    ("rate-over-100", report(_set(3, 8, "101,5")), QD, "Tỷ lệ 101,5% nằm ngoài khoảng 0–100%", 4, "Tỷ lệ hồ sơ cấp kết quả điện tử"),
    ("negative-rate", report(_set(4, 6, "-3")), QD, "Tỷ lệ -3% nằm ngoài khoảng 0–100%", 5, "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("overdue-over-received", report(_set(2, 4, "500")), QD, "Số hồ sơ quá hạn (500) lớn hơn tổng số hồ sơ (454)", 3, "thông báo xử lý quá hạn"),
    ("rate-without-total", report(_set(2, 3, "")), QD, "không suy ra được số lượng từ tỷ lệ", 3, "Tỷ lệ hồ sơ nộp trực tuyến"),
    ("report-non-number", report(_set(5, 10, "ba trăm")), QD, "«ba trăm» không phải số", 6, "chứng thực điện tử"),
]


@pytest.mark.parametrize("case", ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_bad_row_is_rejected_and_valid_rows_load(case) -> None:
    _, data, rb, fragment, row, column = case
    name = "du-lieu-2026-Q3.csv" if rb is RB else "bao-cao-2023-02.tsv"
    t = load_tabular(name, data, rb)
    assert len(t.rejected) == 1, [str(e) for e in t.rejected]
    err = t.rejected[0]
    assert isinstance(err, DataError)
    assert fragment in err.message
    assert err.location.file == name and err.location.row == row
    assert column in (err.location.column or "")
    expected = 10 if rb is QD else 2
    assert len(t.frame) == expected
    if rb is RB:
        assert sorted(t.frame["unit_code"]) == ["X1", "X2"]
    assert any("bị loại" in w for w in t.warnings)


def test_valid_rows_are_read_exactly() -> None:
    t = load_tabular("du-lieu-2026-Q3.csv", canonical({"code": "X3", "name": "Sở Tư pháp", "level": ""}), RB)
    f = t.frame.set_index("unit_code")
    assert t.rejected == []
    assert f.loc["X2", "dossiers_received"] == 1250 and f.loc["X2", "dossiers_on_time"] == 1200
    assert f.loc["X1", "published_total"] == 70.5
    assert f["level"].to_dict() == {"X1": "commune", "X3": "department", "X2": "commune"}
    assert set(f["period"]) == {"2026-Q3"}


# ---------------------------------------------------------------- whole-file problems


def _xlsx(rows: list[list[object]], sheet: str = "Dữ liệu") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _with_doctype(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    entries = {n: src.read(n) for n in src.namelist()}
    xml = entries["xl/workbook.xml"]
    head, sep, rest = xml.partition(b"?>")
    doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    entries["xl/workbook.xml"] = head + sep + doctype + rest if sep else doctype + xml
    return _zip(entries)


GOOD_XLSX = _xlsx([["Mã đơn vị", "Tên đơn vị", H["received"]], ["X1", "Xã Một", 10]])
HEADER_ONLY = "\ufeffMã đơn vị;Tên đơn vị;" + H["received"] + "\r\n"
ALL_BAD = "Mã đơn vị;Tên đơn vị;" + H["received"] + "\nX1;Xã Một;-1\nX2;Xã Hai;abc\n"
FILE_CASES = [
    ("empty", "a.csv", b"", {}, "Tệp rỗng"),
    ("blank", "a.csv", b" \r\n\t\r\n", {}, "Tệp rỗng"),
    ("encoding", "a.csv", "Tên đơn vị;Mã".encode("utf-8") + b"\x81\x8d\xff", {}, "Không đọc được bảng mã"),
    ("utf16-without-bom", "a.csv", "Tên đơn vị;Mã đơn vị".encode("utf-16-le"), {}, "byte rỗng"),
    ("xls-97", "a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, {}, "Excel 97–2003 (.xls)"),
    ("pdf", "a.pdf", b"%PDF-1.7\n...", {}, "Tệp PDF"),
    ("image", "a.png", b"\x89PNG\r\n\x1a\n....", {}, "ảnh PNG"),
    ("docx-not-xlsx", "a.xlsx", _zip({"word/document.xml": b"<w/>"}), {}, "không phải bảng tính Excel"),
    ("truncated-xlsx", "a.xlsx", GOOD_XLSX[: len(GOOD_XLSX) // 2], {}, "bị hỏng"),
    ("xml-dtd", "a.xlsx", _with_doctype(GOOD_XLSX), {}, "không an toàn"),
    ("wrong-sheet", "a.xlsx", GOOD_XLSX, {"sheet": "Tháng 3"}, "Không có trang tính «Tháng 3»"),
    ("sheet-without-table", "a.xlsx", _xlsx([["Báo cáo"], ["(không có số liệu)"]], "Bìa"), {}, "Không tìm thấy dòng tiêu đề"),
    ("csv-without-header", "a.csv", b"1;2;3\n4;5;6\n", {}, "Không tìm thấy dòng tiêu đề"),
    ("no-name-column", "a.csv", (H["received"] + ";" + H["on_time"] + "\n10;9\n").encode(), {}, "Tên đơn vị"),
    ("header-only", "a.csv", HEADER_ONLY.encode("utf-8"), {}, "không có dòng số liệu"),
    ("all-rows-invalid", "a.csv", ALL_BAD.encode("utf-8"), {}, "Không có dòng hợp lệ nào (2 dòng bị loại)"),
    ("report-without-total", "b.tsv", report(lambda rows: [r.pop(3) for r in rows if len(r) > 3]), {}, "Thiếu cột bắt buộc «Tổng số hồ sơ"),
    ("two-columns-same-field", "a.csv", ("Tên đơn vị;Mã đơn vị;Tổng số hồ sơ tiếp nhận;" + H["received"] + "\nXã A;A;1;2\n").encode(), {}, "Hai cột cùng được hiểu"),
    ("map-to-unknown-field", "a.csv", GOOD_XLSX, {"column_map": {"Tên đơn vị": "điểm thưởng"}}, "không phải trường dữ liệu hợp lệ"),
    ("csv-has-no-sheets", "a.csv", HEADER_ONLY.encode(), {"sheet": "Dữ liệu"}, "Tệp CSV không có trang tính"),
    ("json-not-portal", "a.json", b'{"data": 1}', {}, "Không phải phản hồi đánh giá của Cổng DVCQG"),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_file_raises_data_error(case) -> None:
    _, name, data, kwargs, fragment = case
    with pytest.raises(DataError) as exc:
        load_tabular(name, data, QD if name == "b.tsv" else RB, **kwargs)
    assert fragment in str(exc.value)
    assert exc.value.location.file in (None, name)


def test_size_limits(monkeypatch) -> None:
    with pytest.raises(DataError, match="Tệp CSV/XLSX lớn hơn giới hạn 20 MB") as exc:
        load_tabular("a.csv", b"x" * (MAX_TABLE_BYTES + 1), RB)
    assert exc.value.location.file == "a.csv"
    with pytest.raises(DataError) as exc:  # exactly the limit: read, and refused for what it holds, not its size
        load_tabular("a.csv", b"x" * MAX_TABLE_BYTES, RB)
    assert "giới hạn" not in str(exc.value)
    monkeypatch.setattr(tabular, "MAX_ROWS", 1)
    with pytest.raises(DataError, match="vượt giới hạn 1 dòng"):
        load_tabular("a.csv", canonical({}), RB)
    monkeypatch.setattr(xlsx, "MAX_UNZIPPED", 1000)
    with pytest.raises(DataError, match="khi giải nén lớn hơn"):
        load_tabular("a.xlsx", GOOD_XLSX, RB)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese software writes it: base letter (â, ơ…) + combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in d if c in tones).encode("cp1258")
    return out


def test_cp1258_file_is_read_with_a_warning() -> None:
    text = "Mã đơn vị;Tên đơn vị;Cấp;" + H["received"] + "\nX1;Xã Một;Cấp xã;10\n"
    t = load_tabular("a.csv", to_cp1258(text), RB)
    assert t.frame.loc[0, "unit_name"] == "Xã Một"
    assert any("Windows-1258" in w for w in t.warnings)


def test_formula_injection_is_neutralised_and_round_trips() -> None:
    from chiso.io.canonical import canonical_frame

    t = load_tabular("a.csv", canonical({}), RB)
    t.frame.loc[0, "unit_name"] = "=HYPERLINK(\"http://x\")"
    out = to_csv_bytes(canonical_frame(t, RB)).decode("utf-8-sig")
    assert "'=HYPERLINK" in out
    back = load_tabular("b.csv", out.encode("utf-8"), RB)
    assert back.frame.loc[0, "unit_name"] == "=HYPERLINK(\"http://x\")"


def test_csv_field_over_the_limit_is_vietnamese_with_file_and_row() -> None:
    lines = ["Mã đơn vị;Tên đơn vị;" + H["received"]] + [f"X{i};Xã {i};{i}" for i in range(1, 10)]
    lines[3] = "X3;" + "x" * 200_000 + ";3"  # the fourth record: row 4
    with pytest.raises(DataError) as info:
        load_tabular("lon.csv", "\n".join(lines).encode("utf-8"), RB)
    assert "Dòng 4 có một ô dài hơn 131.072 ký tự" in info.value.message
    assert (info.value.location.file, info.value.location.row) == ("lon.csv", 4)
    assert "field" not in str(info.value) and "line contains" not in str(info.value)


def test_codes_are_nfkc_normalised_so_lookalikes_are_one_unit() -> None:
    """A full-width «Ｘ１» is the code X1: a duplicate of X1, not a second «Xã Một»."""
    t = load_tabular("a.csv", canonical({"code": "Ｘ１", "name": "Xã Một"}), RB)
    assert len(t.rejected) == 1 and "Mã đơn vị «X1» bị trùng với dòng 2" in t.rejected[0].message
    assert sorted(t.frame["unit_code"]) == ["X1", "X2"]
    ok = load_tabular("b.csv", canonical({"code": "Ｘ９"}), RB)
    assert ok.rejected == [] and "X9" in set(ok.frame["unit_code"])
