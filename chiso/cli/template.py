"""``python -m chiso template``: the unit-data template generated from the rulebook."""
from __future__ import annotations

import argparse
import sys

from chiso.cli.common import add_rulebook_option
from chiso.io.template import write_template
from chiso.rulebook import load_rulebook


def add_parser(sub: argparse._SubParsersAction) -> None:
    tp = sub.add_parser(
        "template",
        help="tạo tệp mẫu số liệu / write the data template",
        description="Tạo tệp mẫu số liệu đơn vị theo bộ quy tắc (.xlsx có trang «Hướng dẫn», hoặc .csv). "
        "Write the unit-data template generated from the rulebook.",
    )
    add_rulebook_option(tp)
    tp.add_argument("--output", required=True, metavar="FILE", help="FILE.xlsx hoặc FILE.csv")
    tp.set_defaults(func=cmd_template)


def cmd_template(args: argparse.Namespace) -> int:
    path = write_template(load_rulebook(args.rulebook), args.output)
    print(f"Đã ghi tệp mẫu: {path}", file=sys.stderr)
    return 0
