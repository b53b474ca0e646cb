"""Command line: ``python -m chiso score|rulebooks ...`` (Vietnamese and English help)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chiso.calibration import baseline
from chiso.errors import ChisoError
from chiso.io.load import load_paths
from chiso.memory import keep_freed_memory
from chiso.report import score_rows
from chiso.rulebook import DEFAULT_RULEBOOK, available_rulebooks, load_rulebook

DESCRIPTION = """\
chiso — tính lại và mô phỏng Bộ chỉ số 766 (QĐ 766/QĐ-TTg) từ số liệu gốc.
chiso — recompute and simulate Vietnam's 766 service index from raw counts.

Lệnh / commands:
  score      tính điểm từng chỉ tiêu của từng đơn vị / score every indicator of every unit
  rulebooks  liệt kê các bộ quy tắc tính điểm / list the shipped rulebooks
  template   tạo tệp mẫu số liệu (.xlsx có trang hướng dẫn, hoặc .csv) / write the data template
  plan       lập kế hoạch đạt điểm mục tiêu / plan the fewest levers that reach a target score

Số liệu tham khảo, không thay thế số liệu chính thức trên Cổng DVCQG.
For reference; not a replacement for the portal's official figures.
"""

SCORE_HELP = """\
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
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chiso", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="{score,rulebooks,template,plan}")
    sc = sub.add_parser(
        "score",
        help="tính điểm / score units",
        description=SCORE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sc.add_argument("paths", nargs="+", metavar="PATH", help="tệp hoặc thư mục số liệu / data files or folder")
    add_rulebook_option(sc)
    sc.add_argument("--period", default="", help="kỳ đánh giá, ví dụ 2026-Q3 / period label")
    sc.add_argument("--format", choices=("csv", "json"), default="csv", help="định dạng in ra / output format")
    sc.add_argument("--output", metavar="FILE", help="ghi ra tệp thay vì màn hình / write to FILE")
    sc.set_defaults(func=cmd_score)
    rl = sub.add_parser("rulebooks", help="liệt kê bộ quy tắc / list rulebooks")
    rl.set_defaults(func=cmd_rulebooks)
    tp = sub.add_parser(
        "template",
        help="tạo tệp mẫu số liệu / write the data template",
        description="Tạo tệp mẫu số liệu đơn vị theo bộ quy tắc (.xlsx có trang «Hướng dẫn», hoặc .csv). "
        "Write the unit-data template generated from the rulebook.",
    )
    add_rulebook_option(tp)
    tp.add_argument("--output", required=True, metavar="FILE", help="FILE.xlsx hoặc FILE.csv")
    tp.set_defaults(func=cmd_template)
    from chiso.cli_plan import add_plan_parser

    add_plan_parser(sub, add_rulebook_option)
    return parser


def add_rulebook_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rulebook",
        default=DEFAULT_RULEBOOK,
        help=f"bộ quy tắc (mặc định {DEFAULT_RULEBOOK}) hoặc đường dẫn tệp .toml / rulebook id or .toml path; "
        f"có sẵn / shipped: {', '.join(available_rulebooks())}",
    )


def cmd_score(args: argparse.Namespace) -> int:
    rb = load_rulebook(args.rulebook)
    table = load_paths(args.paths, rb, period=args.period)
    for msg in table.warnings:
        print(f"Cảnh báo: {msg}", file=sys.stderr)
    for err in table.rejected:
        print(f"Bỏ qua: {err}", file=sys.stderr)
    rows = score_rows(table.frame, baseline(table, rb))
    if args.format == "json":
        text = rows.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = rows.to_csv(index=False, float_format="%.6g")
    write_output(text, args.output)
    return 0


def cmd_rulebooks(args: argparse.Namespace) -> int:
    for rid in available_rulebooks():
        rb = load_rulebook(rid)
        print(f"{rb.id}\t{rb.name_vi}\t{rb.name_en}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from chiso.io.template import write_template

    path = write_template(load_rulebook(args.rulebook), args.output)
    print(f"Đã ghi tệp mẫu: {path}", file=sys.stderr)
    return 0


def write_output(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def main(argv: list[str] | None = None) -> int:
    keep_freed_memory()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except ChisoError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
