"""Hand edits of raw counts: revisions layered over the imported values, never overwriting them.

A ``Revision`` says that one count (``key``, a rulebook input) of one unit changed from ``old`` to
``new`` (``None`` = missing), when and by whom. The workspace stores revisions in order; the table a
user sees is the imported table with its revisions applied, and the provenance of an edited count
becomes ``ENTERED``. Undo removes the last revision.

Typed cells are validated as strictly as the importers (``chiso.io.tabular``): counts whole and
non-negative, numerator ≤ denominator against the unit's other values, official total within 0–100,
known unit and key. One bad cell refuses the whole batch (``EditError`` lists every problem).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from chiso.engine import input_matrix
from chiso.errors import DataError, Location
from chiso.fmt import fmt_number, parse_vn_number
from chiso.rulebook import TOTAL_MAX, Rulebook
from chiso.units import PUBLISHED_TOTAL, UnitTable

ENTERED = "entered"  # provenance of a count typed in the app (beside given / derived / assumed / inherited)
ENTERED_VI = "nhập tay"


@dataclass(frozen=True)
class Revision:
    unit_code: str
    key: str  # a rulebook input key, e.g. "copies_total"
    old: float | None  # the value before this revision (None = missing)
    new: float | None  # the value after it (None = cleared)
    at: datetime  # when, timezone-aware UTC
    author: str = ""  # optional name typed by the user


# ---------------------------------------------------------------- validation: as strict as the importers

MAX_COUNT = 1e12  # beyond any real count: a typo (or a pasted phone number), not a dossier count
EDITABLE_SCORE = PUBLISHED_TOTAL  # besides the rulebook's counts, the official total may be corrected


class _Unseen:
    def __repr__(self) -> str:
        return "UNSEEN"


UNSEEN = _Unseen()  # an edit from a script that did not look first: its base is the value in the table


@dataclass(frozen=True)
class Edit:
    """One cell the user typed: ``value`` None clears the count (back to "not in the data").

    ``base`` is the value the user saw in that cell when they typed (None = empty): the workspace refuses
    the save if the cell holds anything else by then, so nobody overwrites a number they never saw."""

    unit_code: str
    key: str
    value: float | str | None
    base: float | str | None | _Unseen = UNSEEN


class EditError(DataError):
    """One or more typed cells are invalid; ``problems`` lists every one (nothing was applied)."""

    def __init__(self, problems: list[str]):
        shown = problems[:8] + ([f"… và {len(problems) - 8} lỗi khác."] if len(problems) > 8 else [])
        super().__init__("Chưa lưu thay đổi nào, vì: " + " ".join(shown), Location())
        self.problems = problems


def editable_keys(rb: Rulebook) -> list[str]:
    return [*rb.input_keys, EDITABLE_SCORE]


def key_name_vi(rb: Rulebook, key: str) -> str:
    return "Tổng điểm chính thức" if key == EDITABLE_SCORE else rb.input(key).name_vi


def _unit_label(frame: pd.DataFrame, code: str) -> str:
    names = frame.loc[frame["unit_code"] == code, "unit_name"]
    return f"{names.iloc[0]} ({code})" if len(names) else f"«{code}»"


def _rows_by_code(frame: pd.DataFrame) -> dict[str, int]:
    """Unit code → its first row: one pass, where a lookup per typed cell cost seconds on a big paste."""
    out: dict[str, int] = {}
    for i, code in enumerate(frame["unit_code"].astype(str)):
        out.setdefault(code, i)
    return out


def _number(value: float | str | None) -> float | None:
    """A typed cell as a float (Vietnamese 1.234,5 accepted), None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or (isinstance(value, str) and value.strip().endswith("%")):
        raise ValueError(value)  # neither a count nor a total of points is a percentage
    x = parse_vn_number(value) if isinstance(value, str) else float(value)
    if math.isnan(x):
        return None
    return x


def _cell_problem(rb: Rulebook, key: str, x: float) -> str:
    """Why one value cannot be stored ("" when it can)."""
    if not math.isfinite(x):
        return "không phải số hữu hạn."
    if key == EDITABLE_SCORE:
        return "" if 0 <= x <= TOTAL_MAX else f"tổng điểm phải trong khoảng 0–{fmt_number(TOTAL_MAX)}."
    if x < 0:
        return "số lượng không được âm."
    if x != math.floor(x):
        return "số lượng phải là số nguyên (số hồ sơ, bản sao, thủ tục…)."
    if x > MAX_COUNT:
        return "số quá lớn, hãy kiểm tra lại."
    return ""


def _checked_values(table: UnitTable, rb: Rulebook, edits: list[Edit]) -> tuple[dict, list[str]]:
    """{(unit, key): value} of the valid cells and the problems of the others."""
    codes = set(table.frame["unit_code"].astype(str))
    keys = set(editable_keys(rb))
    values: dict[tuple[str, str], float | None] = {}
    problems: list[str] = []
    for e in edits:
        if e.unit_code not in codes:
            problems.append(f"Không có đơn vị «{e.unit_code}» trong số liệu đang mở.")
            continue
        where = _Where(table.frame, e.unit_code)  # the unit's name is looked up only for a message
        if e.key not in keys:
            problems.append(f"{where}: «{e.key}» không phải số liệu của bộ quy tắc «{rb.id}».")
            continue
        try:
            x = _number(e.value)
        except (TypeError, ValueError):
            problems.append(f"{where}, «{key_name_vi(rb, e.key)}» = «{e.value}»: không phải là số.")
            continue
        why = _cell_problem(rb, e.key, x) if x is not None else ""
        if why:
            problems.append(f"{where}, «{key_name_vi(rb, e.key)}» = {fmt_number(x, 4)}: {why}")
            continue
        values[(e.unit_code, e.key)] = x
    return values, problems


class _Where:
    """«Tên đơn vị (mã)» for a message, found only when a message needs it."""

    def __init__(self, frame: pd.DataFrame, code: str) -> None:
        self.frame, self.code = frame, code

    def __str__(self) -> str:
        return _unit_label(self.frame, self.code)


def _pair_problems(table: UnitTable, rb: Rulebook, values: dict) -> list[str]:
    """Numerator ≤ denominator, against the unit's other values (fallbacks resolved), for every
    indicator an edit touches: what the importers check on every row. One matrix for every edited unit."""
    after = _layered(table.frame, values)
    first = _rows_by_code(after)
    units = list(dict.fromkeys(c for c, _ in values))
    x = input_matrix(after.iloc[[first[c] for c in units]], rb)
    edited: dict[str, set[str]] = {}
    for c, k in values:
        edited.setdefault(c, set()).add(k)
    problems = []
    for j, code in enumerate(units):
        for ind in rb.indicators:
            if not edited[code] & {ind.numerator, ind.denominator, *_fallback_chain(rb, ind.denominator)}:
                continue
            num = x[j, rb.input_keys.index(ind.numerator)]
            den = x[j, rb.input_keys.index(ind.denominator)]
            if num > den * (1 + 1e-9) + 1e-9:
                problems.append(
                    f"{_unit_label(table.frame, code)}: «{rb.input(ind.numerator).name_vi}» "
                    f"({fmt_number(num, 4)}) lớn hơn «{rb.input(ind.denominator).name_vi}» "
                    f"({fmt_number(den, 4)}) — tử số không được lớn hơn mẫu số."
                )
    return problems


def _fallback_chain(rb: Rulebook, key: str) -> list[str]:
    chain, seen = [], {key}
    fb = rb.input(key).fallback
    while fb and fb not in seen:
        chain.append(fb)
        seen.add(fb)
        fb = rb.input(fb).fallback
    return chain


def _current(frame: pd.DataFrame, code: str, key: str, rows: dict[str, int] | None = None) -> float | None:
    if key not in frame:
        return None
    i = (rows or _rows_by_code(frame)).get(code)
    x = float(frame[key].iloc[i]) if i is not None else float("nan")
    return None if math.isnan(x) else x


def make_revisions(
    table: UnitTable, rb: Rulebook, edits: list[Edit], author: str = "", at: datetime | None = None
) -> list[Revision]:
    """Validate typed cells against ``table`` (the data as it is now, earlier revisions applied) and turn
    the ones that change something into revisions whose ``old`` is the value the user saw (``Edit.base``;
    the table's value when unseen). Any bad cell: ``EditError``, nothing made."""
    values, problems = _checked_values(table, rb, edits)
    problems += _pair_problems(table, rb, values)  # every problem at once, not in two rounds
    if problems:
        raise EditError(problems)
    when = at or datetime.now(timezone.utc)
    seen = {(e.unit_code, e.key): e.base for e in edits}
    rows = _rows_by_code(table.frame)
    revs = []
    for (code, key), new in values.items():
        old = _seen_value(seen[(code, key)], table.frame, code, key, rows)
        if old != new:
            revs.append(Revision(code, key, old, new, when, author.strip()[:100]))
    return revs


def _seen_value(base: float | str | None | _Unseen, frame: pd.DataFrame, code: str, key: str,
                rows: dict[str, int]) -> float | None:
    """What the user saw in a cell: the base they were shown (grid text parsed), else the value now."""
    if base is UNSEEN:
        return _current(frame, code, key, rows)
    try:
        return _number(base)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _current(frame, code, key, rows)


def cell_text(x: object) -> str:
    """A value as the grid shows it, the Vietnamese way and without losing digits ("" when missing)."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return "" if math.isnan(v) else fmt_number(v, 6)


def grid_frame(table: UnitTable, rb: Rulebook) -> pd.DataFrame:
    """The whole table as editable text cells: ``unit_code``, ``unit_name`` and every editable value.

    Text, not numbers, so that a pasted "1.234" from Excel in Vietnamese means one thousand two hundred
    thirty-four (parsed by ``parse_vn_number``), and a derived 10,147 shows exactly."""
    f = table.frame
    out = pd.DataFrame({"unit_code": f["unit_code"].astype(str), "unit_name": f["unit_name"].astype(str)})
    for key in editable_keys(rb):
        out[key] = [cell_text(v) for v in f[key]] if key in f else ""
    return out


def grid_edits(before: pd.DataFrame, after: pd.DataFrame) -> list[Edit]:
    """The cells of an edited ``grid_frame`` that differ from ``before`` (text compared, so an untouched
    derived 10,147 is never re-read as a typed value). ``before`` must be the table the user was shown
    (not the data reloaded since): each edit carries that cell as its base, which the save checks.
    Column by column, so the national grid (3.857 units × 57 counts) is compared in milliseconds."""
    if "unit_code" not in after or len(after) != len(before):
        raise DataError("Bảng số liệu không được thêm hay xoá dòng, và phải giữ cột mã đơn vị.")
    codes = before["unit_code"].astype(str).to_numpy()
    keys = [c for c in after.columns if c not in ("unit_code", "unit_name") and c in before.columns]
    found: list[tuple[int, int, str, str]] = []
    for k, key in enumerate(keys):
        old = np.array([str(v).strip() for v in before[key].tolist()], dtype=object)
        new = np.array([_typed_text(v) for v in after[key].tolist()], dtype=object)
        found += [(pos, k, old[pos], new[pos]) for pos in np.flatnonzero(old != new)]
    found.sort()  # row by row, then column by column: the order the user reads the grid in
    return [Edit(codes[pos], keys[k], n or None, o or None) for pos, k, o, n in found]


def _typed_text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


# ---------------------------------------------------------------- applying: the table the user sees


def _by_key(values: dict) -> dict[str, dict[str, float]]:
    """{(unit, key): value} → {key: {unit: value}} (None → NaN): one vectorised write per column."""
    out: dict[str, dict[str, float]] = {}
    for (code, key), new in values.items():
        out.setdefault(key, {})[code] = np.nan if new is None else float(new)
    return out


def _positions(codes: pd.Series) -> dict[str, list[int]]:
    """Unit code → every row holding it (a several-period table repeats codes)."""
    out: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        out.setdefault(code, []).append(i)
    return out


def _layered(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    """``frame`` with ``values`` written over it, one numpy write per column (11.514 cells in a fraction
    of a second, where a ``.loc`` write per cell took seconds)."""
    out = frame.copy()
    where = _positions(out["unit_code"].astype(str))
    for key, by_unit in _by_key(values).items():
        column = out[key].to_numpy(dtype=float, na_value=np.nan, copy=True) if key in out else np.full(len(out), np.nan)
        for code, value in by_unit.items():
            column[where.get(code, [])] = value
        out[key] = column
    return out


def apply_revisions(table: UnitTable, rb: Rulebook, revisions: list[Revision]) -> UnitTable:
    """The imported table with ``revisions`` applied in order (a copy; the import is never touched).

    Edited counts are marked ``ENTERED``; the calibration then holds only what is still uncovered, so an
    entered count turns its indicator from held to computed. Revisions for units or keys the table or
    rulebook does not have (another period, another rulebook) are skipped.
    """
    if not revisions:
        return table
    keys = set(editable_keys(rb))
    codes = set(table.frame["unit_code"].astype(str))
    last = {(r.unit_code, r.key): r.new for r in revisions if r.key in keys and r.unit_code in codes}
    frame = _layered(table.frame, last)
    prov = table.provenance.copy()
    where = _positions(frame["unit_code"].astype(str))
    for key, by_unit in _by_key(last).items():
        if key == EDITABLE_SCORE:
            continue
        column = prov[key].to_numpy(dtype=object, copy=True) if key in prov else np.full(len(frame), "", dtype=object)
        column[[i for code in by_unit for i in where[code]]] = ENTERED
        prov[key] = pd.Series(column, index=prov.index, dtype="str")
    return replace(table, frame=frame, provenance=prov)


# ---------------------------------------------------------------- what to ask for where data is missing


def missing_counts(x_row: np.ndarray, rb: Rulebook, indicator_codes: list[str] | tuple[str, ...]) -> list[str]:
    """Raw counts the user must type so that these indicators can be computed (``x_row`` with
    fallbacks resolved): each missing numerator and denominator, once, in rulebook order."""
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    want: set[str] = set()
    for code in indicator_codes:
        ind = rb.indicator(code)
        want |= {k for k in (ind.numerator, ind.denominator) if math.isnan(x_row[pos[k]])}
    return [k for k in rb.input_keys if k in want]


def entry_bounds_vi(x_row: np.ndarray, rb: Rulebook, key: str) -> list[str]:
    """What a count typed for ``key`` must respect, given the unit's other counts: at least each known
    numerator it is the denominator of, at most each known denominator it is the numerator of. Shown
    beside the box, so that the smallest valid total (e.g. ≥ 1.546 e-copies) is known before typing."""
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    notes = []
    for ind in rb.indicators:
        if ind.denominator == key and not math.isnan(x_row[pos[ind.numerator]]):
            notes.append(f"ít nhất {fmt_number(x_row[pos[ind.numerator]], 4)} («{rb.input(ind.numerator).name_vi}»)")
        if ind.numerator == key and not math.isnan(x_row[pos[ind.denominator]]):
            notes.append(f"nhiều nhất {fmt_number(x_row[pos[ind.denominator]], 4)} («{rb.input(ind.denominator).name_vi}»)")
    return list(dict.fromkeys(notes))


def lever_missing_counts(x_row: np.ndarray, level: str, rb: Rulebook, lever_key: str) -> list[str]:
    """Counts that keep a lever dead at this level ("Thiếu số liệu … cần nhập để mô phỏng")."""
    lever = rb.lever(lever_key)
    codes = [i.code for k in lever.moves for i in rb.indicators_fed_by(k) if i.movable_at(level)]
    return missing_counts(x_row, rb, codes)
