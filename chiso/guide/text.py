"""The rulebook explained: every group and indicator in plain Vietnamese, and what changed between versions.

Everything here is read from a ``Rulebook`` (never typed twice), so the training guide cannot drift from
the engine: change a maximum or a threshold in the TOML file and the guide, the curves, the exercises and
the cheat sheet all follow.
"""
from __future__ import annotations

from dataclasses import dataclass

from chiso.fmt import fmt_number, fmt_percent
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS, Group, Indicator, Rulebook

COMMUNE = "commune"

POLICY_VI = {
    "computed": "Tính từ số liệu của chính đơn vị",
    "inherited": "Nhận nguyên giá trị của tỉnh",
    "full": "Luôn được đủ điểm",
    "zero": "Không được tính điểm",
}
POLICY_SHORT_VI = {
    "computed": "Tự tính",
    "inherited": "Theo tỉnh",
    "full": "Luôn đủ điểm",
    "zero": "Không tính",
}
CONFIDENCE_VI = {
    "verified": "Đã kiểm chứng với điểm công bố trên Cổng DVCQG",
    "documented": "Có trong tài liệu, chưa kiểm chứng bằng dữ liệu",
    "inferred": "Suy luận từ dữ liệu quan sát",
    "guess": "Phỏng đoán, chưa có căn cứ",
}
CONFIDENCE_SHORT_VI = {
    "verified": "Đã kiểm chứng",
    "documented": "Theo tài liệu",
    "inferred": "Suy luận",
    "guess": "Phỏng đoán",
}
ZERO_RULE_VI = {"zero": "0 điểm", "full": "đủ điểm"}
ROUNDING_VI = (
    "Điểm từng chỉ tiêu làm tròn 2 chữ số thập phân (số 5 làm tròn lên); "
    "điểm nhóm là tổng điểm chỉ tiêu đã làm tròn; tổng điểm là tổng điểm các nhóm."
)


def fmt_max(x: float) -> str:
    """Maxima as officials write them: 6, 2, 1,5."""
    return fmt_number(x, 2)


def curve_vi(ind: Indicator) -> str:
    """The curve in words: linear, or full marks from a threshold."""
    m = fmt_max(ind.max)
    if ind.curve == "threshold" and ind.threshold < 1.0:
        t = fmt_percent(ind.threshold, 2)
        return f"Đủ {m} điểm khi tỷ lệ đạt từ {t} trở lên; dưới {t}: điểm = {m} × tỷ lệ ÷ {t}."
    return f"Tuyến tính: điểm = {m} × tỷ lệ; đủ {m} điểm khi đạt 100%."


def formula_vi(ind: Indicator) -> str:
    """The formula in one line, for tables and the cheat sheet."""
    m = fmt_max(ind.max)
    if ind.curve == "threshold" and ind.threshold < 1.0:
        return f"{m} × min(1; tỷ lệ ÷ {fmt_percent(ind.threshold, 2)})"
    return f"{m} × tỷ lệ"


def zero_rule_vi(ind: Indicator) -> str:
    return f"Mẫu số bằng 0 (không phát sinh): {ZERO_RULE_VI[ind.zero_rule]}."


def threshold_short_vi(ind: Indicator) -> str:
    if ind.curve == "threshold" and ind.threshold < 1.0:
        return f"đủ điểm từ {fmt_percent(ind.threshold, 2)}"
    return "tuyến tính đến 100%"


def commune_vi(ind: Indicator) -> str:
    """Whether a commune/ward can move this indicator by its own work, and why not when it cannot."""
    policy = ind.policy[COMMUNE]
    if policy == "computed":
        return "Có: điểm tính từ số liệu của chính xã, phường."
    reasons = {
        "inherited": "Không: xã, phường nhận nguyên giá trị của tỉnh.",
        "full": "Không cần: xã, phường luôn được đủ điểm.",
        "zero": "Không: xã, phường không được tính điểm chỉ tiêu này.",
    }
    return reasons[policy]


@dataclass(frozen=True)
class IndicatorGuide:
    number: str  # "1.2": group position . indicator position
    indicator: Indicator
    numerator_vi: str
    denominator_vi: str
    curve_vi: str
    formula_vi: str
    zero_rule_vi: str
    levels: tuple[tuple[str, str, str], ...]  # (level name, policy key, policy in words)
    commune_movable: bool
    commune_vi: str
    confidence_vi: str

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def title_vi(self) -> str:
        return f"{self.number}. {self.indicator.name_vi} — {fmt_max(self.indicator.max)} điểm"


@dataclass(frozen=True)
class GroupGuide:
    number: int
    group: Group
    indicators: tuple[IndicatorGuide, ...]

    @property
    def title_vi(self) -> str:
        return f"{self.number}. {self.group.name_vi} — {fmt_max(self.group.max)} điểm"


def indicator_guide(rb: Rulebook, ind: Indicator, number: str) -> IndicatorGuide:
    levels = tuple((LEVEL_NAMES_VI[lvl], ind.policy[lvl], POLICY_VI[ind.policy[lvl]]) for lvl in LEVELS)
    return IndicatorGuide(
        number=number,
        indicator=ind,
        numerator_vi=rb.input(ind.numerator).name_vi,
        denominator_vi=rb.input(ind.denominator).name_vi,
        curve_vi=curve_vi(ind),
        formula_vi=formula_vi(ind),
        zero_rule_vi=zero_rule_vi(ind),
        levels=levels,
        commune_movable=ind.movable_at(COMMUNE),
        commune_vi=commune_vi(ind),
        confidence_vi=CONFIDENCE_VI[ind.confidence],
    )


def rulebook_guide(rb: Rulebook) -> list[GroupGuide]:
    """Every group, in rulebook order, with its indicators numbered the way the portal numbers them."""
    out = []
    for g_no, g in enumerate(rb.groups, start=1):
        inds = tuple(
            indicator_guide(rb, ind, f"{g_no}.{i_no}")
            for i_no, ind in enumerate(rb.indicators_of(g.code), start=1)
        )
        out.append(GroupGuide(g_no, g, inds))
    return out


def indicator_numbers(rb: Rulebook) -> dict[str, str]:
    """Indicator code → its number in the guide ("4.1")."""
    return {ig.code: ig.number for gg in rulebook_guide(rb) for ig in gg.indicators}


def commune_reachable_max(rb: Rulebook) -> float:
    """Points a commune can have at most: everything except what its level policy never scores."""
    return sum(i.max for i in rb.indicators if i.policy[COMMUNE] != "zero")


# ---------------------------------------------------------------- what changed between two versions


@dataclass(frozen=True)
class Change:
    """One difference between two rulebooks, said in Vietnamese."""

    kind: str  # group_added, group_removed, group_max, group_name, indicator_added, indicator_removed,
    # indicator_group, indicator_max, curve, zero_rule, policy, formula, confidence, indicator_name
    code: str  # group or indicator code
    text_vi: str


def diff_rulebooks(old: Rulebook, new: Rulebook) -> list[Change]:
    """What changes for a reader moving from ``old`` to ``new``: groups first, then indicators."""
    return _diff_groups(old, new) + _diff_indicators(old, new)


def _diff_groups(old: Rulebook, new: Rulebook) -> list[Change]:
    before = {g.code: g for g in old.groups}
    after = {g.code: g for g in new.groups}
    out: list[Change] = []
    for code, g in after.items():
        if code not in before:
            out.append(Change("group_added", code, f"Nhóm mới «{g.name_vi}»: {fmt_max(g.max)} điểm."))
            continue
        b = before[code]
        if b.max != g.max:
            out.append(
                Change("group_max", code, f"Nhóm «{g.name_vi}»: tối đa {fmt_max(b.max)} → {fmt_max(g.max)} điểm.")
            )
        if b.name_vi != g.name_vi:
            out.append(Change("group_name", code, f"Nhóm «{b.name_vi}» đổi tên thành «{g.name_vi}»."))
    for code, b in before.items():
        if code not in after:
            out.append(Change("group_removed", code, f"Bỏ nhóm «{b.name_vi}» ({fmt_max(b.max)} điểm)."))
    return out


def _diff_indicators(old: Rulebook, new: Rulebook) -> list[Change]:
    before = {i.code: i for i in old.indicators}
    out: list[Change] = []
    for ind in new.indicators:
        b = before.get(ind.code)
        if b is None:
            group = new.group(ind.group).name_vi
            out.append(
                Change(
                    "indicator_added",
                    ind.code,
                    f"Chỉ tiêu mới «{ind.name_vi}» (nhóm «{group}»): {fmt_max(ind.max)} điểm, {formula_vi(ind)}.",
                )
            )
            continue
        out.extend(_diff_indicator(old, new, b, ind))
    after = {i.code for i in new.indicators}
    for b in old.indicators:
        if b.code not in after:
            out.append(
                Change("indicator_removed", b.code, f"Bỏ chỉ tiêu «{b.name_vi}» ({fmt_max(b.max)} điểm).")
            )
    return out


def _diff_indicator(old: Rulebook, new: Rulebook, b: Indicator, a: Indicator) -> list[Change]:
    name = f"«{a.name_vi}»"
    out: list[Change] = []
    if b.name_vi != a.name_vi:
        out.append(Change("indicator_name", a.code, f"Chỉ tiêu «{b.name_vi}» đổi tên thành {name}."))
    if b.group != a.group:
        text = f"{name} chuyển từ nhóm «{old.group(b.group).name_vi}» sang nhóm «{new.group(a.group).name_vi}»."
        out.append(Change("indicator_group", a.code, text))
    if b.max != a.max:
        out.append(Change("indicator_max", a.code, f"{name}: tối đa {fmt_max(b.max)} → {fmt_max(a.max)} điểm."))
    if (b.curve, b.threshold) != (a.curve, a.threshold):
        out.append(Change("curve", a.code, f"{name}: {threshold_short_vi(b)} → {threshold_short_vi(a)}."))
    if b.zero_rule != a.zero_rule:
        text = f"{name}: mẫu số bằng 0 cho {ZERO_RULE_VI[b.zero_rule]} → {ZERO_RULE_VI[a.zero_rule]}."
        out.append(Change("zero_rule", a.code, text))
    for lvl in LEVELS:
        if b.policy[lvl] != a.policy[lvl]:
            text = (
                f"{name}, {LEVEL_NAMES_VI[lvl].lower()}: {POLICY_SHORT_VI[b.policy[lvl]].lower()} → "
                f"{POLICY_SHORT_VI[a.policy[lvl]].lower()}."
            )
            out.append(Change("policy", a.code, text))
    if (b.numerator, b.denominator) != (a.numerator, a.denominator):
        text = (
            f"{name}: công thức đổi số liệu, tử số «{new.input(a.numerator).name_vi}», "
            f"mẫu số «{new.input(a.denominator).name_vi}»."
        )
        out.append(Change("formula", a.code, text))
    if b.confidence != a.confidence:
        text = (
            f"{name}: độ tin cậy {CONFIDENCE_SHORT_VI[b.confidence].lower()} → "
            f"{CONFIDENCE_SHORT_VI[a.confidence].lower()}."
        )
        out.append(Change("confidence", a.code, text))
    return out


CHANGE_ORDER = (
    "group_added",
    "group_removed",
    "group_max",
    "group_name",
    "indicator_added",
    "indicator_removed",
    "indicator_group",
    "indicator_max",
    "curve",
    "zero_rule",
    "policy",
    "formula",
    "indicator_name",
    "confidence",
)
CHANGE_KIND_VI = {
    "group_added": "Nhóm mới",
    "group_removed": "Nhóm bị bỏ",
    "group_max": "Điểm tối đa của nhóm",
    "group_name": "Tên nhóm",
    "indicator_added": "Chỉ tiêu mới",
    "indicator_removed": "Chỉ tiêu bị bỏ",
    "indicator_group": "Chuyển nhóm",
    "indicator_max": "Điểm tối đa của chỉ tiêu",
    "curve": "Cách tính (ngưỡng)",
    "zero_rule": "Quy tắc mẫu số bằng 0",
    "policy": "Áp dụng theo cấp",
    "formula": "Tử số, mẫu số",
    "indicator_name": "Tên chỉ tiêu",
    "confidence": "Độ tin cậy",
}


def changes_by_kind(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped under a Vietnamese heading, scoring changes before naming and confidence."""
    out = []
    for kind in CHANGE_ORDER:
        items = [c for c in changes if c.kind == kind]
        if items:
            out.append((CHANGE_KIND_VI[kind], items))
    return out
