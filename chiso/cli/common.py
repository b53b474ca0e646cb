"""What every command shares: the rulebook option and where the output goes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chiso.io.load import load_paths
from chiso.rulebook import DEFAULT_RULEBOOK, Rulebook, available_rulebooks, load_rulebook
from chiso.units import UnitTable


def add_rulebook_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--rulebook",
        default=DEFAULT_RULEBOOK,
        help=f"bộ quy tắc (mặc định {DEFAULT_RULEBOOK}) hoặc đường dẫn tệp .toml / rulebook id or .toml path; "
        f"có sẵn / shipped: {', '.join(available_rulebooks())}",
    )


def write_output(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def add_data_options(p: argparse.ArgumentParser) -> None:
    """PATH..., --rulebook and --period: how every command that reads unit data is called."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="tệp hoặc thư mục số liệu / data files or folder")
    add_rulebook_option(p)
    p.add_argument("--period", default="", help="kỳ đánh giá, ví dụ 2026-Q3 / period label")


def read_data(args: argparse.Namespace) -> tuple[Rulebook, UnitTable]:
    """Load the data named by ``add_data_options``; the importer's notes and rejected rows go to stderr."""
    rb = load_rulebook(args.rulebook)
    table = load_paths(args.paths, rb, period=args.period)
    for msg in table.warnings:
        print(f"Cảnh báo: {msg}", file=sys.stderr)
    for err in table.rejected:
        print(f"Bỏ qua: {err}", file=sys.stderr)
    return rb, table
