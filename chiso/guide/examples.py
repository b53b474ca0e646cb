"""Worked examples for training sessions, computed live from the loaded units with the engine.

Each example picks its unit by computation (the commune that loses most, the one where an overdue
dossier costs twice, a commune with no petitions) and explains the numbers step by step in Vietnamese.
The texts are plain (no markdown): unit names are user data and are escaped where they are drawn.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chiso.cohort import rank_in_cohort
from chiso.engine import ZERO_DEN_FULL, score_matrix
from chiso.fmt import fmt_count, fmt_delta, fmt_int, fmt_number, fmt_percent, fmt_points
from chiso.guide.text import fmt_max
from chiso.guide.calc import (
    Units,
    indicator_points,
    lever_room,
    lever_totals,
    rescore,
    smallest_steps,
)
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS, Indicator, Rulebook

PREFERRED_LEVEL = "commune"  # trainees are mostly commune and ward officials


def loss_lever(rb: Rulebook) -> str | None:
    """The lever of the first worked example (the rulebook's ``[examples] loss``), None when it names none."""
    return rb.examples.loss if rb.examples else None


def overdue_lever(rb: Rulebook) -> str | None:
    """The lever that avoids overdue dossiers (the rulebook's ``[examples] overdue``), None when it names none."""
    return rb.examples.overdue if rb.examples else None


def example_indicator(rb: Rulebook) -> Indicator | None:
    """The indicator the first worked example explains, and the guide opens on (e-results on the portal)."""
    key = loss_lever(rb)
    return lever_indicator(rb, key) if key else None


def _prefer_level(units: Units, candidates: np.ndarray) -> np.ndarray:
    """Candidates at the preferred level when there are any, otherwise all of them."""
    level = LEVELS.index(PREFERRED_LEVEL)
    pref = candidates[units.base.level[candidates] == level]
    return pref if len(pref) else candidates


def count_word(rb: Rulebook, input_key: str) -> str:
    """What one unit of a count is called ("hồ sơ", "TTHC"), from the lever that moves it."""
    for lv in rb.levers:
        if input_key in lv.moves:
            return lv.unit_vi
    return "đơn vị"


def lever_indicator(rb: Rulebook, lever_key: str) -> Indicator | None:
    """The first indicator a lever feeds (the e-result lever feeds the e-result indicator)."""
    if lever_key not in {lv.key for lv in rb.levers}:
        return None
    fed = [ind for key in rb.lever(lever_key).moves for ind in rb.indicators_fed_by(key)]
    return fed[0] if fed else None


# ---------------------------------------------------------------- 1. why a unit lost points on one indicator


@dataclass(frozen=True)
class LossExample:
    unit: int
    unit_name: str
    indicator: Indicator
    numerator: float
    denominator: float
    rate: float
    points: float
    lost: float
    per_item: float  # points one more counted dossier adds while below the threshold
    steps_plus_one: int | None  # more counted dossiers for +1 point on this indicator
    steps_full: int | None  # more counted dossiers for full points
    peer_median_rate: float
    peers: int
    at_zero: int  # units of the same level still at 0%
    steps_vi: tuple[str, ...]


def pick_loss_unit(units: Units, code: str) -> int | None:
    """The unit (a commune when possible) that loses most on ``code`` by its own counts.

    Units at 0% are left out when others exist: a zero usually means the work has not started or is not
    reported yet, a different story from a unit that does it but too rarely (Phường 1, 2,78%).
    """
    k = units.rb.indicator_codes.index(code)
    lost = units.base.lost[:, k]
    ok = units.decided(k) & (np.nan_to_num(lost) > 0)
    started = ok & (units.base.numerator[:, k] > 0)
    cands = _prefer_level(units, np.flatnonzero(started))
    if not len(cands):
        cands = _prefer_level(units, np.flatnonzero(ok))
    if not len(cands):
        return None
    order = np.lexsort((-units.base.denominator[cands, k], -lost[cands]))  # most lost, then most dossiers
    return int(cands[order[0]])


def loss_example(units: Units, code: str, i: int | None = None) -> LossExample | None:
    """Why unit ``i`` (default: picked by ``pick_loss_unit``) has the points it has on ``code``."""
    rb = units.rb
    i = pick_loss_unit(units, code) if i is None else i
    if i is None:
        return None
    k = rb.indicator_codes.index(code)
    ind = rb.indicators[k]
    b = units.base
    num, den, pts = float(b.numerator[i, k]), float(b.denominator[i, k]), float(b.points[i, k])
    hi = int(np.ceil(den - num - 1e-9))  # counts derived from a rate can be fractional (10,15 of 365)

    def gain(extra: int) -> float:
        p = indicator_points(units, rb, code, np.array([num, num + extra]), den, i=i)
        return round(float(p[1] - p[0]), 2)

    plus_one = smallest_steps(gain, 1.0, hi)
    full = smallest_steps(gain, round(ind.max - pts, 2), hi) if pts < ind.max else 0
    same = (b.level == b.level[i]) & units.decided(k)
    median = float(np.nanmedian(b.rate[same, k])) if same.any() else float("nan")
    ex = LossExample(
        unit=i,
        unit_name=units.name(i),
        indicator=ind,
        numerator=num,
        denominator=den,
        rate=float(b.rate[i, k]),
        points=pts,
        lost=float(b.lost[i, k]),
        per_item=ind.max / (den * ind.threshold),
        steps_plus_one=plus_one,
        steps_full=full,
        peer_median_rate=median,
        peers=int(same.sum()),
        at_zero=int((same & (b.numerator[:, k] == 0)).sum()),
        steps_vi=(),
    )
    return _with_loss_steps(units, ex)


def _with_loss_steps(units: Units, ex: LossExample) -> LossExample:
    rb, ind = units.rb, ex.indicator
    m = fmt_max(ind.max)
    rate = fmt_percent(ex.rate)
    steps = [
        f"Tử số — {rb.input(ind.numerator).name_vi}: {fmt_count(ex.numerator)}. "
        f"Mẫu số — {rb.input(ind.denominator).name_vi}: {fmt_count(ex.denominator)}.",
        f"Tỷ lệ = {fmt_count(ex.numerator)} ÷ {fmt_count(ex.denominator)} = {rate}.",
    ]
    if ind.curve == "threshold" and ind.threshold < 1.0:
        thr = fmt_percent(ind.threshold)
        steps.append(f"Điểm = {m} × min(1; {rate} ÷ {thr}) = {fmt_points(ex.points)} (làm tròn 2 chữ số thập phân).")
    else:
        steps.append(f"Điểm = {m} × {rate} = {fmt_points(ex.points)} (làm tròn 2 chữ số thập phân).")
    steps.append(f"Điểm bị mất = {m} − {fmt_points(ex.points)} = {fmt_points(ex.lost)}.")
    if ex.steps_plus_one is not None:
        word = count_word(rb, ind.numerator)
        steps.append(
            f"Mỗi {word} thêm được khoảng {fmt_number(ex.per_item, 4)} điểm: cần thêm {fmt_count(ex.steps_plus_one)} "
            f"{word} để được thêm 1 điểm, và {fmt_count(ex.steps_full)} {word} để đủ {m} điểm."
        )
    if ex.peers > 1:
        level = LEVEL_NAMES_VI[units.level(ex.unit)].lower()
        zero = f"; {fmt_count(ex.at_zero)} đơn vị vẫn ở mức 0%" if ex.at_zero else ""
        steps.append(
            f"Để so sánh: tỷ lệ trung vị của {fmt_count(ex.peers)} đơn vị {level} là {fmt_percent(ex.peer_median_rate)}{zero}."
        )
    return LossExample(**{**ex.__dict__, "steps_vi": tuple(steps)})


# ---------------------------------------------------------------- 2. the double cost of an overdue dossier


@dataclass(frozen=True)
class Part:
    indicator: Indicator
    rate_before: float
    rate_after: float
    before: float
    after: float

    @property
    def drop(self) -> float:
        return round(self.before - self.after, 2)


@dataclass(frozen=True)
class OverdueExample:
    unit: int
    unit_name: str
    received: float
    overdue: float
    parts: tuple[Part, ...]
    total_before: float
    total_after: float
    total_none_overdue: float  # total if every overdue dossier had been handled on time (NaN if unknown)
    overdue_until_all_hit: int | None  # more overdue dossiers before every indicator loses points (0: already)
    steps_vi: tuple[str, ...]

    @property
    def cost(self) -> float:
        return round(self.total_before - self.total_after, 2)


def _moves_row(rb: Rulebook, lever_key: str) -> np.ndarray:
    row = np.zeros(len(rb.inputs))
    for key in rb.lever(lever_key).moves:
        row[rb.input_keys.index(key)] += 1.0
    return row


def _fed(rb: Rulebook, lever_key: str) -> list[int]:
    codes = [ind.code for key in rb.lever(lever_key).moves for ind in rb.indicators_fed_by(key)]
    return [rb.indicator_codes.index(c) for c in dict.fromkeys(codes)]


def overdue_drops(units: Units) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every eligible unit: (unit indices, per-indicator point drops, total drop) of one more overdue dossier.

    One more overdue dossier is one step back on the lever that avoids them: one on-time dossier and one
    satisfied dossier fewer.
    """
    rb, b = units.rb, units.base
    lever = overdue_lever(rb)
    if lever is None:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0)), np.zeros(0)
    fed = _fed(rb, lever)
    move = _moves_row(rb, lever)
    moved = move > 0
    ok = np.all([units.decided(k) for k in fed], axis=0) & np.all(units.x[:, moved] >= 1, axis=1)
    idx = np.flatnonzero(ok)
    if not len(idx):
        return idx, np.zeros((0, len(fed))), np.zeros(0)
    after = score_matrix(units.x[idx] - move, b.level[idx], rb, held=b.held[idx])
    drops = np.round(b.points[idx][:, fed] - after.points[:, fed], 2)
    return idx, drops, np.round(b.total[idx] - after.total, 2)


def overdue_example(units: Units, i: int | None = None) -> OverdueExample | None:
    """What one more overdue dossier costs unit ``i`` (default: a commune where it costs twice, the most)."""
    rb = units.rb
    lever = overdue_lever(rb)
    if lever is None:
        return None
    idx, drops, cost = overdue_drops(units)
    if i is None:  # the example's point is the double cost: only a unit that pays it now can show it
        twice = idx[(drops > 0).all(axis=1)]
        if not len(twice):
            return None
        cands = _prefer_level(units, twice)
        costs = cost[np.searchsorted(idx, cands)]
        i = int(cands[np.argmax(costs)])
    fed = _fed(rb, lever)
    after = rescore(units, i, (units.x[i] - _moves_row(rb, lever))[None, :])
    b = units.base
    parts = tuple(
        Part(rb.indicators[k], float(b.rate[i, k]), float(after.rate[0, k]), float(b.points[i, k]), float(after.points[0, k]))
        for k in fed
    )
    k0 = fed[0]
    ex = OverdueExample(
        unit=i,
        unit_name=units.name(i),
        received=float(b.denominator[i, k0]),
        overdue=float(b.denominator[i, k0] - b.numerator[i, k0]),
        parts=parts,
        total_before=float(b.total[i]),
        total_after=float(after.total[0]),
        total_none_overdue=_total_none_overdue(units, i),
        overdue_until_all_hit=_until_all_hit(units, i, fed),
        steps_vi=(),
    )
    return OverdueExample(**{**ex.__dict__, "steps_vi": _overdue_steps(ex)})


def nearest_double_cost(units: Units) -> tuple[int, int] | None:
    """(more overdue dossiers, unit) for the unit closest to paying twice per overdue dossier."""
    idx, _, _ = overdue_drops(units)
    if not len(idx):
        return None
    fed = _fed(units.rb, overdue_lever(units.rb))
    steps = [(_until_all_hit(units, int(i), fed), int(i)) for i in _prefer_level(units, idx)]
    steps = [(n, i) for n, i in steps if n]
    return min(steps) if steps else None


def overdue_skip_reason_vi(units: Units) -> str:
    """Why the double-cost example is not shown on the loaded data (the nearest unit, when there is one)."""
    if overdue_lever(units.rb) is None:
        return (f"Bộ quy tắc «{units.rb.id}» không nêu yếu tố cải thiện nào giảm hồ sơ quá hạn ([examples]), "
                "nên không có ví dụ này.")
    idx, drops, _ = overdue_drops(units)
    if not len(idx):
        return "Dữ liệu đang mở không đủ số liệu tiến độ và mức độ hài lòng để tính ví dụ này."
    near = ""
    nearest = nearest_double_cost(units)
    if nearest:
        n, i = nearest
        near = (f" Gần nhất là {units.name(i)}: thêm {fmt_int(n)} hồ sơ quá hạn nữa thì tỷ lệ hài lòng xuống dưới "
                "ngưỡng, và từ đó mỗi hồ sơ quá hạn bị trừ ở cả hai chỉ tiêu.")
    return ("Trên dữ liệu đang mở, chưa đơn vị nào bị trừ hai lần cho một hồ sơ quá hạn: tỷ lệ hài lòng của mọi "
            "đơn vị còn trên ngưỡng, nên hồ sơ quá hạn chỉ bị trừ ở tiến độ." + near)


def _until_all_hit(units: Units, i: int, fed: list[int]) -> int | None:
    """How many more overdue dossiers it takes before every indicator they feed loses points."""
    move = _moves_row(units.rb, overdue_lever(units.rb))
    hi = int(np.min(units.x[i, move > 0]))
    base = units.base.points[i, fed]

    def all_hit(m: int) -> float:
        after = rescore(units, i, (units.x[i] - m * move)[None, :]).points[0, fed]
        return float(np.all(np.round(base - after, 2) > 0))

    return smallest_steps(all_hit, 1.0, hi)


def _total_none_overdue(units: Units, i: int) -> float:
    lever = overdue_lever(units.rb)
    room = lever_room(units, i, lever)
    if np.isnan(room) or room <= 0:
        return float("nan")
    return float(lever_totals(units, i, lever, np.array([room]))[0])


def _overdue_steps(ex: OverdueExample) -> tuple[str, ...]:
    steps = [
        f"{ex.unit_name} tiếp nhận {fmt_count(ex.received)} hồ sơ trong kỳ, trong đó {fmt_count(ex.overdue)} hồ sơ quá hạn. "
        f"Thêm 1 hồ sơ quá hạn nữa thì sao?"
    ]
    for p in ex.parts:
        steps.append(
            f"{p.indicator.name_vi}: tỷ lệ {fmt_percent(p.rate_before)} → {fmt_percent(p.rate_after)}, "
            f"điểm {fmt_points(p.before)} → {fmt_points(p.after)} ({fmt_delta(-p.drop)})."
        )
    hit = [p.indicator.name_vi for p in ex.parts if p.drop > 0]
    where = (
        f"bị trừ ở {len(hit)} chỉ tiêu cùng lúc" if len(hit) > 1 else
        f"lần này chỉ bị trừ ở «{hit[0]}»" if hit else "chưa đổi điểm sau khi làm tròn"
    )
    steps.append(
        f"Tổng điểm {fmt_points(ex.total_before)} → {fmt_points(ex.total_after)}: một hồ sơ quá hạn làm mất "
        f"{fmt_points(ex.cost)} điểm, {where}."
    )
    for p in ex.parts:
        ind = p.indicator
        den = fmt_count(ex.received)
        if ind.curve == "threshold" and ind.threshold < 1.0:
            thr = fmt_percent(ind.threshold)
            steps.append(
                f"Vì sao: ở «{ind.name_vi}», hồ sơ quá hạn bị tính là không hài lòng; khi tỷ lệ dưới {thr}, "
                f"mỗi hồ sơ làm mất {fmt_max(ind.max)} ÷ ({thr} × {den}) ≈ "
                f"{fmt_number(ind.max / (ind.threshold * ex.received), 4)} điểm (trên {thr} thì chưa mất điểm)."
            )
        else:
            steps.append(
                f"Vì sao: ở «{ind.name_vi}», mỗi hồ sơ quá hạn luôn làm mất {fmt_max(ind.max)} ÷ {den} ≈ "
                f"{fmt_number(ind.max / ex.received, 4)} điểm."
            )
    if ex.overdue_until_all_hit and ex.overdue_until_all_hit > 1:
        steps.append(
            f"Tỷ lệ hài lòng còn trên ngưỡng nên lần này chỉ bị trừ một lần; từ hồ sơ quá hạn thứ "
            f"{fmt_count(ex.overdue_until_all_hit)} (thêm vào số hiện có), mỗi hồ sơ quá hạn bị trừ ở cả "
            f"{len(ex.parts)} chỉ tiêu."
        )
    if not np.isnan(ex.total_none_overdue):
        steps.append(
            f"Ngược lại, nếu {fmt_count(ex.overdue)} hồ sơ quá hạn đều được giải quyết đúng hạn, tổng điểm sẽ là "
            f"{fmt_points(ex.total_none_overdue)} ({fmt_delta(ex.total_none_overdue - ex.total_before)})."
        )
    return tuple(steps)


# ---------------------------------------------------------------- 3. the petition paradox


@dataclass(frozen=True)
class PetitionExample:
    unit: int
    unit_name: str
    denominator_key: str
    denominator_vi: str
    indicators: tuple[Indicator, ...]
    total_before: float
    total_late: float  # first petition handled late, citizen not satisfied
    total_good: float  # first petition handled on time, citizen satisfied
    rank_before: int
    rank_after: int
    cohort: int
    band_before: str
    band_after: str
    steps_vi: tuple[str, ...]

    @property
    def lost(self) -> float:
        return round(self.total_before - self.total_late, 2)

    @property
    def full_points(self) -> float:
        return sum(ind.max for ind in self.indicators)


def zero_full_denominator(rb: Rulebook) -> str | None:
    """The count whose absence gives the most free points at commune level (petitions, on the portal)."""
    by_den: dict[str, float] = {}
    for ind in rb.indicators:
        if ind.zero_rule == "full" and ind.movable_at(PREFERRED_LEVEL):
            by_den[ind.denominator] = by_den.get(ind.denominator, 0.0) + ind.max
    return max(by_den, key=by_den.get) if by_den else None


def petition_skip_reason_vi(units: Units) -> str:
    """Why the petition paradox is not shown on the loaded data."""
    rb = units.rb
    den_key = zero_full_denominator(rb)
    if den_key is None:
        return f"Bộ quy tắc «{rb.id}» không cho đủ điểm khi không có PAKN nào, nên không có nghịch lý này."
    name = rb.input(den_key).name_vi
    if np.isnan(units.x[:, units.col(den_key)]).all():
        return (f"Tệp đang mở không có số liệu «{name}» ở đơn vị nào (ô trống), nên không tính được ví dụ này. "
                "Hãy mở dữ liệu có số PAKN, ví dụ dữ liệu mẫu Phú Thọ.")
    return f"Không có đơn vị nào có «{name}» bằng 0 trong dữ liệu đang mở."


def petition_rows(units: Units, i: int, den_key: str) -> np.ndarray:
    """Unit ``i``'s counts as they are, after a first late petition, and after a first well-handled one."""
    rb = units.rb
    inds = [ind for ind in rb.indicators if ind.denominator == den_key and ind.zero_rule == "full"]
    rows = np.repeat(units.x[i][None, :], 3, axis=0)
    rows[1:, units.col(den_key)] += 1.0
    for ind in inds:
        rows[2, units.col(ind.numerator)] = rows[0, units.col(ind.numerator)] + 1.0
    return rows


def petition_example(units: Units, i: int | None = None) -> PetitionExample | None:
    """Full points with no petitions; the first late petition takes them away."""
    rb, b = units.rb, units.base
    den_key = zero_full_denominator(rb)
    if den_key is None:
        return None
    ks = [k for k, ind in enumerate(rb.indicators) if ind.denominator == den_key and ind.zero_rule == "full"]
    if i is None:
        ok = np.flatnonzero((units.status[:, ks] == ZERO_DEN_FULL).all(axis=1))
        cands = _prefer_level(units, ok)
        if not len(cands):
            return None
        i = int(cands[np.argmax(b.total[cands])])
    s = rescore(units, i, petition_rows(units, i, den_key))
    rank_before, cohort = rank_in_cohort(b.total, b.level, i)
    rank_after, _ = rank_in_cohort(b.total, b.level, i, float(s.total[1]))
    ex = PetitionExample(
        unit=i,
        unit_name=units.name(i),
        denominator_key=den_key,
        denominator_vi=rb.input(den_key).name_vi,
        indicators=tuple(rb.indicators[k] for k in ks),
        total_before=float(s.total[0]),
        total_late=float(s.total[1]),
        total_good=float(s.total[2]),
        rank_before=rank_before,
        rank_after=rank_after,
        cohort=cohort,
        band_before=rb.band(float(s.total[0])),
        band_after=rb.band(float(s.total[1])),
        steps_vi=(),
    )
    return PetitionExample(**{**ex.__dict__, "steps_vi": _petition_steps(units, ex)})


def _petition_steps(units: Units, ex: PetitionExample) -> tuple[str, ...]:
    names = "; ".join(f"«{ind.name_vi}» ({fmt_max(ind.max)} điểm)" for ind in ex.indicators)
    full = fmt_max(ex.full_points)
    level = LEVEL_NAMES_VI[units.level(ex.unit)].lower()
    band = (
        f"xếp loại vẫn là {ex.band_before}"
        if ex.band_before == ex.band_after
        else f"xếp loại {ex.band_before} → {ex.band_after}"
    )
    return (
        f"{ex.unit_name} không có PAKN nào trong kỳ («{ex.denominator_vi}» = 0). "
        f"Mẫu số bằng 0 được tính đủ điểm, nên đơn vị nhận đủ {full} điểm ở: {names}.",
        f"PAKN đầu tiên bị xử lý quá hạn, người dân không hài lòng: tỷ lệ 0 ÷ 1 = 0%, "
        f"cả {len(ex.indicators)} chỉ tiêu còn 0 điểm.",
        f"Tổng điểm {fmt_points(ex.total_before)} → {fmt_points(ex.total_late)} (mất {fmt_points(ex.lost)} điểm); "
        f"{band}; xếp hạng trong nhóm {level}: "
        f"{ex.rank_before}/{ex.cohort} → {ex.rank_after}/{ex.cohort}.",
        f"Nếu PAKN đó được xử lý đúng hạn và người dân hài lòng: tỷ lệ 1 ÷ 1 = 100%, tổng điểm vẫn là "
        f"{fmt_points(ex.total_good)}. Bài học: không né tránh PAKN, mà xử lý đúng hạn ngay từ PAKN đầu tiên.",
    )
