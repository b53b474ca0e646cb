"""What every command shares: the rulebook option and where the output goes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chiso.io.load import load_paths
from chiso.rulebook import DEFAULT_RULEBOOK, Rulebook, available_rulebooks, load_rulebook, rulebook_for_periods
from chiso.units import UnitTable


def add_rulebook_option(p: argparse.ArgumentParser, by_period: bool = False) -> None:
    """``by_period``: without --rulebook, the data's period picks the rulebook (see ``read_data``)."""
    default = (
        "mặc định: bộ quy tắc có hiệu lực trong kỳ của số liệu / default: the rulebook in force in the data's period"
        if by_period
        else f"mặc định / default {DEFAULT_RULEBOOK}"
    )
    p.add_argument(
        "--rulebook",
        default=None if by_period else DEFAULT_RULEBOOK,
        help=f"bộ quy tắc hoặc đường dẫn tệp .toml / rulebook id or .toml path ({default}); "
        f"có sẵn / shipped: {', '.join(_shipped_with_dates())}",
    )


def _shipped_with_dates() -> list[str]:
    """«qd766-2022 (23/06/2022–31/12/2025)»: each shipped rulebook with the days it is in force."""
    out = []
    for rid in available_rulebooks():
        rb = load_rulebook(rid)
        since = f"{rb.valid_from:%d/%m/%Y}" if rb.valid_from else ""
        until = f"{rb.valid_until:%d/%m/%Y}" if rb.valid_until else ""
        out.append(f"{rid} ({since}–{until})" if since or until else rid)
    return out


def write_output(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def add_data_options(p: argparse.ArgumentParser, by_period: bool = False) -> None:
    """PATH..., --rulebook and --period: how every command that reads unit data is called."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="tệp hoặc thư mục số liệu / data files or folder")
    add_rulebook_option(p, by_period)
    p.add_argument("--period", default="", help="kỳ đánh giá, ví dụ 2026-Q3 / period label")


def read_data(args: argparse.Namespace) -> tuple[Rulebook, UnitTable]:
    """Load the data named by ``add_data_options``; the importer's notes and rejected rows go to stderr.

    Without --rulebook (``by_period``), the data's periods pick the rulebook; the file is read again
    under it when it is not the one first read with, since which headers hold official scores of this
    version (and which belong to another) depends on the rulebook."""
    if args.rulebook is not None:
        rb = load_rulebook(args.rulebook)
        table = load_paths(args.paths, rb, period=args.period)
    else:
        rb, table = _read_by_period(args)
    for msg in table.warnings:
        print(f"Cảnh báo: {msg}", file=sys.stderr)
    for err in table.rejected:
        print(f"Bỏ qua: {err}", file=sys.stderr)
    return rb, table


def _read_by_period(args: argparse.Namespace) -> tuple[Rulebook, UnitTable]:
    first = load_rulebook(rulebook_for_periods([args.period]))
    table = load_paths(args.paths, first, period=args.period)
    rb = load_rulebook(rulebook_for_periods(table.periods))
    if rb.id != first.id:
        table = load_paths(args.paths, rb, period=args.period)
    shown = ", ".join(table.periods[:3]) + ("…" if len(table.periods) > 3 else "")
    print(f"Bộ quy tắc: {rb.id} — {rb.name_vi}" + (f" (theo kỳ {shown})" if shown else " (số liệu không ghi kỳ)"),
          file=sys.stderr)
    return rb, table
