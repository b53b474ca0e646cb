"""``python -m chiso plan``: the planner on the command line (registered by chiso.cli.main)."""
from __future__ import annotations

import argparse
import json
import sys

from chiso.calibration import baseline
from chiso.cli.common import add_rulebook_option
from chiso.errors import DataError
from chiso.fmt import parse_vn_number
from chiso.notes import REFERENCE_VI
from chiso.io.load import load_paths
from chiso.plan.solver import OBJECTIVES, plan_unit, quiet_stdout_fd
from chiso.rulebook import load_rulebook
from chiso.plan.targets import MEDIAN, NEXT_BAND, OVERTAKE, P75, target_presets

PLAN_HELP = """\
Lập kế hoạch cải thiện cho một đơn vị: ít yếu tố cải thiện nhất rồi ít công sức nhất (hoặc chỉ ít
công sức nhất với --objective effort) để đạt điểm mục tiêu; mọi kế hoạch được tính lại bằng bộ máy
tính điểm trước khi in ra. Plan for one unit: the fewest levers, then the least effort (or just the
least effort with --objective effort); every plan is re-scored by the engine before it is printed.

--target: số điểm (ví dụ 70 hoặc 70,5) hoặc / a number or: next_band (xếp loại kế tiếp),
median (trung vị nhóm), p75 (phân vị 75 của nhóm), overtake (vượt đơn vị xếp ngay trên).

JSON: {"unit", "baseline", "target", "feasible", "final_score", "best_reachable", "levers_changed",
"effort", "steps": [{"lever", "from", "to", "delta", "points", "indicator", "rate_from", "rate_to",
"instruction", ...}], "blocked_by": [{"kind", "indicators", "levers", "points_lost", "message"}],
"alternative": {...} | null, ...}. Khi không thể đạt: feasible = false, các bước đưa đơn vị tới điểm
cao nhất có thể đạt và blocked_by nêu nguyên nhân. When unreachable: feasible is false, the steps
reach the best reachable score and blocked_by names what blocks the rest.

""" + REFERENCE_VI + "\n"


def add_parser(sub: argparse._SubParsersAction) -> None:
    pl = sub.add_parser(
        "plan",
        help="lập kế hoạch đạt điểm mục tiêu / plan to reach a target score",
        description=PLAN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pl.add_argument("paths", nargs="+", metavar="DATA", help="tệp hoặc thư mục số liệu / data files or folder")
    pl.add_argument("--unit", required=True, metavar="CODE", help="mã đơn vị / unit code")
    pl.add_argument("--target", required=True, metavar="SCORE", help="điểm mục tiêu hoặc tên mục tiêu có sẵn")
    add_rulebook_option(pl)
    pl.add_argument("--period", default="", help="kỳ đánh giá / period label")
    pl.add_argument("--objective", choices=OBJECTIVES, default="levers", help="levers (mặc định) hoặc effort")
    pl.add_argument("--lock", action="append", default=[], metavar="LEVER", help="khóa yếu tố / lock a lever")
    pl.add_argument("--cap", action="append", default=[], metavar="LEVER=N", help="tăng tối đa N / at most N more")
    pl.add_argument("--weight", action="append", default=[], metavar="LEVER=W", help="công sức mỗi bước, từ 0,000001 đến 1.000.000 / effort per step, 1e-6 to 1e6")
    pl.add_argument("--format", choices=("json", "text"), default="json", help="định dạng in ra / output format")
    pl.set_defaults(func=cmd_plan)


def cmd_plan(args: argparse.Namespace) -> int:
    rb = load_rulebook(args.rulebook)
    table = load_paths(args.paths, rb, period=args.period)
    for msg in table.warnings:
        print(f"Cảnh báo: {msg}", file=sys.stderr)
    base = baseline(table, rb)
    target = resolve_target(args.target, base, args.unit)
    options = dict(
        objective=args.objective,
        locks=tuple(args.lock),
        caps=_pairs(args.cap, "--cap"),
        weights=_pairs(args.weight, "--weight"),
    )
    with quiet_stdout_fd():  # HiGHS may print a debug line straight to fd 1 (ecosystem.md §3)
        result = plan_unit(table, base, args.unit, target, **options)
    if args.format == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    else:
        text = result.to_text()
    sys.stdout.write(text + "\n")
    return 0


def resolve_target(text: str, base, code: str) -> float:
    """A number ("70", "70,5") or a preset name, resolved against the unit's cohort."""
    key = text.strip().lower().replace("-", "_")
    if key in (NEXT_BAND, MEDIAN, P75, OVERTAKE):
        presets = {p.key: p for p in target_presets(base, code)}
        if key not in presets:
            raise DataError(f"Không có mục tiêu «{text}» cho đơn vị «{code}» (đã ở mức cao nhất).")
        return presets[key].value
    try:
        return parse_vn_number(text)  # the app's grammar: 70,5 · 70.5
    except ValueError:
        raise DataError(
            f"Mục tiêu «{text}» không hợp lệ: nhập số điểm hoặc {NEXT_BAND}, {MEDIAN}, {P75}, {OVERTAKE}."
        ) from None


def _pairs(items: list[str], option: str) -> dict[str, float]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            out[key.strip()] = parse_vn_number(value)
        except ValueError:
            sep = ""
        if not sep:
            raise DataError(f"{option} «{item}» không hợp lệ; dùng dạng TÊN=SỐ, ví dụ e_results=50.")
    return out
