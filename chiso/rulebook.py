"""Rulebooks: one TOML file per version of the index, loaded, validated and compiled to arrays.

The file is data only: curve kinds, thresholds and rules are names and numbers; nothing is evaluated.
Compilation turns the indicators into numpy arrays so the engine never branches per row in Python.
Everything else that depends on the keys of a version is data too, so that no Python module names an
input or a lever: the words of report headers (``[[headers]]``), the count roles an importer needs
(``[counts]``), the policy presets (``[[presets]]``), the guide's example levers (``[examples]``) and the
days the version is in force (``valid_from`` / ``valid_until``, which let a period pick its rulebook).
Every table names its keys (``KNOWN_KEYS``): an unknown one is refused in Vietnamese, naming it.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from chiso.errors import Location, RulebookError

RULEBOOK_DIR = Path(__file__).parent / "rulebooks"
DEFAULT_RULEBOOK = "portal-2026"

LEVELS: tuple[str, ...] = ("province", "district", "department", "commune")
LEVEL_NAMES_VI = {
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "department": "Sở, ban, ngành",
    "commune": "Cấp xã",
}
CURVES = ("linear", "threshold")
ZERO_RULES = ("zero", "full")
POLICIES = ("computed", "inherited", "full", "zero")
CONFIDENCES = ("verified", "documented", "inferred", "guess")
TOTAL_MAX = 100.0
# Effort per step is a relative weight (the shipped levers use 1). The planner reads weights to 6 decimals
# (chiso.plan.model.effort_grid turns w × 10⁶ into an integer) and HiGHS treats a cost ≥ 10²⁰ as infinite:
# from 10⁻⁶ to 10⁶ every weight is exact on that grid and a plan of millions of steps still costs far below
# 10²⁰, while a ratio of 10¹² between two levers is more than any real comparison of effort needs.
MIN_EFFORT, MAX_EFFORT = 1e-6, 1e6


@dataclass(frozen=True)
class Input:
    """A raw count the index reads (a numerator or a denominator)."""

    key: str
    name_vi: str
    name_en: str
    portal: str = ""
    fallback: str | None = None


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    name_en: str
    max: float


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name_vi: str
    name_en: str
    max: float
    numerator: str
    denominator: str
    curve: str
    threshold: float
    zero_rule: str
    policy: dict[str, str]
    confidence: str
    source: str
    report_code: str
    note_vi: str = ""

    def movable_at(self, level: str) -> bool:
        """A unit at this level moves the indicator only when it is scored from its own counts."""
        return self.policy.get(level) == "computed"


@dataclass(frozen=True)
class Lever:
    """Something a unit can do; each step adds 1 to every count in ``moves``."""

    key: str
    name_vi: str
    unit_vi: str
    moves: tuple[str, ...]
    effort: float = 1.0
    note_vi: str = ""
    remaining_vi: str = ""  # what "denominator − count" is called, when users think in it (overdue dossiers)


@dataclass(frozen=True)
class Band:
    name_vi: str
    min: float


@dataclass(frozen=True)
class HeaderRule:
    """A report header that names a count (``[[headers]]``): words as written; the importer folds them."""

    count: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()  # one word of each list must appear
    none_of: tuple[str, ...] = ()
    rate: bool = False  # the column is a rate (%) of ``count``


@dataclass(frozen=True)
class PresetRule:
    """Bring ``lever``'s rate to at least ``min_rate`` for units at ``levels`` whose name contains a text."""

    lever: str
    min_rate: float  # fraction 0..1 of the lever's denominator
    levels: tuple[str, ...]
    name_contains: str = ""


@dataclass(frozen=True)
class Preset:
    """A named policy offered on the Chính sách page (``[[presets]]``)."""

    name_vi: str
    rules: tuple[PresetRule, ...]


@dataclass(frozen=True)
class ExampleLevers:
    """The levers the guide's worked examples are about (``[examples]``)."""

    loss: str  # why a unit lost points: the indicator this lever feeds (e-results on the portal)
    overdue: str  # the double cost of an overdue dossier: the lever that avoids them


@dataclass(frozen=True)
class CountRoles:
    """Counts an importer must know by what they mean, not by their key (``[counts]`` in the TOML)."""

    received: str  # all dossiers of the period: overdue dossiers are counted out of it, and it is required
    on_time: str  # dossiers handled on time: received − overdue when a report gives only the overdue ones


@dataclass(frozen=True)
class Rulebook:
    id: str
    name_vi: str
    name_en: str
    description_vi: str
    description_en: str
    observed: str
    inputs: tuple[Input, ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    levers: tuple[Lever, ...]
    bands: tuple[Band, ...]
    path: str = ""
    extends: str | None = None
    # OpenFisca-style: the first and last day (inclusive) on which this version scored; None = open-ended
    valid_from: date | None = None
    valid_until: date | None = None
    counts: CountRoles | None = None
    headers: tuple[HeaderRule, ...] = ()
    presets: tuple[Preset, ...] = ()
    examples: ExampleLevers | None = None

    # ---- lookups
    def input(self, key: str) -> Input:
        return {i.key: i for i in self.inputs}[key]

    def group(self, code: str) -> Group:
        return {g.code: g for g in self.groups}[code]

    def indicator(self, code: str) -> Indicator:
        return {i.code: i for i in self.indicators}[code]

    def lever(self, key: str) -> Lever:
        return {lv.key: lv for lv in self.levers}[key]

    @property
    def input_keys(self) -> list[str]:
        return [i.key for i in self.inputs]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]

    def indicators_of(self, group: str) -> list[Indicator]:
        return [i for i in self.indicators if i.group == group]

    def band(self, total: float) -> str:
        for b in self.bands:
            if total >= b.min - 1e-9:
                return b.name_vi
        return self.bands[-1].name_vi if self.bands else ""

    def indicators_fed_by(self, input_key: str) -> list[Indicator]:
        """Indicators whose numerator is this count (what a lever on it moves)."""
        return [i for i in self.indicators if i.numerator == input_key]

    @cached_property
    def compiled(self) -> "Compiled":
        return Compiled.build(self)


@dataclass(frozen=True)
class Compiled:
    """The rulebook as arrays, indexed by indicator (K), group (G), input (I) and level (L)."""

    max: np.ndarray  # (K,)
    threshold: np.ndarray  # (K,) 1.0 for linear curves
    zero_full: np.ndarray  # (K,) bool: denominator 0 gives full points
    num_idx: np.ndarray  # (K,) index into inputs
    den_idx: np.ndarray  # (K,) index into inputs
    group_idx: np.ndarray  # (K,) index into groups
    policy: np.ndarray  # (L, K) index into POLICIES
    zero_points: np.ndarray  # (K,) points when the denominator is 0
    override: np.ndarray  # (L, K) points fixed by the level policy, NaN where the counts decide
    override_columns: tuple[int, ...]  # indicators with a fixed value at some level
    group_onehot: np.ndarray  # (K, G)
    fallback_pairs: tuple[tuple[int, int], ...]  # (input, fallback input), resolution order

    @staticmethod
    def build(rb: Rulebook) -> "Compiled":
        keys = rb.input_keys
        pos = {k: n for n, k in enumerate(keys)}
        gpos = {g.code: n for n, g in enumerate(rb.groups)}
        inds = rb.indicators
        group_idx = np.array([gpos[i.group] for i in inds], dtype=np.int64)
        onehot = np.zeros((len(inds), len(rb.groups)))
        onehot[np.arange(len(inds)), group_idx] = 1.0
        policy = np.array(
            [[POLICIES.index(i.policy[lvl]) for i in inds] for lvl in LEVELS], dtype=np.int8
        )
        maxima = np.array([i.max for i in inds], dtype=float)
        override = np.where(policy == POLICIES.index("full"), maxima, np.nan)
        override = np.where(policy == POLICIES.index("zero"), 0.0, override)
        return Compiled(
            max=maxima,
            threshold=np.array([i.threshold for i in inds], dtype=float),
            zero_full=np.array([i.zero_rule == "full" for i in inds]),
            num_idx=np.array([pos[i.numerator] for i in inds], dtype=np.int64),
            den_idx=np.array([pos[i.denominator] for i in inds], dtype=np.int64),
            group_idx=group_idx,
            policy=policy,
            zero_points=np.where([i.zero_rule == "full" for i in inds], maxima, 0.0),
            override=override,
            override_columns=tuple(int(k) for k in np.flatnonzero(~np.isnan(override).all(axis=0))),
            group_onehot=onehot,
            fallback_pairs=tuple(
                (pos[k], pos[f]) for k, f in _fallback_order(rb.inputs)
            ),
        )


def effort_problem(value: float) -> str | None:
    """Why ``value`` cannot be an effort per step (None when it can); the caller names the field."""
    if math.isfinite(value) and MIN_EFFORT <= value <= MAX_EFFORT:
        return None
    shown = f"{value:g}".replace(".", ",")
    return f"phải là số từ 0,000001 đến 1.000.000, đang là «{shown}»"


def _fallback_order(inputs: tuple[Input, ...]) -> list[tuple[str, str]]:
    """Fallback pairs ordered so that a count is resolved after the count it falls back to."""
    by_key = {i.key: i for i in inputs}
    done: set[str] = set()
    order: list[tuple[str, str]] = []

    def visit(key: str) -> None:
        inp = by_key[key]
        if key in done or inp.fallback is None:
            done.add(key)
            return
        visit(inp.fallback)
        order.append((key, inp.fallback))
        done.add(key)

    for inp in inputs:
        visit(inp.key)
    return order


# ---------------------------------------------------------------- which rulebook a period is scored by

_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")  # 2026, 2026-Q3, 2023-02


def period_start(period: str) -> date | None:
    """The first day of a period written 2023-02 (month), 2026-Q3 (quarter) or 2026 (year); None otherwise."""
    m = _PERIOD.match(str(period).strip().upper())
    if not m:
        return None
    month = int(m[3]) if m[3] else (3 * int(m[2]) - 2 if m[2] else 1)
    return date(int(m[1]), month, 1)


def rulebook_for_period(period: str) -> str:
    """Id of the shipped rulebook in force on the first day of ``period`` (its valid_from … valid_until).

    As in OpenFisca, a period takes the rules in force at its start. A period before every rulebook gets
    the oldest one (the index began in 2022: nothing older exists); an empty or unreadable period gets
    ``DEFAULT_RULEBOOK``, the portal's current rules."""
    start = period_start(period)
    if start is None:
        return DEFAULT_RULEBOOK
    dated = [rb for rb in map(load_rulebook, available_rulebooks()) if rb.valid_from or rb.valid_until]
    in_force = [rb for rb in dated if (rb.valid_from or date.min) <= start <= (rb.valid_until or date.max)]
    if in_force:
        return max(in_force, key=lambda rb: rb.valid_from or date.min).id
    oldest = min(dated, key=lambda rb: rb.valid_from or date.min, default=None)
    if oldest is not None and oldest.valid_from and start < oldest.valid_from:
        return oldest.id
    return DEFAULT_RULEBOOK


def rulebook_for_periods(periods: list[str]) -> str:
    """The one rulebook of every period of a file; refused when its periods fall under different versions
    (a file mixing 2023-02 and 2026-Q3 cannot be scored by one rulebook without a choice by the user)."""
    first: dict[str, str] = {}  # rulebook id → the first period that picks it (one example each)
    for p in sorted(str(p).strip() for p in periods):
        if p:
            first.setdefault(rulebook_for_period(p), p)
    ids = sorted(first)
    if len(ids) > 1:
        which = "; ".join(f"kỳ {p[:40]} → {r}" for r, p in sorted(first.items(), key=lambda item: item[1]))
        raise RulebookError(f"Các kỳ trong số liệu thuộc nhiều bộ quy tắc khác nhau ({which}). "
                            "Hãy tách theo kỳ hoặc chọn một bộ quy tắc.")
    return ids[0] if ids else DEFAULT_RULEBOOK


# ---------------------------------------------------------------- loading and validation


def available_rulebooks() -> list[str]:
    """Ids of the rulebooks shipped with the package, newest first."""
    return sorted((p.stem for p in RULEBOOK_DIR.glob("*.toml")), reverse=True)


@lru_cache(maxsize=16)
def load_rulebook(name_or_path: str = DEFAULT_RULEBOOK) -> Rulebook:
    """Load a shipped rulebook by id (``portal-2026``) or any rulebook file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = RULEBOOK_DIR / f"{name_or_path}.toml"
        if not path.exists():
            known = ", ".join(available_rulebooks())
            raise RulebookError(f"Không có bộ quy tắc «{name_or_path}». Các bộ có sẵn: {known}.")
    return _load_file(path)


def _load_file(path: Path, chain: tuple[Path, ...] = ()) -> Rulebook:
    """``chain``: the files whose ``extends`` led here, to refuse a cycle instead of recursing forever."""
    loc = Location(file=path.name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulebookError("Không tìm thấy tệp bộ quy tắc.", loc) from None
    except UnicodeDecodeError:
        raise RulebookError("Tệp bộ quy tắc không phải văn bản UTF-8.", loc) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(f"Tệp bộ quy tắc sai cú pháp TOML ({exc}).", loc) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise RulebookError(
            "Tệp bộ quy tắc lồng nhau quá sâu (mảng hoặc bảng lồng trong nhau hàng trăm cấp); "
            "không phải bộ quy tắc hợp lệ.",
            loc,
        ) from None
    return parse_rulebook(raw, path, chain)


# Every key a rulebook may hold, by table: an unknown one (a typo such as «thresold») is refused, never
# ignored, since an ignored key silently scores with the default instead of what the author wrote.
KNOWN_KEYS: dict[str, frozenset[str]] = {
    "": frozenset({"rulebook", "bands", "inputs", "groups", "indicators", "levers", "counts", "headers",
                   "presets", "examples"}),
    "rulebook": frozenset({"id", "name_vi", "name_en", "description_vi", "description_en", "observed", "extends",
                           "valid_from", "valid_until"}),
    "bands": frozenset({"name_vi", "min"}),
    "inputs": frozenset({"key", "name_vi", "name_en", "portal", "fallback"}),
    "groups": frozenset({"code", "name_vi", "name_en", "max"}),
    "indicators": frozenset({"code", "group", "name_vi", "name_en", "max", "numerator", "denominator", "curve",
                             "threshold", "zero_rule", "policy", "confidence", "source", "report_code", "note_vi"}),
    "indicators.policy": frozenset(LEVELS),
    "levers": frozenset({"key", "name_vi", "unit_vi", "moves", "effort", "note_vi", "remaining_vi"}),
    "counts": frozenset({"received", "on_time"}),
    "headers": frozenset({"all", "any", "none", "count", "rate"}),
    "presets": frozenset({"name_vi", "rules"}),
    "presets.rules": frozenset({"lever", "min_rate", "levels", "name_contains"}),
    "examples": frozenset({"loss", "overdue"}),
}
# Keys that rulebooks once held, with what to do instead. ``rounding`` (always "half_up_2") was read by
# nobody: rounding each indicator's points half-up to 2 decimals is the portal's one rule, built into the
# engine, the planner's integer model (hundredths) and the live bar, so a rulebook cannot choose another.
RETIRED_KEYS = {
    "rounding": "chiso luôn làm tròn điểm từng chỉ tiêu đến 2 chữ số thập phân (làm tròn lên khi ở giữa) như "
                "Cổng DVCQG, không theo bộ quy tắc; hãy xóa dòng này",
}


def _check_known_keys(v: "_Validator", raw: dict) -> None:
    def check(table: dict, allowed: frozenset[str], where: str) -> None:
        unknown = sorted(k for k in table if k not in allowed)
        if unknown:
            why = RETIRED_KEYS.get(unknown[0]) or f"các khóa dùng được: {', '.join(sorted(allowed))}"
            v.fail(f"{where}: khóa «{unknown[0]}» không có trong bộ quy tắc ({why}).")

    check(raw, KNOWN_KEYS[""], "Tệp bộ quy tắc")
    for name in ("rulebook", "counts", "examples"):
        if isinstance(raw.get(name), dict):
            check(raw[name], KNOWN_KEYS[name], f"[{name}]")
    for name in ("bands", "inputs", "groups", "indicators", "levers", "headers", "presets"):
        for n, d in enumerate(_tables(raw.get(name)), start=1):
            check(d, KNOWN_KEYS[name], f"[[{name}]] số {n}")
            if name == "indicators" and isinstance(d.get("policy"), dict):
                check(d["policy"], KNOWN_KEYS["indicators.policy"], f"[[indicators]] số {n}, policy")
            for m, rule in enumerate(_tables(d.get("rules")) if name == "presets" else [], start=1):
                check(rule, KNOWN_KEYS["presets.rules"], f"[[presets]] số {n}, quy tắc số {m}")


def _tables(value: object) -> list[dict]:
    """The tables of an array of tables (what is not a table is refused later, by the parser)."""
    return [d for d in value if isinstance(d, dict)] if isinstance(value, list) else []


def parse_rulebook(raw: dict, path: Path, chain: tuple[Path, ...] = ()) -> Rulebook:
    """Validate a parsed TOML document and build the Rulebook; errors name the file and field."""
    v = _Validator(path.name)
    head = v.table(raw, "rulebook", "[rulebook]")
    _check_known_keys(v, raw)
    base = _load_base(v, head, path, chain)
    inputs = _parse_inputs(v, raw, base)
    keys = {i.key for i in inputs}
    groups = _parse_groups(v, raw, base)
    tables = _indicator_tables(v, raw, base, [g.code for g in groups])
    indicators = tuple(_parse_indicator(v, d, n, keys) for n, d in enumerate(tables, start=1))
    levers = _parse_levers(v, raw, base, keys)
    bands = (
        tuple(
            Band(v.text(b, "name_vi", "[[bands]]"), v.number(b, "min", "[[bands]]"))
            for b in raw["bands"]
        )
        if "bands" in raw
        else (base.bands if base else ())
    )
    rb = Rulebook(
        id=v.text(head, "id", "[rulebook]"),
        name_vi=v.text(head, "name_vi", "[rulebook]"),
        name_en=v.text(head, "name_en", "[rulebook]"),
        description_vi=str(head.get("description_vi", "")),
        description_en=str(head.get("description_en", "")),
        observed=str(head.get("observed", "")),
        inputs=inputs,
        groups=groups,
        indicators=indicators,
        levers=levers,
        bands=tuple(sorted(bands, key=lambda b: -b.min)),
        path=str(path),
        extends=head.get("extends"),
        valid_from=_date(v, head, "valid_from"),
        valid_until=_date(v, head, "valid_until"),
        counts=_parse_counts(v, raw, base, keys),
        headers=_parse_headers(v, raw, base, keys, {i.numerator for i in indicators}),
        presets=_parse_presets(v, raw, base, {lv.key for lv in levers}),
        examples=_parse_examples(v, raw, base, {lv.key for lv in levers}),
    )
    _check_structure(v, rb)
    if rb.valid_from and rb.valid_until and rb.valid_until < rb.valid_from:
        v.fail(f"[rulebook]: valid_until ({rb.valid_until:%d/%m/%Y}) trước valid_from ({rb.valid_from:%d/%m/%Y}).")
    return rb


def _date(v: "_Validator", head: dict, key: str) -> date | None:
    """A TOML date (``valid_from = 2022-06-23``, unquoted); a date-time or a text is refused."""
    val = head.get(key)
    if val is not None and (not isinstance(val, date) or hasattr(val, "hour")):
        v.fail(f"[rulebook]: «{key}» phải là một ngày TOML không có dấu ngoặc kép, ví dụ 2022-06-23; đang là {val!r}.")
    return val


def _load_base(v: "_Validator", head: dict, path: Path, chain: tuple[Path, ...]) -> Rulebook | None:
    """The rulebook named by ``extends``: a file next to this one, else the shipped rulebook of that id
    (so a rulebook of one's own can extend ``portal-2026`` from any folder); a cycle is refused."""
    if not head.get("extends"):
        return None
    name = v.text(head, "extends", "[rulebook]")
    base_path = path.parent / f"{name}.toml"
    if not base_path.exists() and name in available_rulebooks():
        base_path = RULEBOOK_DIR / f"{name}.toml"
    seen = (*chain, path.resolve())
    if base_path.resolve() in seen:
        loop = (*seen[seen.index(base_path.resolve()):], base_path)
        v.fail(f"Bộ quy tắc kế thừa (extends) vòng tròn: {' → '.join(f'«{p.stem}»' for p in loop)}.")
    return _load_file(base_path, seen)


def _parse_counts(v: "_Validator", raw: dict, base: Rulebook | None, keys: set[str]) -> CountRoles | None:
    """``[counts]``: which input is the total of dossiers and which the on-time ones (optional: without
    it, a report's overdue column cannot be turned into on-time dossiers and is set aside)."""
    if "counts" not in raw:
        return base.counts if base else None
    table = v.table(raw, "counts", "[counts]")
    roles = {}
    for role in ("received", "on_time"):
        roles[role] = v.text(table, role, "[counts]")
        if roles[role] not in keys:
            v.fail(f"[counts]: {role} «{roles[role]}» không phải số liệu đã khai báo trong [[inputs]].")
    return CountRoles(**roles)


def _parse_headers(
    v: "_Validator", raw: dict, base: Rulebook | None, keys: set[str], numerators: set[str]
) -> tuple[HeaderRule, ...]:
    """``[[headers]]``: the words of a report header naming a count (the base's when the file has none)."""
    if "headers" not in raw:
        return base.headers if base else ()
    rules = []
    for n, d in enumerate(v.array(raw, "headers"), start=1):
        where = f"[[headers]] số {n}"
        count = v.text(d, "count", where)
        rate = d.get("rate", False)
        if not isinstance(rate, bool):
            v.fail(f"{where}: «rate» phải là true hoặc false, đang là {rate!r}.")
        if count not in (numerators if rate else keys):
            what = "tử số của chỉ tiêu nào (tỷ lệ cần mẫu số)" if rate else "số liệu đã khai báo trong [[inputs]]"
            v.fail(f"{where}: count «{count}» không phải {what}.")
        any_of = d.get("any", [])
        if not isinstance(any_of, list):
            v.fail(f"{where}: «any» phải là danh sách các danh sách từ, đang là {any_of!r}.")
        rule = HeaderRule(count, v.words(d, "all", where), tuple(v.words({"any": g}, "any", where) for g in any_of),
                          v.words(d, "none", where), rate)
        if not rule.all_of and not any(rule.any_of):
            v.fail(f"{where}: cần ít nhất một từ trong «all» hoặc «any» (một quy tắc không có từ nào khớp mọi cột).")
        rules.append(rule)
    return tuple(rules)


def _parse_examples(v: "_Validator", raw: dict, base: Rulebook | None, lever_keys: set[str]) -> ExampleLevers | None:
    """``[examples]``: the levers of the guide's worked examples (without it, those examples are not shown)."""
    if "examples" not in raw:
        return base.examples if base else None
    table = v.table(raw, "examples", "[examples]")
    levers = {role: v.text(table, role, "[examples]") for role in ("loss", "overdue")}
    for role, key in levers.items():
        if key not in lever_keys:
            v.fail(f"[examples]: {role} «{key}» không có trong [[levers]].")
    return ExampleLevers(**levers)


def _parse_presets(v: "_Validator", raw: dict, base: Rulebook | None, lever_keys: set[str]) -> tuple[Preset, ...]:
    """``[[presets]]``: named policies, each a list of rules over this rulebook's levers."""
    if "presets" not in raw:
        return base.presets if base else ()
    presets = []
    for n, d in enumerate(v.array(raw, "presets"), start=1):
        name = v.text(d, "name_vi", f"[[presets]] số {n}")
        where = f"[[presets]] «{name}»"
        rules = d.get("rules")
        if not isinstance(rules, list) or not rules or not all(isinstance(r, dict) for r in rules):
            v.fail(f"{where}: «rules» phải là danh sách quy tắc (ít nhất một), đang là {rules!r}.")
        presets.append(Preset(name, tuple(_parse_preset_rule(v, r, where, lever_keys) for r in rules)))
    v.unique([p.name_vi for p in presets], "[[presets]] name_vi")
    return tuple(presets)


def _parse_preset_rule(v: "_Validator", d: dict, where: str, lever_keys: set[str]) -> PresetRule:
    lever = v.text(d, "lever", where)
    if lever not in lever_keys:
        v.fail(f"{where}: lever «{lever}» không có trong [[levers]].")
    rate = v.number(d, "min_rate", where)
    if not 0.0 <= rate <= 1.0:
        v.fail(f"{where}: min_rate phải trong khoảng [0, 1] (tỷ lệ, 0,8 = 80%), đang là {rate:g}.")
    levels = v.words(d, "levels", where)
    if not levels or any(lvl not in LEVELS for lvl in levels):
        v.fail(f"{where}: levels phải là danh sách cấp trong {', '.join(LEVELS)}, đang là {list(levels)!r}.")
    name = d.get("name_contains", "")
    if not isinstance(name, str):
        v.fail(f"{where}: «name_contains» phải là chuỗi ký tự, đang là {name!r}.")
    return PresetRule(lever, rate, levels, name)


def _parse_groups(v: "_Validator", raw: dict, base: Rulebook | None) -> tuple[Group, ...]:
    """This file's groups (the whole list: a version regroups), or the base's when it lists none."""
    if "groups" not in raw and base is not None:
        return base.groups
    return tuple(
        Group(
            code=v.text(g, "code", f"[[groups]] số {n}"),
            name_vi=v.text(g, "name_vi", f"[[groups]] số {n}"),
            name_en=v.text(g, "name_en", f"[[groups]] số {n}"),
            max=v.number(g, "max", f"[[groups]] số {n}"),
        )
        for n, g in enumerate(v.array(raw, "groups"), start=1)
    )


def _indicator_tables(v: "_Validator", raw: dict, base: Rulebook | None, group_order: list[str]) -> list[dict]:
    """The indicator tables to parse: this file's, or, under ``extends``, the base's with this file's
    entries laid over them key by key (an entry names its ``code``; a code the base lacks is a new
    indicator). Indicators are then ordered by their group, keeping the base's order inside a group, so
    that an indicator moved to another group sits where a reader of that group expects it."""
    if base is None:
        return v.array(raw, "indicators")
    entries = raw.get("indicators", [])
    if not isinstance(entries, list) or not all(isinstance(d, dict) for d in entries):
        v.fail("[[indicators]] phải là danh sách các bảng.")
    codes = [v.text(d, "code", f"[[indicators]] số {n}") for n, d in enumerate(entries, start=1)]
    v.unique(codes, "[[indicators]] code")
    tables = {ind.code: _indicator_table(ind) for ind in base.indicators}
    for code, d in zip(codes, entries):
        tables[code] = {**tables.get(code, {}), **d}
    rank = {g: n for n, g in enumerate(group_order)}
    return sorted(tables.values(), key=lambda d: rank.get(d.get("group"), len(rank)))


def _indicator_table(ind: Indicator) -> dict:
    """An indicator as the TOML table it was read from (the base of an ``extends`` override)."""
    table = {
        "code": ind.code, "group": ind.group, "name_vi": ind.name_vi, "name_en": ind.name_en, "max": ind.max,
        "numerator": ind.numerator, "denominator": ind.denominator, "curve": ind.curve,
        "zero_rule": ind.zero_rule, "policy": dict(ind.policy), "confidence": ind.confidence,
        "source": ind.source, "report_code": ind.report_code, "note_vi": ind.note_vi,
    }
    if ind.curve == "threshold":
        table["threshold"] = ind.threshold
    return table


def _parse_inputs(v: "_Validator", raw: dict, base: Rulebook | None) -> tuple[Input, ...]:
    if "inputs" not in raw and base is not None:
        return base.inputs
    inputs = []
    for n, d in enumerate(v.array(raw, "inputs"), start=1):
        where = f"[[inputs]] số {n}"
        inputs.append(
            Input(
                key=v.text(d, "key", where),
                name_vi=v.text(d, "name_vi", where),
                name_en=v.text(d, "name_en", where),
                portal=str(d.get("portal", "")),
                fallback=d.get("fallback"),
            )
        )
    keys = [i.key for i in inputs]
    v.unique(keys, "[[inputs]] key")
    for inp in inputs:
        if inp.fallback is not None and inp.fallback not in keys:
            v.fail(f"[[inputs]] «{inp.key}»: fallback «{inp.fallback}» không phải số liệu đã khai báo.")
    _check_fallback_cycles(v, inputs)
    return tuple(inputs)


def _check_fallback_cycles(v: "_Validator", inputs: list[Input]) -> None:
    by_key = {i.key: i for i in inputs}
    for inp in inputs:
        seen = {inp.key}
        cur = inp.fallback
        while cur is not None:
            if cur in seen:
                v.fail(f"[[inputs]] «{inp.key}»: fallback tạo vòng lặp.")
            seen.add(cur)
            cur = by_key[cur].fallback


def _parse_indicator(v: "_Validator", d: dict, n: int, keys: set[str]) -> Indicator:
    where = f"[[indicators]] số {n}"
    code = v.text(d, "code", where)
    where = f"[[indicators]] «{code}»"
    curve = v.choice(d, "curve", CURVES, where)
    threshold = 1.0
    if curve == "threshold":
        threshold = v.number(d, "threshold", where)
        if not 0 < threshold <= 1:
            v.fail(f"{where}: threshold phải trong khoảng (0, 1], đang là {threshold}.")
    policy = d.get("policy")
    if not isinstance(policy, dict):
        v.fail(f"{where}: thiếu bảng policy cho các cấp {', '.join(LEVELS)}.")
    for lvl in LEVELS:
        if policy.get(lvl) not in POLICIES:
            v.fail(
                f"{where}: policy.{lvl} phải là một trong {', '.join(POLICIES)}, "
                f"đang là «{policy.get(lvl)}»."
            )
    for part in ("numerator", "denominator"):
        if d.get(part) not in keys:
            v.fail(f"{where}: {part} «{d.get(part)}» không phải số liệu đã khai báo trong [[inputs]].")
    return Indicator(
        code=code,
        group=v.text(d, "group", where),
        name_vi=v.text(d, "name_vi", where),
        name_en=v.text(d, "name_en", where),
        max=v.number(d, "max", where),
        numerator=d["numerator"],
        denominator=d["denominator"],
        curve=curve,
        threshold=threshold,
        zero_rule=v.choice(d, "zero_rule", ZERO_RULES, where),
        policy={lvl: policy[lvl] for lvl in LEVELS},
        confidence=v.choice(d, "confidence", CONFIDENCES, where),
        source=str(d.get("source", "")),
        report_code=str(d.get("report_code") or code),
        note_vi=str(d.get("note_vi", "")),
    )


def _parse_levers(
    v: "_Validator", raw: dict, base: Rulebook | None, keys: set[str]
) -> tuple[Lever, ...]:
    if "levers" not in raw and base is not None:
        return base.levers
    levers = []
    for n, d in enumerate(raw.get("levers", []), start=1):
        where = f"[[levers]] số {n}"
        moves = d.get("moves")
        if not isinstance(moves, list) or not moves or any(m not in keys for m in moves):
            v.fail(f"{where}: moves phải là danh sách số liệu đã khai báo, đang là {moves!r}.")
        effort = v.number(d, "effort", where) if "effort" in d else 1.0
        problem = effort_problem(effort)
        if problem:
            v.fail(f"{where}: công sức mỗi bước («effort») {problem}.")
        levers.append(
            Lever(
                key=v.text(d, "key", where),
                name_vi=v.text(d, "name_vi", where),
                unit_vi=v.text(d, "unit_vi", where),
                moves=tuple(moves),
                effort=effort,
                note_vi=str(d.get("note_vi", "")),
                remaining_vi=str(d.get("remaining_vi", "")),
            )
        )
    v.unique([lv.key for lv in levers], "[[levers]] key")
    return tuple(levers)


def _check_structure(v: "_Validator", rb: Rulebook) -> None:
    """Whole-book rules: unique codes, every indicator in a group, maxima adding up."""
    v.unique([g.code for g in rb.groups], "[[groups]] code")
    v.unique([i.code for i in rb.indicators], "[[indicators]] code")
    if not rb.groups or not rb.indicators:
        v.fail("Bộ quy tắc phải có ít nhất một nhóm và một chỉ tiêu.")
    gcodes = {g.code for g in rb.groups}
    for ind in rb.indicators:
        if ind.group not in gcodes:
            v.fail(f"[[indicators]] «{ind.code}»: nhóm «{ind.group}» không có trong [[groups]].")
        if ind.max < 0:
            v.fail(f"[[indicators]] «{ind.code}»: max không được âm.")
    total = sum(g.max for g in rb.groups)
    if abs(total - TOTAL_MAX) > 1e-9:
        v.fail(f"Tổng điểm tối đa của các nhóm là {total:g}, phải bằng {TOTAL_MAX:g}.")
    for g in rb.groups:
        s = sum(i.max for i in rb.indicators if i.group == g.code)
        if abs(s - g.max) > 1e-9:
            v.fail(f"Nhóm «{g.code}»: tổng điểm các chỉ tiêu là {s:g}, khác điểm tối đa của nhóm {g.max:g}.")
    numerators = {i.numerator for i in rb.indicators}
    for lv in rb.levers:
        for m in lv.moves:
            if m not in numerators:
                v.fail(f"[[levers]] «{lv.key}»: «{m}» không là tử số của chỉ tiêu nào.")


class _Validator:
    """Small helpers that raise RulebookError with the file name and the offending field."""

    def __init__(self, filename: str):
        self.loc = Location(file=filename)

    def fail(self, message: str) -> None:
        raise RulebookError(message, self.loc)

    def table(self, raw: dict, key: str, where: str) -> dict:
        val = raw.get(key)
        if not isinstance(val, dict):
            self.fail(f"Thiếu bảng {where}.")
        return val

    def array(self, raw: dict, key: str) -> list[dict]:
        val = raw.get(key)
        if not isinstance(val, list) or not all(isinstance(x, dict) for x in val):
            self.fail(f"Thiếu danh sách [[{key}]].")
        return val

    def text(self, d: dict, key: str, where: str) -> str:
        val = d.get(key)
        if not isinstance(val, str) or not val.strip():
            self.fail(f"{where}: thiếu trường «{key}» (chuỗi ký tự).")
        return val

    def number(self, d: dict, key: str, where: str) -> float:
        val = d.get(key)
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            self.fail(f"{where}: trường «{key}» phải là số, đang là {val!r}.")
        if not math.isfinite(val):  # TOML allows nan and inf; no maximum, threshold or band is either
            self.fail(f"{where}: trường «{key}» phải là số hữu hạn, đang là {val!r}.")
        return float(val)

    def choice(self, d: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
        val = d.get(key)
        if val not in allowed:
            self.fail(f"{where}: «{key}» phải là một trong {', '.join(allowed)}, đang là {val!r}.")
        return val

    def words(self, d: dict, key: str, where: str) -> tuple[str, ...]:
        """A list of non-empty words (absent: none)."""
        val = d.get(key, [])
        if not isinstance(val, list) or not all(isinstance(w, str) and w.strip() for w in val):
            self.fail(f"{where}: «{key}» phải là danh sách từ (chuỗi ký tự không rỗng), đang là {val!r}.")
        return tuple(val)

    def unique(self, values: list[str], what: str) -> None:
        seen: set[str] = set()
        for x in values:
            if x in seen:
                self.fail(f"{what} «{x}» bị trùng.")
            seen.add(x)
