"""``python -m chiso score``: every indicator of every unit, recomputed from the raw counts."""
from __future__ import annotations

import argparse

from chiso.calibration import baseline
from chiso.cli.common import add_data_options, read_data, write_output
from chiso.reports.scores import csv_text, score_rows
from chiso.rulebook import DEFAULT_RULEBOOK

SCORE_HELP = f"""\
Đọc số liệu (thư mục hoặc các tệp JSON của Cổng DVCQG, CSV/XLSX mẫu chuẩn, bảng báo cáo tháng),
tính lại điểm từ số liệu gốc và in một dòng cho mỗi đơn vị × chỉ tiêu, cộng một dòng TOTAL mỗi đơn vị.
Read unit data (a folder or the portal's JSON files, canonical CSV/XLSX, a monthly report table),
recompute the points from the raw counts and print one row per unit × indicator plus a TOTAL row.

Cột / columns: unit_code, unit_name, level, period, group, indicator, numerator, denominator,
points, max_points, published_points.
- indicator: mã chỉ tiêu của Cổng; nhóm chỉ có một điểm: PROGRESS_ON_TIME, ONLINE_SERVICES_GROUP,
  ONLINE_PAYMENT_GROUP (numerator/denominator để trống với nhóm gộp).
  the portal's metric code; single-score groups use the codes above (no numerator/denominator).
- points: tính lại từ số liệu gốc, không bao giờ chép điểm công bố; để trống khi tệp thiếu số liệu.
  recomputed from raw counts, never copied; empty when the data lacks the counts.
- TOTAL: points = tổng tính lại + điểm không có trong tệp (giữ nguyên từ điểm chính thức).
  recomputed total plus held points (official points the file does not cover).
- published_points: điểm công bố khi tệp có / the official points when the input has them.
- CSV: ô văn bản bắt đầu bằng = + - @ được thêm dấu ' để Excel không chạy công thức.
  text cells starting with = + - @ get a leading ' so that Excel does not run them as formulas.

Bộ quy tắc: không ghi --rulebook thì kỳ của số liệu (cột «Kỳ», tên tệp, tiêu đề bảng hoặc --period) chọn
bộ quy tắc có hiệu lực vào ngày đầu kỳ, ví dụ 2023-02 → qd766-2022, 2026-Q3 → portal-2026; số liệu không
ghi kỳ dùng {DEFAULT_RULEBOOK}. Bộ đã chọn được in ra stderr. --rulebook luôn được ưu tiên.
Rulebook: without --rulebook, the data's period picks the rulebook in force on its first day (2023-02 →
qd766-2022, 2026-Q3 → portal-2026; no period → {DEFAULT_RULEBOOK}), named on stderr. --rulebook always wins.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    sc = sub.add_parser(
        "score",
        help="tính điểm / score units",
        description=SCORE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_data_options(sc, by_period=True)
    sc.add_argument("--format", choices=("csv", "json"), default="csv", help="định dạng in ra / output format")
    sc.add_argument("--output", metavar="FILE", help="ghi ra tệp thay vì màn hình / write to FILE")
    sc.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    rb, table = read_data(args)
    rows = score_rows(table.frame, baseline(table, rb))
    if args.format == "json":
        text = rows.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = csv_text(rows)
    write_output(text, args.output)
    return 0
