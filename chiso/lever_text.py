"""What the simulator says under and beside each lever: the points the next units bring, and the
number users type for levers they count by what is left (overdue dossiers), kept true and short."""
from __future__ import annotations

import math

from chiso.fmt import fmt_delta, fmt_int
from chiso.rulebook import Lever
from chiso.scenario import LeverRoom, count_after, count_bounds, shown_count


def counts_left(room: LeverRoom) -> bool:
    """Users count this lever by what remains (200 overdue dossiers), not by the count it moves."""
    return bool(room.lever.remaining_vi) and not math.isnan(room.denominator)


def typed_value(room: LeverRoom, delta: float) -> int:
    """The number in the lever's typed box: the count, or what is left for ``counts_left`` levers."""
    if counts_left(room):
        return int(math.floor(room.denominator - count_after(room, delta) + 0.5))
    return shown_count(room, delta)


def typed_bounds(room: LeverRoom) -> tuple[int, int]:
    lo, hi = count_bounds(room)
    if counts_left(room):
        return int(round(room.denominator - hi)), int(round(room.denominator - lo))
    return lo, hi


def count_from_typed(room: LeverRoom, typed: float) -> float:
    """The lever's count once the user typed ``typed`` in its box (what is left → the count it moves)."""
    return room.denominator - typed if counts_left(room) else typed


def as_counted(unit_vi: str, remaining_vi: str, denominator: float, before: float, after: float
               ) -> tuple[str, float, float, float]:
    """(unit, before, change, after) in the terms users count in: for a lever counted by what is left, the
    overdue dossiers left (538 → 1, change −537), not the on-time count it moves (3.734 → 4.271)."""
    if remaining_vi and math.isfinite(denominator):
        before, after = denominator - before, denominator - after
        return remaining_vi, before, after - before, after
    return unit_vi, before, after - before, after


def steps_vi(lever: Lever, n: float, left: bool | None = None) -> str:
    """«thêm 5 PAKN», or «bớt 5 hồ sơ quá hạn» for a lever users count by what is left (``left``; by default
    whether the lever names what is left)."""
    if lever.remaining_vi if left is None else left:
        return f"bớt {fmt_int(n)} {lever.remaining_vi}"
    return f"thêm {fmt_int(n)} {lever.unit_vi}"


def change_vi(lever: Lever, d: float) -> str:
    """A lever's change as users count it: «+30» PAKN, but «bớt 30» overdue dossiers (a lever counted by what
    is left: the on-time count rises by 30, the overdue ones left fall by 30); "" when unchanged."""
    if not d:
        return ""
    if lever.remaining_vi:
        return f"{'bớt' if d > 0 else 'thêm'} {fmt_int(abs(d))}"
    return f"{'+' if d > 0 else '−'}{fmt_int(abs(d))}"


def change_label_vi(lever: Lever) -> str:
    """The row naming a lever's change in comparisons: «Giảm hồ sơ quá hạn (số hồ sơ quá hạn bớt đi)»."""
    return f"{lever.name_vi} (số {lever.remaining_vi} bớt đi)" if lever.remaining_vi else f"{lever.name_vi} ({lever.unit_vi})"


def gain_hint_vi(room: LeverRoom, step: float, gain: float, gain_one: float, hi: int) -> str:
    """Points the next units of a lever bring, without repeating itself or showing a 0,00 that misleads.

    One more dossier out of 1.578 rounds to 0,00 points: say that one is not enough and how much the
    ~1 % step brings; when the step is 1, say it once.
    """
    lv = room.lever
    what, what_n = steps_vi(lv, 1, counts_left(room)), steps_vi(lv, step, counts_left(room))
    limit = (f"ít nhất còn {fmt_int(room.denominator - hi)} {lv.remaining_vi}" if counts_left(room)
             else f"tối đa {fmt_int(hi)}")

    def pts(g: float) -> str:
        return f"{fmt_delta(g)} điểm" if g else "không đổi điểm"

    if step <= 1:
        text = f"{what}: {pts(gain)}"
    elif gain_one:
        text = f"{what}: {pts(gain_one)}; {what_n}: {pts(gain)}"
    else:
        text = f"{what_n}: {pts(gain)} ({what} chưa đổi điểm sau làm tròn 0,01)"
    return f"{text[0].upper()}{text[1:]} · {limit}"
