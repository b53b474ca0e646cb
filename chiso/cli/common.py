"""What every command shares: the rulebook option and where the output goes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chiso.rulebook import DEFAULT_RULEBOOK, available_rulebooks


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
