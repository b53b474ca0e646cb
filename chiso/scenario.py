"""Levers and scenarios: integer lever deltas over a read-only baseline, scored by the same engine.

A lever adds its delta to every raw count it ``moves`` (avoiding one overdue dossier adds one on-time
dossier *and* one satisfied dossier). Its room is bounded by what is possible: a count can never exceed
the denominator of any indicator it feeds, nor drop below zero.

Deltas are whole dossiers, but a count derived from a published rate is fractional (2,78 % × 365 =
10,147). So the last step up (or down) may be partial: a delta is clamped to the exact room when it is
applied, and a lever offers ``ceil(room)`` whole steps. +1 then always moves (10,147 → 11,147), a
typed 80 % reaches at least 80 %, and the top step lands exactly on the denominator (100 %).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np

from chiso.engine import Scores, apply_fallbacks, score_matrix
from chiso.errors import DataError, Location
from chiso.reasons import LeverFixed
from chiso.rulebook import LEVELS, Lever, Rulebook

SCHEMA_VERSION = 1
ArrayOrFloat = np.ndarray | float  # the scalar views (one lever of one unit) share the vectorised rules
def move_matrix(rb: Rulebook) -> np.ndarray:
    """(levers, inputs) matrix: how much one step of each lever adds to each raw count."""
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    m = np.zeros((len(rb.levers), len(rb.inputs)))
    for n, lv in enumerate(rb.levers):
        for key in lv.moves:
            m[n, pos[key]] = 1.0
    return m


@dataclass(frozen=True)
class LeverRoom:
    """What one unit can do with one lever: its row of ``LeverBounds`` (see ``lever_rooms``)."""

    lever: Lever
    current: float  # value of the lever's first count now
    floor: float  # most negative delta (counts cannot go below 0)
    room: float  # largest delta (NaN when a denominator is unknown)
    movable: bool  # feeds at least one indicator scored from this unit's own counts, all of them known
    denominator: float  # denominator of the first indicator it feeds (for rates)
    steps_up: int  # whole steps up: the last one may be partial (clamped to the exact room when applied)
    steps_down: int  # whole steps down (≤ 0), the last one possibly partial (counts stop at 0)
    reason: LeverFixed | None = None  # why it cannot move, when it cannot

    @property
    def bounded(self) -> bool:
        return not math.isnan(self.room)

    @property
    def reason_vi(self) -> str:
        return self.reason.value if self.reason else ""


_EPS = 1e-9  # absorbs binary noise (0,8 × 1578, 365 − 10,147 − 354,853)


def lever_rooms(x: np.ndarray, level: str, rb: Rulebook) -> list[LeverRoom]:
    """Room of every lever for one unit, from its (fallback-resolved) row of counts ``x``: the per-unit
    view of ``lever_bounds``."""
    return lever_bounds(np.asarray(x, dtype=float)[None, :], np.array([LEVELS.index(level)]), rb).rooms(0, rb)


_LEVER_INDEX: dict[int, tuple[Rulebook, list[tuple[np.ndarray, np.ndarray]]]] = {}


def _lever_index(rb: Rulebook) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per lever: the indicators it feeds and the counts it moves (positions), once per rulebook."""
    hit = _LEVER_INDEX.get(id(rb))
    if hit is None or hit[0] is not rb:
        pos = {k: n for n, k in enumerate(rb.input_keys)}
        index = [
            # key-major: the first indicator listed is one its first count feeds (the lever's rate)
            (np.array([k for m in lv.moves for k, ind in enumerate(rb.indicators) if ind.numerator == m],
                      dtype=np.int64),
             np.array([pos[m] for m in lv.moves], dtype=np.int64))
            for lv in rb.levers
        ]
        hit = _LEVER_INDEX[id(rb)] = (rb, index)
    return hit[1]


@dataclass(frozen=True)
class LeverBounds:
    """How far every lever of every unit can move (N, L): the one home of the rule.

    A lever's count never exceeds the denominator of any indicator it feeds that the unit's level scores
    from its own counts, and never drops below 0. The room is NaN when the level scores none of them
    (``scored`` False) or one of their counts is unknown; the floor is 0 when one of its counts is unknown.
    """

    current: np.ndarray  # the lever's first count now
    denominator: np.ndarray  # denominator of the first indicator its first count feeds (for rates)
    floor: np.ndarray  # most negative delta
    room: np.ndarray  # largest delta, NaN when unknown
    movable: np.ndarray  # bool: the room is known
    scored: np.ndarray  # bool: the level scores at least one indicator it feeds from the unit's counts

    @property
    def steps_up(self) -> np.ndarray:
        """Whole steps up: the last one may be partial (clamped to the exact room when applied)."""
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(self.room), 0.0, np.ceil(self.room - _EPS))

    @property
    def steps_down(self) -> np.ndarray:
        """Whole steps down (≤ 0), the last one possibly partial (counts stop at 0)."""
        return -np.ceil(-self.floor - _EPS)

    def clamp(self, deltas: np.ndarray) -> np.ndarray:
        """Deltas (N, L) or (R, L) for one unit, clamped to the exact floor and room."""
        return clamp_to_room(np.atleast_2d(np.asarray(deltas, dtype=float)), self.floor, self.room)

    def rooms(self, i: int, rb: Rulebook) -> list[LeverRoom]:
        """Unit ``i``'s levers one by one, with why a lever cannot move."""
        up, down = self.steps_up[i], self.steps_down[i]
        return [
            LeverRoom(lv, float(self.current[i, k]), float(self.floor[i, k]), float(self.room[i, k]),
                      bool(self.movable[i, k]), float(self.denominator[i, k]), int(up[k]), int(down[k]),
                      None if self.movable[i, k] else
                      LeverFixed.MISSING_COUNTS if self.scored[i, k] else LeverFixed.NOT_SCORED_HERE)
            for k, lv in enumerate(rb.levers)
        ]


def clamp_to_room(delta: ArrayOrFloat, floor: ArrayOrFloat, room: ArrayOrFloat) -> np.ndarray:
    """A delta clamped to what is possible: whole-dossier steps beyond a fractional room stop exactly at the
    denominator (or at 0), never past it; an unknown room does not bound it (nothing is scored from it)."""
    return np.clip(np.nan_to_num(delta), np.minimum(floor, 0.0), np.where(np.isnan(room), np.inf, room))


def lever_bounds(x: np.ndarray, level_idx: np.ndarray, rb: Rulebook) -> LeverBounds:
    """The bounds of every lever of every unit (``x`` fallback-resolved counts (N, I), ``level_idx`` (N,))."""
    c = rb.compiled
    x = np.atleast_2d(np.asarray(x, dtype=float))
    cap = x[:, c.den_idx] - x[:, c.num_idx]  # (N, K) what each indicator can still take
    scored_k = c.policy[np.asarray(level_idx, dtype=np.int64)] == 0  # POLICIES[0] == "computed"
    n, nl = x.shape[0], len(rb.levers)
    nan = np.full((n, nl), np.nan)
    current, den, floor, room = nan.copy(), nan.copy(), np.zeros((n, nl)), nan.copy()
    scored = np.zeros((n, nl), dtype=bool)
    for k, (fed, moves) in enumerate(_lever_index(rb)):
        current[:, k] = x[:, moves[0]]
        floor[:, k] = np.nan_to_num(-x[:, moves].min(axis=1), nan=0.0)
        if not len(fed):
            continue
        den[:, k] = x[:, c.den_idx[fed[0]]]
        s, cp = scored_k[:, fed], cap[:, fed]
        with np.errstate(invalid="ignore"):
            r = np.where(s, cp, np.inf).min(axis=1)
        scored[:, k] = s.any(axis=1)
        ok = scored[:, k] & ~(s & np.isnan(cp)).any(axis=1)
        room[:, k] = np.where(ok, np.maximum(r, 0.0), np.nan)
    return LeverBounds(current, den, floor + 0.0, room, ~np.isnan(room), scored)


def clamp_deltas(x: np.ndarray, level_idx: np.ndarray, rb: Rulebook, deltas: np.ndarray) -> np.ndarray:
    """Deltas clamped to each unit's exact floor and room (``LeverBounds.clamp``)."""
    return lever_bounds(x, level_idx, rb).clamp(deltas)


def apply_deltas(x: np.ndarray, deltas: np.ndarray, rb: Rulebook, level_idx: np.ndarray | None = None) -> np.ndarray:
    """Counts after lever deltas: ``x`` (N, I) plus ``deltas`` (N, levers) through the move matrix.

    With ``level_idx`` the deltas are first clamped to each unit's exact room (see ``clamp_deltas``)."""
    d = np.nan_to_num(deltas) if level_idx is None else clamp_deltas(x, level_idx, rb, deltas)
    return x + d @ move_matrix(rb)


def simulate(
    x: np.ndarray, level: np.ndarray, rb: Rulebook, deltas: np.ndarray, held: np.ndarray, codes=None
) -> Scores:
    """Score units after applying lever deltas (clamped to what is possible); ``held`` points stay."""
    return score_matrix(apply_deltas(x, deltas, rb, level), level, rb, codes, held)


def marginal_points(x_row: np.ndarray, level: str, rb: Rulebook, held: float = 0.0, step: int = 1) -> np.ndarray:
    """Total points gained by ``step`` more of each lever (0 where the lever has no room)."""
    rooms = lever_rooms(x_row, level, rb)
    steps = np.array([min(step, r.steps_up) if r.movable else 0.0 for r in rooms])
    return step_gains(x_row, level, rb, held, steps)


# ---------------------------------------------------------------- scenarios as small validated JSON


@dataclass
class Scenario:
    """A named set of lever deltas for one unit and period under one rulebook."""

    name: str
    rulebook: str
    unit_code: str
    period: str = ""
    levers: dict[str, int] = field(default_factory=dict)

    def deltas(self, rb: Rulebook) -> np.ndarray:
        return np.array([float(self.levers.get(lv.key, 0)) for lv in rb.levers])

    def to_json(self) -> str:
        return json.dumps(
            {
                "schema_version": SCHEMA_VERSION,
                "name": self.name,
                "rulebook": self.rulebook,
                "unit_code": self.unit_code,
                "period": self.period,
                "levers": {k: int(v) for k, v in self.levers.items() if v},
            },
            ensure_ascii=False,
            indent=2,
        )


def scenario_from_dict(doc: dict, rb: Rulebook, loc=None) -> Scenario:
    """Validate a parsed scenario document (from a JSON file or a link); errors are DataError."""
    loc = loc or Location()
    version = doc.get("schema_version")
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise DataError(f"Phiên bản lược đồ «{_short(version)}» không được hỗ trợ (cần {SCHEMA_VERSION}).", loc)
    if doc.get("rulebook") != rb.id:
        raise DataError(
            f"Kịch bản dùng bộ quy tắc «{_short(doc.get('rulebook'))}», đang chọn «{rb.id}». Hãy đổi bộ quy tắc trước.",
            loc,
        )
    for key in ("name", "unit_code"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise DataError(f"Thiếu trường «{key}».", loc)
    levers = doc.get("levers", {})
    if not isinstance(levers, dict):
        raise DataError("Trường «levers» phải là một bảng {tên yếu tố: số lượng}.", loc)
    known = {lv.key for lv in rb.levers}
    clean: dict[str, int] = {}
    for key, val in levers.items():
        if key not in known:
            raise DataError(f"Yếu tố cải thiện «{_short(key)}» không có trong bộ quy tắc «{rb.id}».", loc)
        if not _whole(val):
            raise DataError(f"Giá trị của «{key}» phải là số nguyên (tối đa ±1 tỷ), đang là «{_short(val)}».", loc)
        clean[key] = int(val)
    return Scenario(
        name=doc["name"][:200],
        rulebook=rb.id,
        unit_code=doc["unit_code"],
        period=str(doc.get("period", "")),
        levers=clean,
    )


def _whole(val: object) -> bool:
    """A lever value: a finite whole number within ±1e9 (NaN, 1e999 and True are not)."""
    if isinstance(val, bool) or not isinstance(val, (int, float)):
        return False
    if isinstance(val, float) and not math.isfinite(val):
        return False
    return abs(val) <= 1e9 and val == int(val)


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def fit_levers(asked: dict[str, int], rooms: list[LeverRoom]) -> dict[str, int]:
    """The lever values of a scenario that this unit can apply: levers that cannot move here are
    dropped, the others clamped to what is possible (a plan or a link made on other data)."""
    kept = {}
    for r in rooms:
        value = asked.get(r.lever.key, 0)
        if value and not fixed_reason_vi(r):
            kept[r.lever.key] = int(np.clip(value, r.steps_down, r.steps_up))
    return kept


# ---------------------------------------------------------------- helpers for the simulator screens


def effective_delta(room: LeverRoom, delta: float) -> float:
    """What a whole-step delta really adds: clamped to the exact floor and room."""
    return float(clamp_to_room(delta, room.floor, room.room))


def count_after(room: LeverRoom, delta: float) -> float:
    """The lever's count after ``delta``, exactly (10,147 + 1 = 11,147)."""
    return room.current + effective_delta(room, delta)


def shown_count(room: LeverRoom, delta: float) -> int:
    """The count as a whole number for display and for the count widgets (11,147 → 11)."""
    c = count_after(room, delta)
    return int(math.floor(c + 0.5)) if not math.isnan(c) else 0


def count_bounds(room: LeverRoom) -> tuple[int, int]:
    """Smallest and largest whole count the lever's widgets offer (the room is NaN-free here)."""
    return shown_count(room, room.steps_down), shown_count(room, room.steps_up)


def _clip_steps(room: LeverRoom, delta: int) -> int:
    return int(min(max(delta, room.steps_down), room.steps_up))


def delta_for_count(room: LeverRoom, count: float) -> int:
    """Whole-step delta whose shown count is ``count`` (bounded): 11 from 10,147 is +1 → 11,147."""
    return int(deltas_for_counts(room, np.array([count], dtype=float))[0])


def deltas_for_counts(room: LeverRoom, counts: np.ndarray) -> np.ndarray:
    """``delta_for_count`` of many counts at once (the live bar scores every position of a slider)."""
    counts = np.asarray(counts, dtype=float)
    if math.isnan(room.current):
        return np.zeros(counts.shape, dtype=np.int64)
    lo, hi = count_bounds(room)
    inner = np.clip(np.floor(counts - shown_count(room, 0) + 0.5), room.steps_down, room.steps_up)
    # the ends are exact: 0 and the denominator, not 0,147 or 364,147
    return np.where(counts <= lo, room.steps_down, np.where(counts >= hi, room.steps_up, inner)).astype(np.int64)


def delta_for_rate(room: LeverRoom, rate: float) -> int:
    """The smallest whole-step delta whose rate reaches ``rate`` (a fraction): the simulator's typed rate."""
    return int(rate_step(room.current, room.denominator, room.steps_down, room.steps_up, rate))


def rate_deltas(b: LeverBounds, k: int, rate: float) -> np.ndarray:
    """(N,) delta of lever ``k`` of every unit that reaches ``rate`` (see ``rate_step``)."""
    return rate_step(b.current[:, k], b.denominator[:, k], b.steps_down[:, k], b.steps_up[:, k], rate)


def rate_step(current: ArrayOrFloat, denominator: ArrayOrFloat, steps_down: ArrayOrFloat, steps_up: ArrayOrFloat,
              rate: float) -> np.ndarray:
    """The smallest whole-step delta whose rate (count / denominator) reaches ``rate`` (a fraction), within
    the lever's steps; 0 where the denominator is 0 or unknown. Scalars or arrays: the one rule."""
    with np.errstate(invalid="ignore"):
        d = np.clip(np.ceil(rate * denominator - current - _EPS), steps_down, steps_up)
    known = (denominator != 0) & ~np.isnan(denominator) & ~np.isnan(current)
    return np.where(known, d, 0.0)


def rate_after(room: LeverRoom, delta: float) -> float:
    """The lever's rate after ``delta`` (NaN when the denominator is 0 or unknown)."""
    if not room.denominator or math.isnan(room.denominator):
        return float("nan")
    return count_after(room, delta) / room.denominator


def fixed_reason_vi(room: LeverRoom, rb: Rulebook | None = None) -> str:
    """Why a lever offers nothing to move for this unit ("" when it can move); with ``rb``, the notes
    of the indicators it feeds are added (e.g. "communes always get the 2 points")."""
    if not room.movable:
        if rb is None or room.reason is not LeverFixed.NOT_SCORED_HERE:
            return room.reason_vi
        notes = [i.note_vi for k in room.lever.moves for i in rb.indicators_fed_by(k) if i.note_vi]
        return " ".join([room.reason_vi, *dict.fromkeys(notes)])
    lo, hi = count_bounds(room)
    if lo < hi:
        return ""
    if room.denominator == 0:
        return "Mẫu số bằng 0 trong kỳ (chưa phát sinh): điểm theo quy tắc mẫu số 0, không có gì để thay đổi."
    return "Không còn gì để thay đổi với số liệu hiện có."


def step_gains(x_row: np.ndarray, level: str, rb: Rulebook, held: float, steps: np.ndarray) -> np.ndarray:
    """Total points gained by moving each lever alone by its own ``steps[k]`` (one engine call)."""
    n = len(rb.levers)
    xs = np.repeat(x_row[None, :], n + 1, axis=0)
    deltas = np.zeros((n + 1, n))
    deltas[np.arange(n), np.arange(n)] = steps
    lv = np.full(n + 1, LEVELS.index(level))
    s = simulate(xs, lv, rb, deltas, np.full(n + 1, held))
    return np.round(s.total[:n] - s.total[n], 2)


@dataclass(frozen=True)
class Marginal:
    """What the next few units of each lever are worth, at the current state of the scenario."""

    step: np.ndarray  # (levers,) the step tried: ~1% of the denominator, at least 1, within the room
    gain: np.ndarray  # (levers,) total points gained by that step
    gain_one: np.ndarray  # (levers,) total points gained by one more (often 0,00 after rounding)

    @property
    def per_unit(self) -> np.ndarray:
        """Points per extra dossier (or petition, procedure …), averaged over the step."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.step > 0, self.gain / self.step, 0.0)

    @property
    def best(self) -> int:
        """Index of the lever that pays most per extra unit now (-1 when none pays)."""
        p = self.per_unit
        return int(np.argmax(p)) if len(p) and p.max() > 0 else -1

    def paying(self) -> list[int]:
        """The levers whose next step gains points, best per extra unit first (ties: rulebook order)."""
        return [int(k) for k in np.argsort(-self.per_unit, kind="stable") if self.step[k] > 0 and self.gain[k] > 0]


def marginal(x_row: np.ndarray, level: str, rb: Rulebook, held: float = 0.0, share: float = 0.01) -> Marginal:
    """Points per extra unit of each lever over a step of ``share`` of its denominator.

    One more dossier out of 1.578 is worth 0,0038 points, which rounds to 0,00: the step of ~1%
    shows what each lever really pays while staying local.
    """
    rooms = lever_rooms(x_row, level, rb)
    step = np.array(
        [
            min(max(1.0, math.ceil(share * r.denominator)), r.steps_up)
            if r.movable and not math.isnan(r.denominator)
            else 0.0
            for r in rooms
        ]
    )
    one = np.minimum(step, 1.0)
    gains = step_gains(x_row, level, rb, held, step)
    gains_one = step_gains(x_row, level, rb, held, one)
    return Marginal(step=step, gain=gains, gain_one=gains_one)


def score_scenarios(
    x_row: np.ndarray, level: str, rb: Rulebook, held: float, deltas: np.ndarray, code: str = ""
) -> Scores:
    """Score several scenarios (rows of ``deltas``) of one unit at once, for side-by-side comparison."""
    d = np.atleast_2d(np.asarray(deltas, dtype=float))
    n, x, lv = d.shape[0], x_row[None, :], LEVELS.index(level)
    d = clamp_deltas(x, np.array([lv]), rb, d)  # as ``simulate`` does, with the unit's limits computed once
    return score_matrix(apply_deltas(x, d, rb), np.full(n, lv), rb, np.array([code] * n, dtype=object), np.full(n, held))


# ---------------------------------------------------------------- scenarios as links (query parameters)

LINK_KEYS = ("unit", "rb", "period", "name", "lv")


def scenario_to_query(s: Scenario) -> dict[str, str]:
    """Compact query parameters: ?unit=H44.115&rb=portal-2026&period=…&name=…&lv=e_results:120,digitised:40."""
    q = {"unit": s.unit_code, "rb": s.rulebook}
    if s.period:
        q["period"] = s.period
    if s.name:
        q["name"] = s.name
    lv = ",".join(f"{k}:{int(v)}" for k, v in s.levers.items() if v)
    if lv:
        q["lv"] = lv
    return q


def scenario_from_query(params: dict[str, str], rb: Rulebook) -> Scenario:
    """Parse the query parameters of a shared link with the same validation as a scenario file."""
    loc = Location(file="liên kết chia sẻ")
    levers: dict[str, object] = {}
    for part in filter(None, str(params.get("lv", "")).split(",")):
        key, sep, val = part.partition(":")
        try:
            levers[key.strip()] = int(val) if sep else None
        except ValueError:
            levers[key.strip()] = val
    doc = {
        "schema_version": SCHEMA_VERSION,
        "name": str(params.get("name") or "Kịch bản từ liên kết"),
        "rulebook": params.get("rb"),
        "unit_code": params.get("unit"),
        "period": params.get("period", ""),
        "levers": levers,
    }
    return scenario_from_dict(doc, rb, loc)


__all__ = [
    "LINK_KEYS",
    "Marginal",
    "clamp_deltas",
    "count_after",
    "count_bounds",
    "effective_delta",
    "LeverBounds",
    "clamp_to_room",
    "lever_bounds",
    "shown_count",
    "delta_for_count",
    "deltas_for_counts",
    "delta_for_rate",
    "fixed_reason_vi",
    "marginal",
    "rate_after",
    "rate_deltas",
    "rate_step",
    "scenario_from_dict",
    "scenario_from_query",
    "scenario_to_query",
    "score_scenarios",
    "step_gains",
    "LeverRoom",
    "Scenario",
    "apply_deltas",
    "apply_fallbacks",
    "fit_levers",
    "lever_rooms",
    "marginal_points",
    "move_matrix",
    "simulate",
]
