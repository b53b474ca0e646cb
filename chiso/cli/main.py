"""Command line: ``python -m chiso score|rulebooks|template|plan|import|collect|evidence|collect-daily|history|backup|restore ...`` (Vietnamese and English help).

One module per command; each adds its own sub-parser.
"""
from __future__ import annotations

import argparse
import sys

from chiso.cli import backup, collect, daily, history, importing, plan, rulebooks, score, template, users
from chiso.errors import ChisoError
from chiso.memory import keep_freed_memory
from chiso.notes import REFERENCE_EN, REFERENCE_VI

DESCRIPTION = f"""\
chiso — tính lại và mô phỏng Bộ chỉ số 766 (QĐ 766/QĐ-TTg) từ số liệu gốc.
chiso — recompute and simulate Vietnam's 766 service index from raw counts.

Lệnh / commands:
  score      tính điểm từng chỉ tiêu của từng đơn vị / score every indicator of every unit
  rulebooks  liệt kê các bộ quy tắc tính điểm / list the shipped rulebooks
  template   tạo tệp mẫu số liệu (.xlsx có trang hướng dẫn, hoặc .csv) / write the data template
  plan       lập kế hoạch đạt điểm mục tiêu / plan the fewest levers that reach a target score
  import     lưu số liệu vào cơ sở dữ liệu làm việc / store a dataset in the workspace database
  collect    tải số liệu một tỉnh, một kỳ từ Cổng DVCQG / collect a province's evaluation from the portal
  evidence   ghi lại các phản hồi đã tải (giống hệt từng byte) / write back the collected responses
  collect-daily  lần tải hằng ngày (cron/systemd), tiếp tục được / the scheduled, resumable daily run
  history    điểm của một đơn vị qua các kỳ đã lưu / a unit's scores over the stored periods
  backup     sao lưu cơ sở dữ liệu làm việc ra một tệp / back up the workspace to one portable file
  restore    khôi phục cơ sở dữ liệu làm việc từ bản sao lưu / restore the workspace from a backup
  users      tài khoản đăng nhập cho máy chủ dùng chung / sign-in accounts of a shared server

Cơ sở dữ liệu làm việc / workspace: CHISO_DATABASE_URL, mặc định .chiso/workspace.sqlite3.

{REFERENCE_VI}
{REFERENCE_EN}
"""

COMMANDS = (score, rulebooks, template, plan, importing, collect, daily, history, backup, users)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chiso", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="{score,rulebooks,template,plan,import,collect,evidence,collect-daily,history,backup,restore,users}")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


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
