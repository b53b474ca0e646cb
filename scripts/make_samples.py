"""Generate the bundled sample data in sample_data/ (deterministic; re-run after changing an importer).

    .venv/bin/python scripts/make_samples.py

- bao-cao-thang/tay-ninh-2023-02.xlsx — the 11-unit table of TP. Tây Ninh's monthly report (Công văn
  308/UBND, 06/3/2023), transcribed cell by cell, laid out as a city office sends it: title rows, a
  two-row header with merged cells, a footnote.
- canonical/tay-ninh-2023-02.csv — the same data through the importer, in the canonical format.
- canonical/phu-tho-2026-q3.csv — the Phú Thọ portal JSON (sample_data/portal/…) in canonical form.
- gia-lap/gia-lap-toan-quoc-2026-q3.csv — synthetic national-scale data (chiso.synthetic).
- gia-lap/phu-tho-2026-q2-gia-lap.csv — a synthetic earlier quarter of Phú Thọ (chiso.synthetic.earlier_period),
  so that history across periods has something to show; flagged giả lập like the national set.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chiso.io.canonical import write_canonical  # noqa: E402
from chiso.io.load import load_paths  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.synthetic import earlier_period, synthetic_table  # noqa: E402

OUT = ROOT / "sample_data"

# The appendix of the report exactly as published (title lines verbatim, including the source's own
# "THÁNG 01" and "Công văn số 14" although the letter is no. 308 about February 2023).
TITLE = (
    "Phụ lục",
    "MỘT SỐ TIÊU CHÍ THÀNH PHẦN TRONG BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP",
    "CỦA CÁC CƠ QUAN CHUYÊN MÔN THÀNH PHỐ VÀ PHƯỜNG, XÃ TRONG THÁNG 01 NĂM 2023",
    "(Kèm theo Công văn số 14/UBND ngày 6 tháng 3 năm 2023 của UBND thành phố)",
)
HEADER_TOP = (
    "STT",
    "Tên đơn vị",
    "Mã định danh",
    "Tổng số hồ sơ nhận trong tháng",
    "Tổng số hồ sơ thông báo xử lý quá hạn",
    "Tổng số hồ sơ xử lý quá hạn trên MCĐT",
    "Tỷ lệ hồ sơ nộp trực tuyến (%)",
    "Mức độ hài lòng (%)",
    "Kết quả số hóa hồ sơ",
    None,
    None,
    "Thanh toán trực tuyến (Hồ sơ)",
    "Điểm đánh giá (Tổng điểm 100)",
    "Điểm so với tháng trước",
)
HEADER_SUB = (
    "Tỷ lệ hồ sơ cấp kết quả điện tử (%)",
    "Tỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải quyết TTHC (%)",
    "Số lượng hồ sơ cung cấp dịch vụ chứng thực điện tử bảo sao từ bản chính",
)
# Cells as printed. Strings are kept as text cells where an office would type them as text.
ROWS = (
    (1, "Cơ quan chuyên môn thành phố", "000.00.30.H53", 454, 57, 4, 91.48, 100, 64.02, 80, 246, 284, 58.58, "+ 1,70"),
    (2, "UBND Phường 1", "000.20.30.H53", 365, 0, 0, 100, 100, 2.78, 100, 1546, 346, 56.07, "+ 0,19"),
    (3, "UBND Phường 2", "000.21.30.H53", 144, 6, 0, 75, 100, 78.06, 74.75, 1064, 134, 60.22, "+ 2,79"),
    (4, "UBND Phường 3", "000.22.30.H53", 49, 2, 0, 100, 100, 74.6, 100, 378, 3, 62.57, "+ 1,58"),
    (5, "UBND Phường IV", "000.23.30.H53", 77, 2, 0, 100, 100, 44, 100, 375, 53, 58.55, "+ 4,57"),
    (6, "UBND Phường Hiệp Ninh", "000.25.30.H53", 134, 0, 0, 84.62, 100, 68.49, 83.56, 112, 131, 58.81, "+ 4,99"),
    (7, "UBND Phường Ninh Thạnh", "000.27.30.H53", 269, 2, 0, 96.35, 100, 48.85, 96.18, 954, 120, 60.31, "+ 4,23"),
    (8, "UBND Phường Ninh Sơn", "000.26.30.H53", 371, 5, 0, 67.51, 100, 69.54, "70,20", 890, 193, 61.12, "+ 3,40"),
    (9, "UBND xã Bình Minh", "000.24.30.H53", 179, 2, 0, 100, 100, 0, 100, 468, 179, 54.67, "- 1,15"),
    (10, "UBND xã Tân Bình", "000.28.30.H53", 100, 0, 0, 74.6, 100, 84.62, 70.37, 166, 60, 63.01, "+ 6,09"),
    (11, "UBND xã Thạnh Tân", "000.29.30.H53", 44, 0, 0, 100, 100, 0, 100, 355, 40, 55.55, "- 8,54"),
)
FOOTNOTE = (
    "Nguồn: Công văn số 308/UBND ngày 06/3/2023 của UBND thành phố Tây Ninh (kết quả đánh giá trên "
    "Cổng Dịch vụ công quốc gia, tháng 02/2023)."
)
PERCENT_CELL = (2, 9)  # Phường 1, e-result rate: stored as 0,0278 formatted "0.00%", as pasted from another sheet


def seed_report_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "PL tháng 02"
    width = len(HEADER_TOP)
    last = chr(ord("A") + width - 1)
    for r, line in enumerate(TITLE, start=1):
        ws.cell(row=r, column=1, value=line).font = Font(bold=r < 4, italic=r == 4)
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
    top, sub = len(TITLE) + 2, len(TITLE) + 3
    thin = Side(style="thin")
    for j, text in enumerate(HEADER_TOP, start=1):
        if text is not None:
            ws.cell(row=top, column=j, value=text)
    for j, text in enumerate(HEADER_SUB, start=9):
        ws.cell(row=sub, column=j, value=text)
    for j in range(1, width + 1):
        col = chr(ord("A") + j - 1)
        if not 9 <= j <= 11:
            ws.merge_cells(f"{col}{top}:{col}{sub}")
        for r in (top, sub):
            ws.cell(row=r, column=j).font = Font(bold=True)
            ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            ws.cell(row=r, column=j).border = Border(thin, thin, thin, thin)
    ws.merge_cells(f"I{top}:K{top}")
    for i, row in enumerate(ROWS):
        r = sub + 1 + i
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=j, value=v)
            cell.border = Border(thin, thin, thin, thin)
            if (row[0], j) == PERCENT_CELL:
                cell.value = round(v / 100, 6)
                cell.number_format = "0.00%"
    foot = sub + len(ROWS) + 2
    ws.cell(row=foot, column=1, value=FOOTNOTE).font = Font(italic=True)
    ws.merge_cells(f"A{foot}:{last}{foot}")
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 16
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main() -> None:
    qd = load_rulebook("qd766-2022")
    portal = load_rulebook("portal-2026")
    report = OUT / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"
    seed_report_xlsx(report)
    canon = OUT / "canonical"
    canon.mkdir(parents=True, exist_ok=True)
    write_canonical(load_paths([report], qd), qd, canon / "tay-ninh-2023-02.csv")
    phu_tho = load_paths([OUT / "portal" / "phu-tho-2026-q3"], portal, period="2026-Q3")
    write_canonical(phu_tho, portal, canon / "phu-tho-2026-q3.csv")
    synth = OUT / "gia-lap"
    synth.mkdir(parents=True, exist_ok=True)
    write_canonical(synthetic_table(portal), portal, synth / "gia-lap-toan-quoc-2026-q3.csv")
    # no second real period with raw counts exists: a synthesised earlier quarter gives history two periods
    write_canonical(earlier_period(phu_tho, portal, "2026-Q2"), portal, synth / "phu-tho-2026-q2-gia-lap.csv")
    for p in sorted(OUT.rglob("*")):
        if p.is_file() and p.suffix in (".xlsx", ".csv"):
            print(f"{p.relative_to(ROOT)}\t{p.stat().st_size:,} B")


if __name__ == "__main__":
    main()
