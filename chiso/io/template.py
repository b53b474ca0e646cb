"""The downloadable data template, generated from the rulebook so it never drifts from the engine.

XLSX: sheet «Dữ liệu» with the canonical headers (bold, frozen, a drop-down for «Cấp») and sheet
«Hướng dẫn» explaining every column (which indicator it feeds, what an empty cell means). CSV: the
header line only, in the format Excel opens in a Vietnamese locale.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from chiso.errors import DataError, Location
from chiso.io import columns as C
from chiso.io.canonical import SHEET_DATA, neutralise, to_csv_bytes
from chiso.notes import REFERENCE_VI
from chiso.rulebook import Rulebook

SHEET_NOTES = "Hướng dẫn"
KIND_VI = {"id": "Định danh", "count": "Số liệu gốc", "score": "Điểm chính thức", "extra": "Tùy chọn"}
STEPS_VI = (
    "1. Điền mỗi đơn vị một dòng ở trang «Dữ liệu»: mã, tên, cấp, kỳ và các số liệu gốc có được "
    "(lấy từ Hệ thống thông tin giải quyết TTHC của tỉnh hoặc Cổng DVCQG).",
    "2. Số viết kiểu Việt Nam (1.234,5) hoặc kiểu quốc tế (1234.5) đều được; ô để trống = không có số liệu; "
    "tỷ lệ không điền vào đây mà điền số lượng (số đếm).",
    "3. Nếu có tổng điểm chính thức, điền vào cột «Tổng điểm chính thức»: phần điểm mà tệp không đủ số liệu "
    "để tính lại sẽ được giữ nguyên (Điểm không có trong tệp).",
    "4. Lưu tệp (.xlsx, hoặc CSV UTF-8) rồi tải lên ứng dụng («Tải tệp lên…» ở thanh bên).",
)


def template_frame(rb: Rulebook) -> pd.DataFrame:
    return pd.DataFrame(columns=[c.header for c in C.canonical_columns(rb)])


def template_csv(rb: Rulebook) -> bytes:
    return to_csv_bytes(template_frame(rb))


def notes_rows(rb: Rulebook) -> list[tuple[str, str, str, str, str]]:
    """(header, internal name, kind, required, explanation) for every template column and extras."""
    rows = []
    for c in C.canonical_columns(rb) + C.extra_columns():
        required = "Bắt buộc" if c.required else ("Tùy chọn" if c.kind in ("score", "extra") else "Nên có")
        rows.append((c.header, c.key, KIND_VI[c.kind], required, c.note))
    return rows


def template_xlsx(rb: Rulebook) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = C.canonical_columns(rb)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_DATA
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=neutralise(c.header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = head_fill
        ws.column_dimensions[get_column_letter(j)].width = 16 if c.kind != "id" else 22
    ws.row_dimensions[1].height = 75
    ws.freeze_panes = "C2"
    level_col = get_column_letter(next(j for j, c in enumerate(cols, start=1) if c.key == C.LEVEL))
    dv = DataValidation(
        type="list", formula1="=" + f"'{SHEET_NOTES}'!$B$3:$B${2 + len(C.LEVEL_VALUES_VI)}", allow_blank=True
    )
    dv.error = "Chọn một cấp trong danh sách."
    ws.add_data_validation(dv)
    dv.add(f"{level_col}2:{level_col}10000")

    notes = wb.create_sheet(SHEET_NOTES)
    notes["A1"] = f"Mẫu số liệu đơn vị — bộ quy tắc «{rb.id}»: {rb.name_vi}"
    notes["A1"].font = Font(bold=True, size=13)
    notes["A2"] = "Giá trị hợp lệ của cột «Cấp»:"
    for i, label in enumerate(C.LEVEL_VALUES_VI.values(), start=3):
        notes.cell(row=i, column=2, value=label)
    r = 3 + len(C.LEVEL_VALUES_VI) + 1
    notes.cell(row=r, column=1, value="Cách điền").font = Font(bold=True)
    for step in STEPS_VI:
        r += 1
        notes.cell(row=r, column=1, value=step)
    r += 2
    for j, title in enumerate(("Cột", "Tên nội bộ", "Loại", "Bắt buộc?", "Giải thích"), start=1):
        notes.cell(row=r, column=j, value=title).font = Font(bold=True)
    for row in notes_rows(rb):
        r += 1
        for j, v in enumerate(row, start=1):
            cell = notes.cell(row=r, column=j, value=neutralise(v))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    r += 2
    notes.cell(row=r, column=1, value=REFERENCE_VI)
    for letter, width in zip("ABCDE", (48, 30, 16, 12, 90)):
        notes.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(rb: Rulebook, output: str | Path) -> Path:
    """Write the template to ``output`` (.xlsx or .csv)."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise DataError("Tệp mẫu phải có đuôi .xlsx hoặc .csv.", Location(file=str(path)))
    data = template_xlsx(rb) if suffix == ".xlsx" else template_csv(rb)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DataError(f"Không ghi được tệp ({exc.strerror}).", Location(file=str(path))) from None
    return path


def format_help_md(rb: Rulebook) -> str:
    """The format help as a Markdown text (downloadable from the upload screen): the steps, what the
    importer accepts, and every column of the template with its meaning."""
    lines = [
        f"# Hướng dẫn định dạng tệp số liệu — bộ quy tắc «{rb.id}»",
        "",
        *[f"{s}  " for s in STEPS_VI],
        "",
        "Ứng dụng cũng đọc được: bảng báo cáo tháng của huyện/thành phố (Excel có tiêu đề gộp ô, hoặc CSV/TSV "
        "xuất từ Excel), và 6 tệp JSON đánh giá của Cổng DVCQG. Số liệu còn thiếu có thể nhập ngay trong ứng "
        "dụng (trang «Số liệu», hoặc ô «Nhập» bên cạnh yếu tố cải thiện đang thiếu số liệu).",
        "",
        "| Cột | Tên nội bộ | Loại | Bắt buộc | Giải thích |",
        "|---|---|---|---|---|",
    ]
    for header, key, kind, required, note in notes_rows(rb):
        cells = [str(v).replace("|", "/").replace("\n", " ") for v in (header, key, kind, required, note)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
