"""Canonical CSV/XLSX import: formats, number conventions, layouts, mapping, periods, provenance."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from chiso import load_rulebook
from chiso.io.canonical import canonical_frame, to_csv_bytes, to_xlsx_bytes
from chiso.io.cells import decide_decimal, fold, parse_number, NumberError
from chiso.io.columns import mapping_targets
from chiso.io.load import load_paths
from chiso.io.tabular import load_tabular, period_from_name, period_from_title
from chiso.io.upload import load_uploaded

ROOT = Path(__file__).resolve().parents[1]
RB = load_rulebook("portal-2026")
CANON_PT = ROOT / "sample_data" / "canonical" / "phu-tho-2026-q3.csv"
RECEIVED = RB.input("dossiers_received").name_vi
ON_TIME = RB.input("dossiers_on_time").name_vi


def xlsx(rows: list[list[object]], sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    for r in rows:
        ws.append(r)
    for name, extra in (sheets or {}).items():
        other = wb.create_sheet(name, 0)
        for r in extra:
            other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_and_csv_canonical_read_the_same() -> None:
    t = load_paths([CANON_PT], RB)
    frame = canonical_frame(t, RB)
    a = load_tabular("phu-tho.csv", to_csv_bytes(frame), RB)
    b = load_tabular("phu-tho.xlsx", to_xlsx_bytes(frame), RB)
    cols = ["unit_code", "unit_name", "level", "parent_code", "period", *RB.input_keys, "published_total"]
    pd.testing.assert_frame_equal(a.frame[cols], b.frame[cols])
    pd.testing.assert_frame_equal(a.frame[cols], t.frame[cols])


@pytest.mark.parametrize(
    "text,decimal,expected",
    [
        ("91,48", ",", 91.48), ("1.234,5", ",", 1234.5), ("1.546", ",", 1546), ("+ 1,70", ",", 1.7),
        ("- 1,15", ",", -1.15), ("\u2212 2", ",", -2), ("64,02%", ",", 64.02), ("74.6", ",", 74.6),
        (" 1 546 ", ",", 1546), ("1,234.5", ".", 1234.5), ("0.25", ".", 0.25), ("—", ",", np.nan), ("", ",", np.nan),
    ],
)
def test_vietnamese_numbers(text: str, decimal: str, expected: float) -> None:
    got = parse_number(text, decimal)
    assert (np.isnan(got) and np.isnan(expected)) or got == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12 hồ sơ", "nan", "inf", "1e5", "#REF!", "..", "+"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def test_decimal_convention_is_taken_from_the_file() -> None:
    assert decide_decimal(["91,48", "1.546", "12"]) == ","
    assert decide_decimal(["91.48", "1,546.5", "0.5"]) == "."
    assert decide_decimal(["1.546"]) == ","  # ambiguous: the vi-VN reading wins
    csv_en = f'Mã đơn vị,Tên đơn vị,"{RECEIVED}","{ON_TIME}"\nX1,Xã A,"1,546",1500.5\nX2,Xã B,10.25,10\n'
    t = load_tabular("en.csv", csv_en.encode(), RB)
    assert t.frame["dossiers_received"].tolist() == [1546, 10.25]
    assert t.frame["dossiers_on_time"].tolist() == [1500.5, 10]


def test_internal_names_work_as_headers() -> None:
    text = "unit_code;unit_name;level;period;dossiers_received;dossiers_on_time;published_total\nX1;Xã A;commune;2026-Q3;100;99;70,25\n"
    t = load_tabular("a.csv", text.encode(), RB)
    assert t.frame.loc[0, ["dossiers_received", "dossiers_on_time", "published_total"]].tolist() == [100, 99, 70.25]


def test_layout_noise_is_skipped_and_listed() -> None:
    """Title, column-number row, section rows, a total row and a footnote around the data."""
    rows = [
        ["BÁO CÁO SỐ LIỆU QUÝ 3 NĂM 2026", None, None, None],
        [None, None, None, None],
        ["STT", "Tên đơn vị", "Mã đơn vị", RECEIVED],
        ["(1)", "(2)", "(3)", "(4)"],
        ["I", "Sở, ban, ngành", None, None],
        [1, "Sở Tư pháp", "S1", 120],
        ["II", "UBND cấp xã", None, None],
        [2, "Xã Một", "X1", 80],
        [None, "Tổng cộng", None, 200],
        ["Ghi chú: số liệu tạm tính", None, None, None],
    ]
    t = load_tabular("bao-cao.xlsx", xlsx(rows), RB)
    assert t.frame["unit_code"].tolist() == ["S1", "X1"]
    assert t.frame["level"].tolist() == ["department", "commune"]
    assert set(t.frame["period"]) == {"2026-Q3"}  # from the title
    assert t.rejected == []
    skipped = next(w for w in t.warnings if w.startswith("Bỏ qua"))
    for text in ("dòng 5 «Sở, ban, ngành»", "dòng 9 «Tổng cộng» (dòng tổng)", "dòng 10 «Ghi chú"):
        assert text in skipped


def test_first_sheet_with_a_table_and_sheet_by_name() -> None:
    data = xlsx([["Mã đơn vị", "Tên đơn vị", RECEIVED], ["X1", "Xã A", 5]], sheets={"Bìa": [["Báo cáo"]]})
    assert load_tabular("a.xlsx", data, RB).frame["unit_code"].tolist() == ["X1"]
    assert load_tabular("a.xlsx", data, RB, sheet="dữ liệu").frame["unit_code"].tolist() == ["X1"]


def test_column_map_by_header_or_letter() -> None:
    text = "Mã đơn vị;Tên đơn vị;HS nhận;HS đúng hạn\nX1;Xã A;100;90\n"
    t = load_tabular("a.csv", text.encode(), RB)
    assert t.unmapped_columns == ["HS nhận", "HS đúng hạn"]
    m = load_tabular("a.csv", text.encode(), RB, column_map={"hs nhan": "dossiers_received", "D": "dossiers_on_time"})
    assert m.unmapped_columns == []
    assert m.frame.loc[0, ["dossiers_received", "dossiers_on_time"]].tolist() == [100, 90]
    assert m.column_map == {"Mã đơn vị": "unit_code", "Tên đơn vị": "unit_name", "HS nhận": "dossiers_received", "HS đúng hạn": "dossiers_on_time"}
    targets = mapping_targets(RB)
    assert targets["dossiers_received"].endswith(RECEIVED) and "rate:dossiers_e_result" in targets


def test_rates_and_counts_in_one_file_count_wins() -> None:
    text = "Mã đơn vị;Tên đơn vị;Tổng số hồ sơ tiếp nhận;Số hồ sơ có cấp kết quả điện tử;Tỷ lệ hồ sơ cấp kết quả điện tử (%)\n"
    text += "X1;Xã A;200;150;80\nX2;Xã B;200;;80\n"
    t = load_tabular("a.csv", text.encode(), RB)
    assert t.frame["dossiers_e_result"].tolist() == [150, 160]
    assert t.provenance["dossiers_e_result"].tolist() == ["given", "derived"]


def test_several_periods_and_duplicates_across_periods() -> None:
    text = "Mã đơn vị;Tên đơn vị;Kỳ;Tổng số hồ sơ tiếp nhận\nX1;Xã A;2026-Q2;10\nX1;Xã A;2026-Q3;12\nX2;Xã B;2026-Q3;1\n"
    t = load_tabular("a.csv", text.encode(), RB)
    assert t.rejected == [] and t.periods == ["2026-Q2", "2026-Q3"]
    q3 = t.for_period("2026-Q3")
    assert q3.frame["unit_code"].tolist() == ["X1", "X2"] and q3.column_map == t.column_map


def test_synthetic_marker_column_and_file_name() -> None:
    base = "Mã đơn vị;Tên đơn vị;Tổng số hồ sơ tiếp nhận"
    assert not load_tabular("a.csv", f"{base}\nX1;Xã A;1\n".encode(), RB).synthetic
    marked = load_tabular("a.csv", f"{base};Dữ liệu giả lập\nX1;Xã A;1;có\n".encode(), RB)
    assert marked.synthetic and "không phải số liệu chính thức" in marked.warnings[0]
    assert load_tabular("du-lieu-gia-lap.csv", f"{base}\nX1;Xã A;1\n".encode(), RB).synthetic
    assert load_tabular("synthetic-units.csv", f"{base}\nX1;Xã A;1\n".encode(), RB).synthetic


def test_periods_from_names_and_titles() -> None:
    assert period_from_name("tay-ninh-2023-02.xlsx") == "2023-02"
    assert period_from_name("bao-cao-02-2023.csv") == "2023-02"
    assert period_from_name("phu-tho-2026-Q3.csv") == "2026-Q3"
    assert period_from_name("q4_2025.csv") == "2025-Q4"
    assert period_from_name("du-lieu.csv") == ""
    assert period_from_title("TRONG THÁNG 01 NĂM 2023") == "2023-01"
    assert period_from_title("tháng 2/2023") == "2023-02"
    assert period_from_title("Quý III năm 2026") == "2026-Q3"


def test_fold_is_tolerant() -> None:
    import unicodedata

    a = fold("Tỷ lệ hồ sơ số hóa (%)")
    assert fold("TỈ LỆ  HỒ SƠ SỐ HOÁ(%)") == a
    assert fold(unicodedata.normalize("NFD", "Tỷ lệ hồ sơ số hóa (%)")) == a


def test_upload_entry_point_reads_csv_and_xlsx() -> None:
    data = CANON_PT.read_bytes()
    t = load_uploaded([("phu-tho.csv", data)], RB)
    assert len(t.frame) == 164


def test_single_portal_json_is_forwarded() -> None:
    path = ROOT / "sample_data" / "portal" / "phu-tho-2026-q3" / "dvc-progress-tree.json"
    t = load_tabular(path.name, path.read_bytes(), RB, period="2026-Q3")
    assert len(t.frame) == 164 and "Thiếu 5/6 tệp" in t.warnings[0]


def test_province_counts_are_inherited_period_by_period() -> None:
    """A province row per period: each commune gets its own period's province counts (was InvalidIndexError)."""
    on, den = RB.input("tthc_published_on_time").name_vi, RB.input("tthc_in_publication_decisions").name_vi
    text = (
        f"Mã đơn vị;Tên đơn vị;Cấp;Mã đơn vị cấp trên;Kỳ;{on};{den}\n"
        "T;Tỉnh A;Cấp tỉnh;;2026-Q2;8;10\nT;Tỉnh A;Cấp tỉnh;;2026-Q3;9;12\n"
        "X1;Xã A;Cấp xã;T;2026-Q2;;\nX1;Xã A;Cấp xã;T;2026-Q3;;\nX1;Xã A;Cấp xã;T;2026-Q4;;\n"
    )
    t = load_tabular("a.csv", text.encode(), RB)
    x1 = t.frame[t.frame["unit_code"] == "X1"].set_index("period")
    assert x1["tthc_published_on_time"].loc[["2026-Q2", "2026-Q3"]].tolist() == [8.0, 9.0]
    assert np.isnan(x1.loc["2026-Q4", "tthc_published_on_time"])  # no province row in that period
    assert x1["tthc_in_publication_decisions"].loc[["2026-Q2", "2026-Q3"]].tolist() == [10.0, 12.0]
    prov = t.provenance[t.frame["unit_code"] == "X1"]["tthc_published_on_time"].tolist()
    assert prov == ["inherited", "inherited", ""]
