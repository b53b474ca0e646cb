"""Monthly report tables (TP. Tây Ninh, 02/2023): XLSX with merged headers and CSV/TSV exports.

The expected values are the seed report's 11-unit table, copied here as the test oracle.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiso import load_rulebook
from chiso.calibration import baseline
from chiso.engine import round_half_up
from chiso.errors import DataError
from chiso.io.load import load_paths
from chiso.io.tabular import load_tabular
from chiso.units import ASSUMED, DERIVED, GIVEN
from seed_tay_ninh import FIELDS, SEED, SEED_TSV

ROOT = Path(__file__).resolve().parents[1]
XLSX = ROOT / "sample_data" / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"
QD = load_rulebook("qd766-2022")

def seed_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(SEED_TSV), delimiter="\t"))


def export(rows: list[list[str]], sep: str, bom: bool = True, title: bool = True, quote_all: bool = False) -> bytes:
    """What Excel's «Save as CSV» gives for the report: title line, merged headers, data, footnote."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    width = len(rows[0])
    if title:
        w.writerow(["MỘT SỐ TIÊU CHÍ THÀNH PHẦN TRONG BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"] + [""] * (width - 1))
        w.writerow([""] * width)
    w.writerows(rows)
    w.writerow(["Ghi chú: số liệu trích từ Cổng DVCQG."] + [""] * (width - 1))
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def assert_seed(frame: pd.DataFrame) -> None:
    """Every cell of the seed table, exactly."""
    assert len(frame) == len(SEED)
    for i, expected in enumerate(SEED):
        row = frame.iloc[i]
        for field, value in zip(FIELDS, expected):
            if isinstance(value, str):
                assert row[field] == value, (i, field)
            else:
                assert row[field] == pytest.approx(value, abs=1e-12), (i, field, row[field], value)


@pytest.fixture(scope="module")
def xlsx_table():
    return load_paths([XLSX], QD)


def test_xlsx_cell_by_cell(xlsx_table) -> None:
    assert_seed(xlsx_table.frame)
    assert xlsx_table.rejected == []
    assert xlsx_table.unmapped_columns == []


def test_xlsx_identity_level_parent_period(xlsx_table) -> None:
    f = xlsx_table.frame
    assert f["level"].tolist() == ["district"] + ["commune"] * 10
    assert f["parent_code"].tolist() == [""] + ["000.00.30.H53"] * 10  # from the mã định danh structure
    assert set(f["period"]) == {"2023-02"}
    # the appendix title of the source says "THÁNG 01": the mismatch is reported, not hidden
    assert any("2023-01" in w and "2023-02" in w for w in xlsx_table.warnings)
    assert any("Nguồn: Công văn số 308" in w for w in xlsx_table.warnings)  # the footnote row, listed


def test_derived_counts_reproduce_the_published_rates_exactly(xlsx_table) -> None:
    f, prov = xlsx_table.frame, xlsx_table.provenance
    for key in ("dossiers_online", "dossiers_satisfied", "dossiers_e_result", "dossiers_digitised"):
        rate = f[key] / f["dossiers_received"] * 100
        np.testing.assert_allclose(rate, f[f"rate__{key}"], rtol=0, atol=1e-9)
        assert (prov[key] == DERIVED).all()
    assert f.loc[0, "dossiers_e_result"] == pytest.approx(0.6402 * 454)  # 290,6508: fractional, kept
    s = baseline(xlsx_table, QD)
    k = QD.indicator_codes.index("ORIGINAL_RESULT_AVAILABLE")
    expected = round_half_up(6 * f["rate__dossiers_e_result"].to_numpy() / 100)
    np.testing.assert_array_equal(s.points[:, k], expected)
    assert s.points[0, k] == 3.84 and s.points[1, k] == 0.17  # 64,02% → 3,84; 2,78% → 0,17


def test_overdue_mapping(xlsx_table) -> None:
    """On time = received − «thông báo xử lý quá hạn»; the MCĐT overdue column is not subtracted again."""
    f, prov = xlsx_table.frame, xlsx_table.provenance
    np.testing.assert_array_equal(f["dossiers_on_time"], f["dossiers_received"] - f["dossiers_overdue"])
    assert f.loc[0, "dossiers_on_time"] == 397  # 454 − 57, not 454 − 57 − 4
    assert (prov["dossiers_on_time"] == DERIVED).all()
    assert f["dossiers_overdue"].sum() == 76  # the report's "76 hồ sơ giải quyết quá hạn"
    s = baseline(xlsx_table, QD)
    k = QD.indicator_codes.index("PROGRESS_ON_TIME")
    assert s.points[0, k] == 17.49  # 20 × 397/454


def test_missing_denominators_are_flagged_not_invented(xlsx_table) -> None:
    f, prov = xlsx_table.frame, xlsx_table.provenance
    for key in ("certified_copies_total", "dossiers_fee_bearing"):
        assert f[key].isna().all()
        assert (prov[key] == ASSUMED).all()
    assert (prov["e_certified_copies"] == GIVEN).all() and (prov["dossiers_paid_online"] == GIVEN).all()
    msg = next(w for w in xlsx_table.warnings if "cần nhập hoặc xác nhận" in w)
    assert "Tổng số bản sao chứng thực từ bản chính" in msg and "Số hồ sơ có nghĩa vụ tài chính" in msg


def test_held_points_are_official_minus_recomputed(xlsx_table) -> None:
    s = baseline(xlsx_table, QD)
    official = np.array([row[11] for row in SEED])
    np.testing.assert_allclose(s.held, round_half_up(official - s.computed_total), atol=1e-9)
    assert (s.held > 0).all() and (s.missing_max > 0).all()
    np.testing.assert_allclose(s.total, official, atol=1e-9)


def test_cli_score_total_row() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "chiso", "score", str(XLSX), "--rulebook", "qd766-2022"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    rows = pd.read_csv(io.StringIO(out.stdout), dtype={"unit_code": str})
    total = rows[rows["indicator"] == "TOTAL"].reset_index(drop=True)
    assert total["unit_code"].tolist() == [r[0] for r in SEED]
    np.testing.assert_allclose(total["published_points"], [r[11] for r in SEED])
    np.testing.assert_allclose(total["points"], [r[11] for r in SEED])  # recomputed + held
    assert "Cảnh báo" in out.stderr


@pytest.mark.parametrize(
    "sep,bom,quote_all",
    [(";", True, False), (";", False, False), (",", True, False), (",", False, True), ("\t", True, False), ("\t", False, False)],
)
def test_csv_exports_of_the_report(sep: str, bom: bool, quote_all: bool) -> None:
    data = export(seed_rows(), sep, bom=bom, quote_all=quote_all)
    t = load_tabular("bao-cao-thang-02-2023.csv", data, QD)
    assert_seed(t.frame)
    assert t.rejected == [] and t.unmapped_columns == []
    assert set(t.frame["period"]) == {"2023-02"}


def test_the_seed_tsv_as_printed() -> None:
    t = load_tabular("tay-ninh.tsv", SEED_TSV.encode("utf-8"), QD, period="2023-02")
    assert_seed(t.frame)
    assert t.rejected == []


def test_header_variants_case_spacing_diacritics_nfd() -> None:
    rows = seed_rows()
    variants = {
        "Tỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải quyết TTHC (%)": "TỈ LỆ HỒ SƠ TTHC SỐ HOÁ HỒ SƠ,  KẾT QUẢ GIẢI QUYẾT TTHC ( % )",
        "Tổng số hồ sơ nhận trong tháng": "  tổng  số hồ sơ   nhận trong tháng ",
        "Mức độ hài lòng (%)": "Mức độ hài lòng(%)",
    }
    rows = [[variants.get(c, c) for c in r] for r in rows]
    rows = [[unicodedata.normalize("NFD", c) for c in r] for r in rows]
    t = load_tabular("bao-cao-02-2023.csv", export(rows, ";"), QD)
    assert_seed(t.frame)
    assert t.frame["unit_name"].tolist() == [r[1] for r in SEED]  # NFD names come back NFC


def test_thousands_dot_and_unknown_column() -> None:
    rows = seed_rows()
    rows = [r + ["Xếp loại nội bộ" if i == 0 else ("" if i == 1 else "A")] for i, r in enumerate(rows) if any(r)]
    for r in rows[2:]:
        r[10] = f"{int(r[10]):,}".replace(",", ".")  # 1546 → "1.546"
    t = load_tabular("bao-cao-2023-02.csv", export(rows, ";"), QD)
    assert_seed(t.frame)
    assert t.unmapped_columns == ["Xếp loại nội bộ"]
    assert any("Xếp loại nội bộ" in w for w in t.warnings)
    mapped = load_tabular("bao-cao-2023-02.csv", export(rows, ";"), QD, column_map={"Xếp loại nội bộ": "ignore"})
    assert mapped.unmapped_columns == []


def test_column_map_lets_the_user_name_an_unknown_header() -> None:
    rows = seed_rows()
    rows[0][3] = "Hồ sơ (tháng)"  # a header no rule knows: the total of dossiers
    with pytest.raises(DataError) as exc:
        load_tabular("bc-2023-02.csv", export(rows, ";"), QD)
    assert "Tổng số hồ sơ tiếp nhận" in str(exc.value)
    t = load_tabular("bc-2023-02.csv", export(rows, ";"), QD, column_map={"Hồ sơ (tháng)": "dossiers_received"})
    assert_seed(t.frame)
    assert t.column_map["Hồ sơ (tháng)"] == "dossiers_received"
