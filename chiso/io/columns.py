"""Which column is which: the canonical columns (generated from the rulebook) and report headers.

The canonical format has one Vietnamese header per field, built from the rulebook so it never drifts
from the engine: identity, one column per ``Rulebook.inputs`` (header = ``name_vi``), the official total
and group scores. Internal names (``dossiers_received``) are accepted as headers too.

Monthly report tables use other words ("Tổng số hồ sơ nhận trong tháng", "Tỷ lệ hồ sơ cấp kết quả điện
tử (%)"). Those are recognised by keyword rules on the folded header (see ``chiso.io.cells.fold``): the
identity rules here, and the rulebook's ``[[headers]]`` for its counts (this module knows no input key by
name); rates are turned into counts later (``rate:<input key>`` targets). Anything else is returned to the
caller as an unmapped column, which the user can map with ``column_map``.
"""
from __future__ import annotations

from dataclasses import dataclass

from chiso.io.cells import fold
from chiso.rulebook import LEVEL_NAMES_VI, Rulebook, available_rulebooks, load_rulebook
from chiso.units import PUBLISHED_TOTAL, published_column, published_group_column

# identity and extra fields (not rulebook inputs)
UNIT_CODE, UNIT_NAME, LEVEL, PARENT, PERIOD = "unit_code", "unit_name", "level", "parent_code", "period"
STT, IGNORE, SYNTHETIC = "stt", "ignore", "synthetic"
OVERDUE, OVERDUE_MCDT, TOTAL_DELTA = "dossiers_overdue", "dossiers_overdue_mcdt", "published_total_delta"
RATE_PREFIX = "rate:"

ID_HEADERS = {
    UNIT_CODE: "Mã đơn vị",
    UNIT_NAME: "Tên đơn vị",
    LEVEL: "Cấp",
    PARENT: "Mã đơn vị cấp trên",
    PERIOD: "Kỳ",
}
EXTRA_HEADERS = {
    OVERDUE: "Số hồ sơ xử lý quá hạn",
    OVERDUE_MCDT: "Số hồ sơ xử lý quá hạn trên phần mềm một cửa điện tử (MCĐT)",
    TOTAL_DELTA: "Điểm so với kỳ trước",
    SYNTHETIC: "Dữ liệu giả lập",
}
TOTAL_HEADER = "Tổng điểm chính thức"
LEVEL_VALUES_VI = {  # what the canonical file writes in the «Cấp» column
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "department": "Sở, ban, ngành",
    "commune": "Cấp xã",
}


@dataclass(frozen=True)
class Column:
    """One field of the canonical format."""

    key: str
    header: str
    kind: str  # id | count | score | extra
    note: str
    required: bool = False
    max: float | None = None


def group_header(name_vi: str) -> str:
    return f"Điểm nhóm chính thức: {name_vi}"


def indicator_header(rb: Rulebook, report_code: str) -> str:
    members = [i for i in rb.indicators if i.report_code == report_code]
    if len(members) == 1:
        return f"Điểm chính thức: {members[0].name_vi}"
    return f"Điểm chính thức: {rb.group(members[0].group).name_vi} (điểm gộp)"


ID_NOTES = {
    UNIT_CODE: "Mã định danh của đơn vị (ví dụ 000.20.30.H53). Không được trùng trong một kỳ.",
    UNIT_NAME: "Tên đầy đủ của đơn vị.",
    LEVEL: "Một trong: " + "; ".join(LEVEL_VALUES_VI.values())
    + ". Để trống: suy ra từ tên (Xã/Phường → cấp xã, Sở → sở, ngành…).",
    PARENT: "Mã của tỉnh (hoặc huyện) quản lý đơn vị; để trống với cấp tỉnh.",
    PERIOD: "Kỳ đánh giá, ví dụ 2023-02 (tháng) hoặc 2026-Q3 (quý). Một tệp có thể chứa nhiều kỳ.",
}
EXTRA_NOTES = {
    OVERDUE: "Nếu tệp không có số hồ sơ đúng hạn: số đúng hạn = tổng số hồ sơ − số quá hạn.",
    OVERDUE_MCDT: "Chỉ để tham khảo: không trừ thêm vào số hồ sơ đúng hạn "
    "(số đúng hạn = tổng số hồ sơ − «Số hồ sơ xử lý quá hạn»).",
    TOTAL_DELTA: "Chênh lệch tổng điểm so với kỳ trước, chỉ để tham khảo.",
    SYNTHETIC: "«có» nếu là dữ liệu giả lập (mô phỏng), không phải số liệu chính thức.",
}


def canonical_columns(rb: Rulebook, per_indicator: bool = False) -> list[Column]:
    """The canonical columns in file order (``per_indicator`` adds official indicator points)."""
    cols = [Column(k, h, "id", ID_NOTES[k], k in (UNIT_CODE, UNIT_NAME)) for k, h in ID_HEADERS.items()]
    cols += [Column(i.key, i.name_vi, "count", _input_note(rb, i.key)) for i in rb.inputs]
    total_note = "Tổng điểm đã công bố (0–100), nếu có. Dùng để giữ nguyên phần điểm tệp không có số liệu."
    cols.append(Column(PUBLISHED_TOTAL, TOTAL_HEADER, "score", total_note, max=100.0))
    for g in rb.groups:
        note = f"Điểm nhóm «{g.name_vi}» đã công bố (tối đa {g.max:g}), nếu có."
        cols.append(Column(published_group_column(g.code), group_header(g.name_vi), "score", note, max=g.max))
    if per_indicator:
        for code in dict.fromkeys(i.report_code for i in rb.indicators):
            mx = sum(i.max for i in rb.indicators if i.report_code == code)
            note = f"Điểm đã công bố (tối đa {mx:g})."
            cols.append(Column(published_column(code), indicator_header(rb, code), "score", note, max=mx))
    return cols


def extra_columns() -> list[Column]:
    """Optional columns the importer understands besides the rulebook's (not in the template grid)."""
    return [Column(k, EXTRA_HEADERS[k], "extra", EXTRA_NOTES[k]) for k in EXTRA_HEADERS]


def _input_note(rb: Rulebook, key: str) -> str:
    inp = rb.input(key)
    uses = []
    for ind in rb.indicators:
        role = "tử số" if ind.numerator == key else ("mẫu số" if ind.denominator == key else None)
        if role:
            uses.append(f"{role} của «{ind.name_vi}» ({ind.max:g} điểm)")
    said = "; ".join(uses)
    note = "Số đếm (≥ 0). " + (said[0].upper() + said[1:] + "." if uses else "Không dùng trong bộ quy tắc này.")
    if inp.fallback:
        note += f" Để trống: dùng «{rb.input(inp.fallback).name_vi}» (giả định, cần xác nhận)."
    inherited = [i for i in rb.indicators if key in (i.numerator, i.denominator) and "inherited" in i.policy.values()]
    if inherited:
        note += " Chỉ cần điền ở dòng cấp tỉnh: sở, ngành và xã nhận số liệu của tỉnh."
    return note


# ---------------------------------------------------------------- mapping targets


def rate_denominator(rb: Rulebook, key: str) -> str | None:
    """The denominator a rate of ``key`` is taken over (the indicator where ``key`` is the numerator)."""
    for ind in rb.indicators:
        if ind.numerator == key:
            return ind.denominator
    return None


def mapping_targets(rb: Rulebook) -> dict[str, str]:
    """Every field a column can be mapped to, with its Vietnamese label (for the app's mapping form)."""
    out = {IGNORE: "Bỏ qua cột này"}
    out.update({k: v for k, v in ID_HEADERS.items()})
    for inp in rb.inputs:
        out[inp.key] = f"Số liệu: {inp.name_vi}"
    for ind in rb.indicators:
        out.setdefault(RATE_PREFIX + ind.numerator, f"Tỷ lệ (%): {ind.name_vi}")
    out[OVERDUE] = EXTRA_HEADERS[OVERDUE]
    out[OVERDUE_MCDT] = EXTRA_HEADERS[OVERDUE_MCDT]
    out[PUBLISHED_TOTAL] = TOTAL_HEADER
    out[TOTAL_DELTA] = EXTRA_HEADERS[TOTAL_DELTA]
    for g in rb.groups:
        out[published_group_column(g.code)] = group_header(g.name_vi)
    for code in dict.fromkeys(i.report_code for i in rb.indicators):
        out[published_column(code)] = indicator_header(rb, code)
    out[SYNTHETIC] = EXTRA_HEADERS[SYNTHETIC]
    return out


def is_target(rb: Rulebook, key: str) -> bool:
    return key in mapping_targets(rb) or key == STT


# ---------------------------------------------------------------- header matching


_VOCAB_CACHE: dict[tuple[str, str], dict[str, str]] = {}


def _other_versions_score_headers(rb: Rulebook) -> list[str]:
    """Group/indicator score headers of the other shipped rulebooks (a file written under one version
    must still load under another: its group scores are skipped, its counts are kept)."""
    headers = []
    for rid in available_rulebooks():
        other = load_rulebook(rid)
        if other.id == rb.id:
            continue
        headers += [group_header(g.name_vi) for g in other.groups]
        headers += [indicator_header(other, c) for c in dict.fromkeys(i.report_code for i in other.indicators)]
    return headers


def _exact_vocabulary(rb: Rulebook) -> dict[str, str]:
    """Folded header → target: canonical headers of this rulebook, internal names, identity aliases.

    Group and indicator score headers come from this rulebook only: a group of the same code can have
    another maximum in another version (ONLINE_SERVICES is 12 points today, 22 in 2022)."""
    cached = _VOCAB_CACHE.get((rb.id, rb.path))
    if cached is not None:
        return cached
    vocab: dict[str, str] = {}
    valid = mapping_targets(rb)
    for col in canonical_columns(rb, per_indicator=True) + extra_columns():
        vocab.setdefault(fold(col.header), col.key)
    for key in valid:
        vocab.setdefault(fold(key), key)
    for alias, key in _ID_ALIASES.items():
        vocab.setdefault(fold(alias), key)
    for header in _other_versions_score_headers(rb):
        vocab.setdefault(fold(header), IGNORE)  # official scores of another version do not apply here
    _VOCAB_CACHE[(rb.id, rb.path)] = vocab
    return vocab


_ID_ALIASES = {
    "STT": STT,
    "TT": STT,
    "Số thứ tự": STT,
    "Đơn vị": UNIT_NAME,
    "Tên cơ quan, đơn vị": UNIT_NAME,
    "Cơ quan, đơn vị": UNIT_NAME,
    "Tên cơ quan": UNIT_NAME,
    "Mã định danh": UNIT_CODE,
    "Mã định danh đơn vị": UNIT_CODE,
    "Mã cơ quan": UNIT_CODE,
    "Mã ĐVHC": UNIT_CODE,
    "Cấp đơn vị": LEVEL,
    "Cấp hành chính": LEVEL,
    "Kỳ đánh giá": PERIOD,
    "Kỳ báo cáo": PERIOD,
    "Tháng": PERIOD,
    "Quý": PERIOD,
    "Xếp hạng": IGNORE,
    "Ghi chú": IGNORE,
}


Rule = tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...], str]
RATE_WORDS = ("ty le", "%", "muc do")
PAKN = ("pakn", "phan anh")


def _identity_rules() -> list[Rule]:
    """(all of, groups of which one word each must appear, none of, target): the fields that are not counts
    of a rulebook (identity, overdue dossiers, change since last period), tried before the rulebook's."""
    r = RATE_WORDS
    return [
        (("so voi",), (("truoc",),), (), TOTAL_DELTA),
        (("tang giam",), (("diem",),), (), TOTAL_DELTA),
        (("xep hang",), (), (), IGNORE),
        (("cap tren",), (("ma", "don vi"),), (), PARENT),
        (("ma",), (("dinh danh", "don vi", "co quan"),), ("cap tren",), UNIT_CODE),
        (("ten",), (("don vi", "co quan"),), (), UNIT_NAME),
        (("gia lap",), (), (), SYNTHETIC),
        # overdue dossiers: the portal's (notified) overdue count feeds the index; the MCĐT one is informative
        ((), (("qua han", "tre han"),), r + PAKN + ("mcdt", "mot cua"), OVERDUE),
        ((), (("qua han", "tre han"),), r + PAKN, OVERDUE_MCDT),
    ]


# The official total, tried last: a count's words («tổng số hồ sơ») must win over «tổng điểm»-like ones.
_TOTAL_RULE: Rule = (
    ("diem",), (("danh gia", "tong diem", "chinh thuc", "dat duoc"),), ("nhom", "chi tieu", "so voi"), PUBLISHED_TOTAL,
)
_IDENTITY_RULES = _identity_rules()
_RULES_CACHE: dict[tuple[str, str], list[Rule]] = {}


def header_rules(rb: Rulebook) -> list[Rule]:
    """Every keyword rule in the order tried: identity, then the rulebook's ``[[headers]]`` (its words
    folded like the headers they are compared with), then the official total; first match wins."""
    cached = _RULES_CACHE.get((rb.id, rb.path))
    if cached is not None:
        return cached

    def words(ws: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(fold(w) for w in ws)

    own = [
        (words(h.all_of), tuple(words(g) for g in h.any_of), words(h.none_of), (RATE_PREFIX if h.rate else "") + h.count)
        for h in rb.headers
    ]
    rules = _RULES_CACHE[(rb.id, rb.path)] = [*_IDENTITY_RULES, *own, _TOTAL_RULE]
    return rules


def _rule_match(key: str, rules: list[Rule]) -> str | None:
    padded = f" {key} "

    def has(word: str) -> bool:
        return "%" in padded if word == "%" else f" {word} " in padded

    for all_of, groups, none_of, target in rules:
        if (
            all(has(w) for w in all_of)
            and all(any(has(w) for w in g) for g in groups)
            and not any(has(w) for w in none_of)
        ):
            return target
    return None


def match_header(parts: list[str], rb: Rulebook) -> str | None:
    """Target of a header given its parts (top to bottom): the most specific part first."""
    vocab = _exact_vocabulary(rb)
    candidates = [parts[-1], " ".join(parts)] if len(parts) > 1 else parts[:1]
    folded = [fold(c) for c in candidates if c]
    for key in folded:
        if key in vocab:
            return vocab[key]
    rules = header_rules(rb)
    for key in folded:
        target = _rule_match(key, rules)
        if target is not None and (target in (STT, IGNORE) or is_target(rb, target)):
            return target
    return None


LEVEL_WORDS = {
    "province": ("province", "tinh", "cap tinh", "ubnd tinh"),
    "district": ("district", "huyen", "cap huyen", "quan", "thi xa", "thanh pho thuoc tinh"),
    "department": (
        "department", "so", "so ban nganh", "so nganh", "nganh", "ban nganh", "co quan chuyen mon", "cap so",
    ),
    "commune": ("commune", "xa", "cap xa", "phuong", "thi tran", "dac khu", "xa phuong"),
}
_LEVEL_LOOKUP = {fold(w): lvl for lvl, words in LEVEL_WORDS.items() for w in words}
_LEVEL_LOOKUP.update({fold(v): k for k, v in LEVEL_NAMES_VI.items()})
_LEVEL_LOOKUP.update({fold(v): k for k, v in LEVEL_VALUES_VI.items()})


def parse_level(text: str) -> str | None:
    return _LEVEL_LOOKUP.get(fold(text))


def infer_level(name: str) -> str | None:
    """Level from a unit's name, for files without a «Cấp» column (None when unclear)."""
    n = f" {fold(name)} "
    if any(w in n for w in (" phuong ", " xa ", " thi tran ", " dac khu ")):
        return "commune"
    if any(w in n for w in (" ubnd tinh ", " uy ban nhan dan tinh ")):
        return "province"
    if n.startswith((" so ", " ban quan ly ", " van phong ubnd tinh ")) or " cong an tinh " in n:
        return "department"
    if any(w in n for w in (" huyen ", " thi xa ", " quan ", " thanh pho ")):
        return "district"
    return None
