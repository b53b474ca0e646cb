"""``python -m chiso history``: one unit over every stored period of the workspace."""
from __future__ import annotations

import argparse
import json

from chiso.cli.common import write_output
from chiso.errors import DataError
from chiso.explain import group_value
from chiso.fmt import fmt_delta, fmt_number
from chiso.history import PeriodScore, unit_history
from chiso.rulebook import load_rulebook
from chiso.workspace import ENV_URL, Workspace, open_workspace

HISTORY_HELP = f"""\
In mọi kỳ đã lưu của một đơn vị (lệnh import): tổng điểm (tính lại + giữ nguyên, như dòng TOTAL của
lệnh score), điểm chính thức, điểm từng nhóm, xếp hạng trong nhóm cùng cấp; mỗi kỳ một dòng, theo thứ tự kỳ.
Print every stored period of one unit: total (recomputed + held, as score's TOTAL row), official total,
group points, rank in its cohort; one entry per period, ordered by period.

JSON: [{{"period", "rulebook", "total", "official_total", "groups": {{nhóm: điểm, null = giữ nguyên}}, "rank",
"cohort_size", "held", "unit_name", "level", "synthetic", "source", "unit_code"}}, …]
Cơ sở dữ liệu / database: {ENV_URL}, mặc định / default .chiso/workspace.sqlite3.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history",
        help="lịch sử điểm của một đơn vị qua các kỳ / a unit's scores over stored periods",
        description=HISTORY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị / unit code")
    p.add_argument("--format", choices=("json", "text"), default="text", help="định dạng in ra / output format")
    p.add_argument("--output", metavar="FILE", help="ghi ra tệp thay vì màn hình / write to FILE")
    p.set_defaults(func=cmd_history)


def stored_history(ws: Workspace, code: str) -> list[PeriodScore]:
    """Every stored period of the unit; of two datasets with the same period, the later import wins."""
    found = sorted(ws.datasets_with_unit(code), key=lambda d: (d.imported_at, d.id))
    return unit_history([(ws.load_dataset(d.id), load_rulebook(d.rulebook)) for d in found], code)


def cmd_history(args: argparse.Namespace) -> int:
    ws = open_workspace()
    try:
        rows = stored_history(ws, args.unit)
    finally:
        ws.close()
    if not rows:
        raise DataError(f"Chưa có kỳ nào của đơn vị «{args.unit}» trong cơ sở dữ liệu làm việc (dùng lệnh import).")
    if args.format == "json":
        text = json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1)
    else:
        text = _text(rows)
    write_output(text, args.output)
    return 0


def _text(rows: list[PeriodScore]) -> str:
    first = rows[-1]
    lines = [f"{first.unit_code} — {first.unit_name}"]
    prev = None
    for r in rows:
        change = f" ({fmt_delta(r.total - prev.total)} so với kỳ trước)" if prev else ""
        official = f", chính thức {fmt_number(r.official_total, 2)}" if r.official_total is not None else ""
        lines.append(
            f"  {r.period} [{r.rulebook}]{' (giả lập)' if r.synthetic else ''}: {fmt_number(r.total, 2)} điểm{official}"
            f"{change}; xếp hạng {r.rank}/{r.cohort_size}"
        )
        names = {g.code: g.name_vi for g in load_rulebook(r.rulebook).groups}  # the rulebook's Vietnamese names
        lines.append("    " + "; ".join(f"{names.get(g, g)} {_group(v, r)}" for g, v in r.groups.items()))
        prev = r
    return "\n".join(lines)


def _group(points: float | None, r: PeriodScore) -> str:
    """A group's points as every view writes them: a group without data is «giữ nguyên», never 0."""
    return group_value(points, empty=points is None, holding=bool(r.held)).text
