"""The data template is generated from the rulebook, explains every column and reads back exactly."""
from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chiso import load_rulebook
from chiso.cli import main
from chiso.errors import DataError
from chiso.io.columns import canonical_columns, extra_columns
from chiso.io.tabular import load_tabular
from chiso.io.template import SHEET_NOTES, STEPS_VI, format_help_md, notes_rows, template_csv, template_xlsx, write_template
from chiso.rulebook import RULEBOOK_DIR, available_rulebooks, parse_rulebook
from chiso.units import GIVEN

BOOKS = ["portal-2026", "qd766-2022"]


@pytest.mark.parametrize("rb_id", BOOKS)
def test_xlsx_headers_are_the_rulebook(rb_id: str) -> None:
    rb = load_rulebook(rb_id)
    wb = load_workbook(io.BytesIO(template_xlsx(rb)))
    assert wb.sheetnames == ["Dữ liệu", SHEET_NOTES]
    headers = [c.value for c in wb["Dữ liệu"][1]]
    assert headers[:5] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên", "Kỳ"]
    assert headers[5 : 5 + len(rb.inputs)] == [i.name_vi for i in rb.inputs]
    assert headers[5 + len(rb.inputs)] == "Tổng điểm chính thức"
    assert headers[-len(rb.groups) :] == [f"Điểm nhóm chính thức: {g.name_vi}" for g in rb.groups]
    assert len(set(headers)) == len(headers)
    assert wb["Dữ liệu"].data_validations.dataValidation, "drop-down for «Cấp»"


@pytest.mark.parametrize("rb_id", BOOKS)
def test_notes_sheet_explains_every_column(rb_id: str) -> None:
    rb = load_rulebook(rb_id)
    notes = load_workbook(io.BytesIO(template_xlsx(rb)))[SHEET_NOTES]
    rows = {r[0]: r for r in notes.iter_rows(values_only=True) if r[0]}
    for col in canonical_columns(rb) + extra_columns():
        assert col.header in rows, col.header
        _, key, kind, required, note = rows[col.header][:5]
        assert key == col.key and kind and required and note
    # each count says which indicator it feeds, and what an empty cell means where there is a fallback
    note = rows[rb.input("dossiers_e_result_base").name_vi][4]
    assert "Mẫu số của «Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử» (6 điểm)" in note
    assert "Để trống: dùng «Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ»" in note


def test_template_follows_a_changed_rulebook(tmp_path: Path) -> None:
    raw = tomllib.loads((RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8"))
    raw["inputs"][0]["name_vi"] = "Số TTHC công bố đúng thời hạn (tên mới)"
    rb = parse_rulebook(raw, tmp_path / "custom.toml")
    header = template_csv(rb).decode("utf-8-sig").splitlines()[0].split(";")
    assert "Số TTHC công bố đúng thời hạn (tên mới)" in header


@pytest.mark.parametrize("rb_id", BOOKS)
def test_csv_template_header(rb_id: str) -> None:
    rb = load_rulebook(rb_id)
    data = template_csv(rb)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == [";".join(c.header for c in canonical_columns(rb))]


def test_empty_template_says_there_is_no_data() -> None:
    rb = load_rulebook("portal-2026")
    for name, data in (("mau.xlsx", template_xlsx(rb)), ("mau.csv", template_csv(rb))):
        with pytest.raises(DataError, match="không có dòng số liệu"):
            load_tabular(name, data, rb)


def test_filled_template_reads_back_exactly() -> None:
    rb = load_rulebook("portal-2026")
    wb = load_workbook(io.BytesIO(template_xlsx(rb)))
    ws = wb["Dữ liệu"]
    headers = [c.value for c in ws[1]]
    rows = [
        {"Mã đơn vị": "T1", "Tên đơn vị": "UBND tỉnh Thử", "Cấp": "Cấp tỉnh", "Kỳ": "2026-Q3",
         "Số TTHC công bố đúng hạn": 40, "Số TTHC trong quyết định công bố trong kỳ": 50,
         "Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ": 1000, "Tổng điểm chính thức": 61.39},
        {"Mã đơn vị": "T1.X1", "Tên đơn vị": "Xã Thử", "Cấp": "Cấp xã", "Mã đơn vị cấp trên": "T1", "Kỳ": "2026-Q3",
         "Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ": 120,
         "Số hồ sơ xử lý trước hạn, đúng hạn (gồm đang xử lý trong hạn)": 118, "Điểm nhóm chính thức: Tiến độ giải quyết": 19.67},
    ]
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    t = load_tabular("du-lieu.xlsx", buf.getvalue(), rb)
    assert t.rejected == [] and t.unmapped_columns == []
    f = t.frame.set_index("unit_code")
    assert f.loc["T1", "level"] == "province" and f.loc["T1.X1", "level"] == "commune"
    assert f.loc["T1", "published_total"] == 61.39
    assert f.loc["T1.X1", "published_group__PROGRESS"] == 19.67
    assert f.loc["T1.X1", "dossiers_on_time"] == 118
    # transparency counts are the province's: filled in for the commune, marked inherited
    assert f.loc["T1.X1", "tthc_published_on_time"] == 40
    prov = t.provenance.set_index(t.frame["unit_code"])
    assert prov.loc["T1.X1", "tthc_published_on_time"] == "inherited"
    assert prov.loc["T1", "tthc_published_on_time"] == GIVEN


def test_cli_template(tmp_path: Path) -> None:
    assert main(["template", "--output", str(tmp_path / "mau.xlsx")]) == 0
    assert main(["template", "--rulebook", "qd766-2022", "--output", str(tmp_path / "mau.csv")]) == 0
    assert load_workbook(tmp_path / "mau.xlsx").sheetnames == ["Dữ liệu", SHEET_NOTES]
    assert (tmp_path / "mau.csv").read_bytes() == template_csv(load_rulebook("qd766-2022"))
    assert main(["template", "--output", str(tmp_path / "mau.txt")]) == 2
    with pytest.raises(DataError):
        write_template(load_rulebook("portal-2026"), tmp_path / "khong-co" / "mau.xlsx")


@pytest.mark.parametrize("rb_id", available_rulebooks())
def test_guide_sentences_start_with_a_capital(rb_id):
    """Issue 22.25: «Số đếm (≥ 0). tử số của …»: every sentence of the template guide starts upper-case."""
    rb = load_rulebook(rb_id)
    texts = [format_help_md(rb), *(row[4] for row in notes_rows(rb)), *STEPS_VI]
    starts = [m.group(1) for t in texts for m in re.finditer(r"\.\s+(\w)", t)]
    assert starts and all(c.isupper() or c.isdigit() for c in starts), sorted({c for c in starts if c.islower()})
