"""``python -m chiso rulebooks``: the shipped rulebooks, one per line."""
from __future__ import annotations

import argparse

from chiso.rulebook import available_rulebooks, load_rulebook


def add_parser(sub: argparse._SubParsersAction) -> None:
    rl = sub.add_parser("rulebooks", help="liệt kê bộ quy tắc / list rulebooks")
    rl.set_defaults(func=cmd_rulebooks)


def cmd_rulebooks(args: argparse.Namespace) -> int:
    for rid in available_rulebooks():
        rb = load_rulebook(rid)
        print(f"{rb.id}\t{rb.name_vi}\t{rb.name_en}")
    return 0
