"""Tables of unit data (canonical CSV/XLSX, monthly report tables) → one validated UnitTable.

Steps: sniff the bytes (xlsx, text, portal JSON, or something we refuse with a reason) → a grid of
cells → find the header block (one to three rows, merged cells filled) → map every column to a field
(``chiso.io.columns``) → parse and check every data row → derive counts from rates → UnitTable.

Nothing is dropped silently: a bad row goes to ``UnitTable.rejected`` with a Vietnamese message and its
file/sheet/row/column; title, section, total and footnote rows are skipped and listed in a warning;
unknown columns are listed in ``UnitTable.unmapped_columns`` for the user to map (``column_map``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chiso.errors import DataError, Location
from chiso.fmt import fmt_int, fmt_number
from chiso.identifiers import clean_code, code_problem, name_problem, sentence
from chiso.io import columns as C
from chiso.io.cells import NumberError, clean_text, column_letter, decide_decimal, fold, parse_number, unquote_formula
from chiso.io.limits import MAX_GRID_ROWS, MAX_UNITS, check_file_size
from chiso.io.textgrid import read_text
from chiso.io.xlsx import Sheet, is_xlsx, read_xlsx
from chiso.notes import SYNTHETIC_IMPORT_VI
from chiso.rulebook import Rulebook
from chiso.units import (
    ASSUMED,
    DERIVED,
    GIVEN,
    PROVENANCE_VI,
    PUBLISHED_TOTAL,
    UnitTable,
    inherit_from_province,
)

MAX_ROWS = MAX_UNITS
HEADER_SCAN = 30
RATE_COLUMN = "rate__"  # frame column keeping a rate (%) exactly as the file gave it
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_FORMATS = (
    (b"\x89PNG", "ảnh PNG"), (b"\xff\xd8\xff", "ảnh JPEG"), (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf", "tệp nén 7z"), (b"\x1f\x8b", "tệp nén gzip"),
)
_NOT_VALUES = (None, C.IGNORE, C.STT, C.UNIT_NAME, C.UNIT_CODE, C.LEVEL, C.PARENT, C.PERIOD)  # not numeric columns
_PERIOD_IN_NAME = (
    (re.compile(r"(20\d\d)[-_. ]?[qQ]([1-4])(?!\d)"), "{0}-Q{1}"),
    (re.compile(r"[qQ]([1-4])[-_. ]?(20\d\d)"), "{1}-Q{0}"),
    (re.compile(r"(20\d\d)[-_. ](0[1-9]|1[0-2])(?!\d)"), "{0}-{1}"),
    (re.compile(r"(?<!\d)(0[1-9]|1[0-2])[-_. ](20\d\d)"), "{1}-{0}"),
)
_PERIOD_IN_TITLE = (
    (re.compile(r"thang (\d{1,2}) (?:nam )?(20\d\d)"), "month"),
    (re.compile(r"quy (\d|i{1,3}|iv) (?:nam )?(20\d\d)"), "quarter"),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_TOTAL_ROW = (
    "tong cong", "tong", "cong", "tong so", "toan tinh", "toan thanh pho", "toan huyen", "binh quan", "trung binh",
)
_NOTE_LEADS = ("ghi chu", "chu thich", "nguon", "luu y", "ghi nhan")
_MA_DINH_DANH = re.compile(r"(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})")
_TRUE = {"co", "x", "1", "true", "yes", "dung", "gia lap"}


@dataclass
class _Col:
    index: int
    header: str
    target: str | None

    @property
    def label(self) -> str:
        return f"{column_letter(self.index)}: {self.header}"


@dataclass
class _Layout:
    header_rows: list[int]
    first_data: int
    cols: list[_Col]
    title_text: str

    def col(self, target: str) -> _Col | None:
        return next((c for c in self.cols if c.target == target), None)


@dataclass
class _Problems:
    """First problem per row (row position in the kept list → error)."""

    by_row: dict[int, DataError] = field(default_factory=dict)

    def add(self, pos: int, message: str, loc: Location) -> None:
        if pos not in self.by_row:
            self.by_row[pos] = DataError(message, loc)


# ---------------------------------------------------------------- entry point


def load_tabular(
    name: str,
    data: bytes,
    rb: Rulebook,
    period: str = "",
    column_map: dict[str, str] | None = None,
    sheet: str | None = None,
) -> UnitTable:
    """Read one CSV/TSV/XLSX file (canonical format or a monthly report table) into a UnitTable.

    ``column_map`` maps a column header (as listed in ``UnitTable.unmapped_columns``, or its letter)
    to a field of ``chiso.io.columns.mapping_targets``; ``sheet`` picks a worksheet by name.
    ``period`` labels rows whose file has no «Kỳ» value; without it the period comes from the file
    name (…-2023-02.xlsx, …-2026-Q3.csv) or the table title ("tháng 02 năm 2023").
    """
    check_file_size(name, len(data))
    if not data.strip():
        raise DataError("Tệp rỗng, không có dữ liệu.", Location(file=name))
    cmap = _check_column_map(column_map, rb)
    warnings: list[str] = []
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.lower().endswith(".json") or head[:1] in (b"{", b"["):
        from chiso.io.portal import load_portal_bytes

        return load_portal_bytes([(name, data)], period, rb)
    _refuse_known_binaries(name, data)
    if is_xlsx(data):
        sheets = read_xlsx(data, name)
        sheets = _pick_sheets(sheets, sheet, name)
    else:
        if sheet:
            raise DataError(f"Tệp CSV không có trang tính «{sheet}».", Location(file=name))
        sheets = [read_text(data, name, warnings, max_rows=min(MAX_GRID_ROWS, MAX_ROWS + 1_000))]
    grid, layout = _first_table(sheets, rb, cmap, name)
    return _build(grid, layout, rb, name, period, warnings)


def _refuse_known_binaries(name: str, data: bytes) -> None:
    if data.startswith(_OLE):
        raise DataError(
            "Tệp Excel 97–2003 (.xls) hoặc tệp Excel có mật khẩu chưa được hỗ trợ. "
            "Hãy mở bằng Excel, bỏ mật khẩu nếu có, và lưu lại dạng .xlsx hoặc «CSV UTF-8».",
            Location(file=name),
        )
    if data.startswith(b"%PDF"):
        raise DataError("Tệp PDF không đọc được số liệu; hãy dùng bảng Excel (.xlsx) hoặc CSV.", Location(file=name))
    for magic, kind in _OTHER_FORMATS:
        if data.startswith(magic):
            raise DataError(f"Đây là {kind}, không phải bảng số liệu (.xlsx hoặc .csv).", Location(file=name))


def _check_column_map(column_map: dict[str, str] | None, rb: Rulebook) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, target in (column_map or {}).items():
        target = (target or C.IGNORE).strip()
        if not C.is_target(rb, target):
            raise DataError(f"Không thể gán cột «{header}» vào «{target}»: không phải trường dữ liệu hợp lệ.")
        out[fold(str(header))] = target
    return out


def _pick_sheets(sheets: list[Sheet], wanted: str | None, file: str) -> list[Sheet]:
    if wanted is None:
        visible = [s for s in sheets if not s.hidden]
        return visible + [s for s in sheets if s.hidden]
    hits = [s for s in sheets if s.name == wanted] or [s for s in sheets if fold(s.name) == fold(wanted)]
    if not hits:
        names = ", ".join(f"«{s.name}»" for s in sheets) or "không có"
        raise DataError(f"Không có trang tính «{wanted}». Các trang tính trong tệp: {names}.", Location(file=file))
    return hits


def _first_table(sheets: list[Sheet], rb: Rulebook, cmap: dict[str, str], file: str) -> tuple[Sheet, _Layout]:
    if not sheets or all(not s.rows for s in sheets):
        raise DataError("Tệp rỗng, không có ô nào có dữ liệu.", Location(file=file))
    for sh in sheets:
        layout = _locate(sh, rb, cmap)
        if layout is not None:
            return sh, layout
    names = ", ".join(f"«{s.name}»" for s in sheets if s.name)
    where = f" (đã xem các trang tính: {names})" if names else ""
    raise DataError(
        "Không tìm thấy dòng tiêu đề của bảng số liệu" + where + ". Cần ít nhất cột «Tên đơn vị» (hoặc «Mã đơn vị») "
        "và một cột số liệu; hãy dùng tệp mẫu (python -m chiso template) hoặc bảng báo cáo tháng.",
        Location(file=file, sheet=sheets[0].name if len(sheets) == 1 and sheets[0].name else None),
    )


# ---------------------------------------------------------------- header block


def _filled_top(sh: Sheet, limit: int) -> list[list[object]]:
    """The first rows with merged ranges filled (header cells only; data rows are never filled)."""
    top = [list(r) for r in sh.rows[:limit]]
    budget = 200_000  # cells filled at most: hostile files can declare huge overlapping merges
    for r0, c0, r1, c1 in sh.merges:
        if r0 >= len(top) or c0 >= len(top[r0]):
            continue
        value = top[r0][c0]
        for r in range(r0, min(r1, len(top) - 1) + 1):
            stop = min(c1, len(top[r]) - 1) + 1
            budget -= max(0, stop - c0)
            if budget < 0:
                return top
            top[r][c0:stop] = [value] * max(0, stop - c0)
    return top


def _targets_of_row(row: list[object], rb: Rulebook, cmap: dict[str, str]) -> set[str]:
    found = set()
    for v in row:
        if isinstance(v, str) and v.strip():
            text = clean_text(v)
            t = cmap.get(fold(text)) or C.match_header([text], rb)
            if t and t != C.IGNORE:
                found.add(t)
    return found


def _locate(sh: Sheet, rb: Rulebook, cmap: dict[str, str]) -> _Layout | None:
    top = _filled_top(sh, HEADER_SCAN + 3)
    scores = [len(_targets_of_row(r, rb, cmap)) for r in top[:HEADER_SCAN]]
    if not scores or max(scores) < 2:
        return None
    best = scores.index(max(scores))
    block = [best]
    while block[0] > 0 and any(r0 < block[0] <= r1 and r0 == block[0] - 1 for r0, _, r1, _ in sh.merges):
        block.insert(0, block[0] - 1)  # a vertical merge joins the row above: two-row header
    name_col = _name_column(top[best], rb, cmap)
    nxt = best + 1
    while nxt < len(top) and len(block) < 3 and _header_like(top[nxt], top[best], name_col):
        block.append(nxt)
        nxt += 1
    if nxt < len(sh.rows) and _is_index_row(sh.rows[nxt]):
        nxt += 1
    cols = _columns(top, block, sh, rb, cmap)
    if not any(c.target in (C.UNIT_NAME, C.UNIT_CODE) for c in cols):
        return None
    title = " ".join(clean_text(v) for r in top[: block[0]] for v in r if v is not None)
    return _Layout([r for r in block if not _is_index_row(sh.rows[r])], nxt, cols, title)


def _name_column(row: list[object], rb: Rulebook, cmap: dict[str, str]) -> int | None:
    for j, v in enumerate(row):
        if isinstance(v, str) and (cmap.get(fold(v)) or C.match_header([clean_text(v)], rb)) == C.UNIT_NAME:
            return j
    return None


def _is_number(v: object) -> bool:
    if isinstance(v, float):
        return True
    try:
        return v is not None and not np.isnan(parse_number(v))
    except NumberError:
        return False


def _header_like(row: list[object], above: list[object], name_col: int | None) -> bool:
    """A row under the header that is itself header text (sub-headers), not data."""
    values = [v for v in row if v is not None and str(v).strip()]
    if not values or _is_index_row(row):
        return bool(values)
    if any(_is_number(v) for v in values):
        return False
    if name_col is not None and name_col < len(row) and row[name_col] not in (None, "", above[name_col]):
        return False
    return True


def _is_index_row(row: list[object]) -> bool:
    """A row numbering the columns: 1 2 3 … or (1) (2) (3) …"""
    nums = []
    for v in row:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        text = clean_text(v).strip("()")
        if not text.isdigit():
            return False
        nums.append(int(text))
    return len(nums) >= 3 and nums == list(range(nums[0], nums[0] + len(nums)))


def _columns(top: list[list[object]], block: list[int], sh: Sheet, rb: Rulebook, cmap: dict[str, str]) -> list[_Col]:
    width = max((len(sh.rows[r]) for r in block), default=0)
    rows = [r for r in block if not _is_index_row(sh.rows[r])]
    text = [[clean_text(top[r][j]) if j < len(top[r]) else "" for j in range(width)] for r in rows]
    if not sh.merges and len(rows) > 1:
        # a CSV export of merged headers keeps the group label in its first column only
        for j in range(1, width):
            if not text[0][j] and any(t[j] for t in text[1:]):
                text[0][j] = text[0][j - 1]
    cols = []
    for j in range(width):
        parts: list[str] = []
        for t in text:
            if t[j] and (not parts or parts[-1] != t[j]):
                parts.append(t[j])
        if not parts:
            continue
        header = " | ".join(parts)
        target = cmap.get(fold(header)) or cmap.get(fold(parts[-1])) or cmap.get(fold(column_letter(j)))
        if target is None:
            target = C.match_header(parts, rb)
        cols.append(_Col(j, header, target))
    return cols


# ---------------------------------------------------------------- rows


def _build(sh: Sheet, layout: _Layout, rb: Rulebook, file: str, period: str, warnings: list[str]) -> UnitTable:
    loc = Location(file=file, sheet=sh.name or None)
    _check_duplicate_targets(layout, rb, loc)
    _check_required(layout, rb, loc, warnings)
    unmapped = [c.header for c in layout.cols if c.target is None]
    if unmapped:
        warnings.append(
            f"Có {len(unmapped)} cột chưa nhận ra, chưa dùng để tính điểm: "
            + "; ".join(f"«{h}»" for h in unmapped)
            + ". Hãy chọn ý nghĩa cho các cột này (gán cột) nếu cần."
        )
    kept, skipped = _classify_rows(sh, layout, loc)
    if skipped:
        more = "…" if len(skipped) > 10 else ""
        warnings.append("Bỏ qua các dòng không phải số liệu đơn vị: " + "; ".join(skipped[:10]) + more + ".")
    if not kept:
        raise DataError("Tệp không có dòng số liệu nào dưới dòng tiêu đề.", loc)
    if len(kept) > MAX_ROWS:
        raise DataError(
            f"Tệp có {fmt_int(len(kept))} dòng số liệu, vượt giới hạn {fmt_int(MAX_ROWS)} dòng (đơn vị) của một tệp; "
            "hãy chia nhỏ tệp.",
            loc,
        )
    parsed = _RowParser(sh, layout, rb, kept, loc)
    frame, prov = parsed.run(file, period)
    problems = parsed.problems
    if problems.by_row and len(problems.by_row) == len(kept):
        first = "; ".join(str(e) for e in list(problems.by_row.values())[:5])
        raise DataError(f"Không có dòng hợp lệ nào ({len(kept)} dòng bị loại). Ví dụ: {first}", loc)
    ok = np.array([i not in problems.by_row for i in range(len(kept))], dtype=bool)
    frame = frame[ok].reset_index(drop=True)
    prov = prov[ok].reset_index(drop=True)
    table = UnitTable(frame, prov, source=file, warnings=warnings)
    table.rejected = [problems.by_row[i] for i in sorted(problems.by_row)]
    table.unmapped_columns = unmapped
    table.column_map = {c.header: c.target for c in layout.cols if c.target}
    table = inherit_from_province(table, rb)
    _flag_assumptions(table, rb)
    _flag_synthetic(table, file, frame)
    warnings.extend(parsed.notes)
    if table.rejected:
        warnings.append(f"{len(table.rejected)} dòng bị loại vì số liệu không hợp lệ (xem danh sách dòng bị loại).")
    return table


def _check_duplicate_targets(layout: _Layout, rb: Rulebook, loc: Location) -> None:
    labels = C.mapping_targets(rb)
    seen: dict[str, _Col] = {}
    for c in layout.cols:
        if c.target in (None, C.IGNORE, C.STT):
            continue
        if c.target in seen:
            raise DataError(
                f"Hai cột cùng được hiểu là «{labels.get(c.target, c.target)}»: «{seen[c.target].label}» và «{c.label}». "
                "Hãy gán lại một trong hai cột (hoặc bỏ qua cột thừa).",
                loc,
            )
        seen[c.target] = c


def _check_required(layout: _Layout, rb: Rulebook, loc: Location, warnings: list[str]) -> None:
    """Name or code is required; so is the total of dossiers when rates or overdue counts need it.

    A rate over another denominator the file lacks (e.g. online payments over fee-bearing dossiers)
    cannot become a count: the column is set aside, with a warning, rather than failing the file."""
    targets = {c.target for c in layout.cols}
    if C.UNIT_NAME not in targets and C.UNIT_CODE not in targets:
        raise DataError(f"Thiếu cột bắt buộc «{C.ID_HEADERS[C.UNIT_NAME]}» (hoặc «{C.ID_HEADERS[C.UNIT_CODE]}»).", loc)
    received = rb.counts.received if rb.counts else None  # the total of dossiers, by its role in the rulebook
    for col in layout.cols:
        t = col.target or ""
        if not (t.startswith(C.RATE_PREFIX) or t == C.OVERDUE):
            continue
        if t == C.OVERDUE and received is None:
            warnings.append(f"Cột «{col.header}» là số hồ sơ quá hạn, nhưng bộ quy tắc «{rb.id}» không khai báo "
                            "tổng số hồ sơ và số hồ sơ đúng hạn ([counts]) nên chưa dùng được cột này.")
            col.target = None
            continue
        den = received if t == C.OVERDUE else C.rate_denominator(rb, t[len(C.RATE_PREFIX):])
        chain = _fallback_chain(rb, den) if den else []
        if any(k in targets for k in chain):
            continue
        if chain and chain[-1] == received:
            total = rb.input(received).name_vi
            raise DataError(f"Thiếu cột bắt buộc «{total}»: cần để suy ra số hồ sơ từ cột «{col.header}».", loc)
        warnings.append(
            f"Cột «{col.header}» là tỷ lệ trên «{rb.input(chain[0]).name_vi if chain else 'mẫu số'}», "
            "nhưng tệp không có cột này nên chưa dùng được; hãy thêm cột mẫu số hoặc nhập số lượng."
        )
        col.target = None


def _fallback_chain(rb: Rulebook, key: str) -> list[str]:
    chain = [key]
    while rb.input(chain[-1]).fallback and rb.input(chain[-1]).fallback not in chain:
        chain.append(rb.input(chain[-1]).fallback)
    return chain


def _classify_rows(sh: Sheet, layout: _Layout, loc: Location) -> tuple[list[int], list[str]]:
    """Indexes of data rows; descriptions of skipped title/section/total/footnote rows."""
    name_c, code_c = layout.col(C.UNIT_NAME), layout.col(C.UNIT_CODE)
    value_idx = [c.index for c in layout.cols if c.target not in _NOT_VALUES]
    kept, skipped = [], []
    for i in range(layout.first_data, len(sh.rows)):
        row = sh.rows[i]
        if not any(v is not None for v in row):
            continue
        name = _text(row, name_c)
        code = _text(row, code_c)
        has_values = any(row[j] is not None for j in value_idx if j < len(row))
        if not name and not code and not has_values:
            skipped.append(_describe(i, row))
        elif name and not code and not has_values:
            skipped.append(f"dòng {i + 1} «{_short(name)}»")
        elif name and not code and fold(name) in _TOTAL_ROW:
            skipped.append(f"dòng {i + 1} «{_short(name)}» (dòng tổng)")
        else:
            kept.append(i)
    return kept, skipped


def _text(row: list[object], col: _Col | None) -> str:
    if col is None or col.index >= len(row):
        return ""
    return unquote_formula(clean_text(row[col.index]))


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _describe(i: int, row: list[object]) -> str:
    text = next((clean_text(v) for v in row if v is not None), "")
    return f"dòng {i + 1} «{_short(text)}»"


class _RowParser:
    """Parse, derive and check the kept rows column by column."""

    def __init__(self, sh: Sheet, layout: _Layout, rb: Rulebook, kept: list[int], loc: Location):
        self.sh, self.layout, self.rb, self.kept, self.loc = sh, layout, rb, kept, loc
        self.problems = _Problems()
        self.notes: list[str] = []
        self.n = len(kept)
        self.decimal = decide_decimal(self._texts())

    def where(self, pos: int, col: _Col | None) -> Location:
        return Location(self.loc.file, self.loc.sheet, self.kept[pos] + 1, col.label if col else None)

    def _texts(self) -> list[str]:
        out: list[str] = []
        for c in self.layout.cols:
            if c.target in _NOT_VALUES:
                continue
            for i in self.kept[:2000]:
                v = self.sh.rows[i][c.index] if c.index < len(self.sh.rows[i]) else None
                if isinstance(v, str):
                    out.append(v)
        return out

    def cells(self, col: _Col) -> list[object]:
        j = col.index
        return [r[j] if j < len(r) else None for r in (self.sh.rows[i] for i in self.kept)]

    def numbers(self, col: _Col, percent: bool = True) -> np.ndarray:
        """The column's cells as floats; ``percent=False`` for counts (a "%" cell is refused, row by row)."""
        out = np.full(self.n, np.nan)
        for pos, v in enumerate(self.cells(col)):
            if v is None:
                continue
            if type(v) is float:
                out[pos] = v
                continue
            try:
                out[pos] = parse_number(unquote_formula(v) if isinstance(v, str) else v, self.decimal, percent)
            except NumberError as exc:
                self.problems.add(pos, f"Giá trị {exc}.", self.where(pos, col))
        return out

    def check(self, mask: np.ndarray, col: _Col | None, message) -> None:
        for pos in np.flatnonzero(mask):
            self.problems.add(int(pos), message(int(pos)), self.where(int(pos), col))

    # ---- the steps
    def run(self, file: str, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        rb = self.rb
        data: dict[str, object] = {}
        data.update(self._identity(file, period))
        counts: dict[str, np.ndarray] = {}
        prov: dict[str, np.ndarray] = {}
        rates: dict[str, tuple[_Col, np.ndarray]] = {}
        for col in self.layout.cols:
            t = col.target
            if t in _NOT_VALUES or t == C.SYNTHETIC:
                continue
            x = self.numbers(col, percent=t not in rb.input_keys and t not in (C.OVERDUE, C.OVERDUE_MCDT))
            if t.startswith(C.RATE_PREFIX):
                self.check((x < 0) | (x > 100), col, lambda p, x=x: f"Tỷ lệ {_vn(x[p])}% nằm ngoài khoảng 0–100%.")
                rates[t[len(C.RATE_PREFIX):]] = (col, x)
                data[RATE_COLUMN + t[len(C.RATE_PREFIX):]] = x
            elif t in rb.input_keys or t in (C.OVERDUE, C.OVERDUE_MCDT):
                self.check(x < 0, col, lambda p, x=x: f"Số lượng không được âm ({_vn(x[p])}).")
                if t in rb.input_keys:
                    counts[t] = x
                    prov[t] = np.where(np.isnan(x), "", GIVEN).astype(object)
                else:
                    data[t] = x
            else:
                data[t] = x
                self._check_score(t, col, x)
        self._derive(counts, prov, rates, data)
        self._check_pairs(counts)
        synthetic = self.layout.col(C.SYNTHETIC)
        if synthetic is not None:
            data[C.SYNTHETIC] = np.array([fold(clean_text(v)) in _TRUE for v in self.cells(synthetic)])
        frame = pd.DataFrame(data)
        for key in rb.input_keys:
            frame[key] = counts.get(key, np.full(self.n, np.nan))
        provenance = pd.DataFrame({k: prov.get(k, np.full(self.n, "", dtype=object)) for k in rb.input_keys})
        self._check_duplicates(frame)
        return frame, provenance

    def _check_score(self, t: str, col: _Col, x: np.ndarray) -> None:
        if t == C.TOTAL_DELTA:
            self.check(np.abs(x) > 100, col, lambda p: f"Chênh lệch điểm {_vn(x[p])} nằm ngoài khoảng −100 đến 100.")
            return
        mx = next((c.max for c in C.canonical_columns(self.rb, per_indicator=True) if c.key == t), None)
        if mx is None:
            return
        name = "Tổng điểm" if t == PUBLISHED_TOTAL else "Điểm"
        self.check((x < 0) | (x > mx + 1e-9), col, lambda p: f"{name} {_vn(x[p])} nằm ngoài khoảng 0–{_vn(mx)}.")

    def _identity(self, file: str, period: str) -> dict[str, object]:
        lay = self.layout
        name_c, code_c = lay.col(C.UNIT_NAME), lay.col(C.UNIT_CODE)
        names = [_text(self.sh.rows[i], name_c) for i in self.kept]
        codes = [clean_code(_text(self.sh.rows[i], code_c)) for i in self.kept]
        self._check_identity(names)
        for pos in range(self.n):
            if code_c is not None and not codes[pos]:
                self.problems.add(pos, "Thiếu mã đơn vị.", self.where(pos, code_c))
            if name_c is not None and not names[pos]:
                self.problems.add(pos, "Thiếu tên đơn vị.", self.where(pos, name_c))
        if code_c is None:
            codes = [clean_code(n) for n in names]
            self.notes.append("Tệp không có cột «Mã đơn vị»: dùng tên đơn vị làm mã.")
        if name_c is None:
            names = list(codes)
        return {
            "unit_code": codes,
            "unit_name": names,
            "level": self._levels(names),
            "parent_code": self._parents(codes),
            "period": self._periods(file, period),
        }

    def _check_identity(self, names: list[str]) -> None:
        """Codes (as typed: a no-break space counts) and names (as kept) with hidden, lookalike or too
        many characters reject their row (chiso.identifiers)."""
        name_c = self.layout.col(C.UNIT_NAME)
        for pos, i in enumerate(self.kept):
            for col in (self.layout.col(C.UNIT_CODE), self.layout.col(C.PARENT)):
                raw = self.sh.rows[i][col.index] if col is not None and col.index < len(self.sh.rows[i]) else None
                why = code_problem(raw) if isinstance(raw, str) else None
                if why:
                    self.problems.add(pos, sentence(why), self.where(pos, col))
            why = name_problem(names[pos]) if name_c is not None else None
            if why:
                self.problems.add(pos, sentence(why), self.where(pos, name_c))

    def _levels(self, names: list[str]) -> list[str]:
        col = self.layout.col(C.LEVEL)
        raw = [_text(self.sh.rows[i], col) for i in self.kept] if col else [""] * self.n
        out, inferred = [], 0
        for pos, (text, name) in enumerate(zip(raw, names)):
            level = C.parse_level(text) if text else None
            if text and level is None:
                allowed = "; ".join(C.LEVEL_VALUES_VI.values())
                message = f"Cấp «{_short(text)}» không hợp lệ; dùng một trong: {allowed}."
                self.problems.add(pos, message, self.where(pos, col))
            elif not text:
                level = C.infer_level(name)
                inferred += 1
                if level is None:
                    self.problems.add(
                        pos,
                        f"Không xác định được cấp của «{_short(name)}»; hãy điền cột «{C.ID_HEADERS[C.LEVEL]}».",
                        self.where(pos, col),
                    )
            out.append(level or "")
        if inferred:
            self.notes.append(
                f"Cấp đơn vị của {inferred} dòng được suy ra từ tên "
                "(Xã/Phường → cấp xã, Sở → sở, ngành, thành phố/huyện → cấp huyện)."
            )
        return out

    def _parents(self, codes: list[str]) -> list[str]:
        col = self.layout.col(C.PARENT)
        if col is not None:
            return [clean_code(_text(self.sh.rows[i], col)) for i in self.kept]
        # mã định danh 000.ZZ.YY.HXX: a commune (ZZ ≠ 00) belongs to 000.00.YY.HXX — used only if in the file
        present = set(codes)
        out = []
        for code in codes:
            m = _MA_DINH_DANH.fullmatch(code)
            parent = ""
            if m and m.group(2) != "00":
                parent = f"000.00.{m.group(3)}.{m.group(4)}"
            elif m and m.group(3) != "00":
                parent = f"000.00.00.{m.group(4)}"
            out.append(parent if parent in present else "")
        return out

    def _periods(self, file: str, period: str) -> list[str]:
        col = self.layout.col(C.PERIOD)
        from_name = period_from_name(file)
        from_title = period_from_title(self.layout.title_text)
        default = period or from_name or from_title or ""
        if from_name and from_title and from_name != from_title and not period:
            self.notes.append(
                f"Kỳ lấy từ tên tệp ({from_name}) khác kỳ ghi trong tiêu đề bảng ({from_title}); "
                f"đang dùng {from_name}. "
                "Hãy kiểm tra lại kỳ báo cáo."
            )
        if col is None:
            return [default] * self.n
        return [_period_text(self.sh.rows[i], col) or default for i in self.kept]

    def _derive(self, counts, prov, rates, data) -> None:
        """Counts from rates (rate × denominator) and on-time dossiers from overdue ones, exactly.

        Rates: count = rate/100 × the indicator's denominator (its fallback, usually the total of
        dossiers), unrounded, so the engine gives back the published rate and its points to the cent.

        Overdue: on time = received − «hồ sơ (thông báo) xử lý quá hạn» (``OVERDUE``). Monthly reports
        such as TP. Tây Ninh 02/2023 also carry «xử lý quá hạn trên MCĐT» (``OVERDUE_MCDT``); it is kept
        for reference and NOT subtracted again: the report's own text counts 76 overdue dossiers, which
        is the sum of the first column (57 + 6 + 2 + 2 + 2 + 5 + 2), and the second (4, city agencies
        only, ≤ the first) is the one-stop software's view of the same dossiers, not extra ones.
        """
        rb = self.rb
        for key, (col, pct) in rates.items():
            den_key = C.rate_denominator(rb, key)
            den = self._resolved(counts, den_key)
            have = ~np.isnan(pct)
            missing = f"Thiếu «{rb.input(den_key).name_vi}» nên không suy ra được số lượng từ tỷ lệ."
            self.check(have & np.isnan(den), col, lambda p, m=missing: m)
            derived = pct / 100.0 * den
            if key in counts:  # the file also has the count: the count wins, the rate fills its gaps
                fill = np.isnan(counts[key]) & have
            else:
                counts[key] = np.full(self.n, np.nan)
                prov[key] = np.full(self.n, "", dtype=object)
                fill = have
            counts[key] = np.where(fill, derived, counts[key])
            prov[key] = np.where(fill & ~np.isnan(derived), DERIVED, prov[key])
        if C.OVERDUE in data and rb.counts:  # without count roles the column was set aside (_check_required)
            self._on_time_from_overdue(counts, prov, np.asarray(data[C.OVERDUE], dtype=float))

    def _on_time_from_overdue(self, counts, prov, overdue: np.ndarray) -> None:
        """On time = received − overdue, where the file has no on-time count (the rulebook's [counts])."""
        roles = self.rb.counts
        received = counts.get(roles.received, np.full(self.n, np.nan))
        col = self.layout.col(C.OVERDUE)
        self.check(
            overdue > received,
            col,
            lambda p: f"Số hồ sơ quá hạn ({_vn(overdue[p])}) lớn hơn tổng số hồ sơ ({_vn(received[p])}).",
        )
        no_total = "Thiếu tổng số hồ sơ nên không tính được số hồ sơ đúng hạn."
        self.check(~np.isnan(overdue) & np.isnan(received), col, lambda p: no_total)
        on_time = counts.get(roles.on_time, np.full(self.n, np.nan))
        fill = np.isnan(on_time) & ~np.isnan(overdue)
        counts[roles.on_time] = np.where(fill, received - overdue, on_time)
        before = prov.get(roles.on_time, np.full(self.n, "", dtype=object))
        prov[roles.on_time] = np.where(fill, DERIVED, before)

    def _resolved(self, counts: dict[str, np.ndarray], key: str) -> np.ndarray:
        """A count with the rulebook's fallbacks applied (what the engine will divide by)."""
        out = np.full(self.n, np.nan)
        for k in _fallback_chain(self.rb, key):
            if k in counts:
                out = np.where(np.isnan(out), counts[k], out)
        return out

    def _check_pairs(self, counts: dict[str, np.ndarray]) -> None:
        rb = self.rb
        for ind in rb.indicators:
            if ind.numerator not in counts:
                continue
            num = counts[ind.numerator]
            den = self._resolved(counts, ind.denominator)
            bad = num > den * (1 + 1e-9) + 1e-9
            col = self.layout.col(ind.numerator) or self.layout.col(C.RATE_PREFIX + ind.numerator)
            self.check(
                bad,
                col,
                lambda p, i=ind, n=num, d=den: f"«{rb.input(i.numerator).name_vi}» ({_vn(n[p])}) lớn hơn "
                f"«{rb.input(i.denominator).name_vi}» ({_vn(d[p])}) — tử số không được lớn hơn mẫu số.",
            )

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        first: dict[tuple[str, str], int] = {}
        code_col = self.layout.col(C.UNIT_CODE) or self.layout.col(C.UNIT_NAME)
        for pos, key in enumerate(zip(frame["unit_code"], frame["period"])):
            if not key[0] or pos in self.problems.by_row:
                continue
            if key in first:
                self.problems.add(
                    pos,
                    f"Mã đơn vị «{_short(key[0])}» bị trùng với dòng {self.kept[first[key]] + 1}"
                    + (f" (cùng kỳ {key[1]})" if key[1] else "")
                    + "; chỉ giữ dòng đầu tiên.",
                    self.where(pos, code_col),
                )
            else:
                first[key] = pos


def _period_text(row: list[object], col: _Col) -> str:
    v = row[col.index] if col.index < len(row) else None
    return clean_text(v) if v is not None else ""


def _vn(x: float) -> str:
    """A number for a message, the Vietnamese way (1.234,5)."""
    if np.isnan(x):
        return "trống"
    return fmt_number(x, 4)


def period_from_name(file: str) -> str:
    stem = file.rsplit("/", 1)[-1]
    for pattern, fmt in _PERIOD_IN_NAME:
        m = pattern.search(stem)
        if m:
            return fmt.format(*m.groups())
    return ""


def period_from_title(title: str) -> str:
    text = fold(title)
    for pattern, kind in _PERIOD_IN_TITLE:
        m = pattern.search(text)
        if not m:
            continue
        n = int(m.group(1)) if m.group(1).isdigit() else _ROMAN[m.group(1)]
        if kind == "month" and 1 <= n <= 12:
            return f"{m.group(2)}-{n:02d}"
        if kind == "quarter" and 1 <= n <= 4:
            return f"{m.group(2)}-Q{n}"
    return ""


def _flag_assumptions(table: UnitTable, rb: Rulebook) -> None:
    """Denominators a unit needs but the file lacks: provenance «assumed» and one warning per count."""
    f, prov = table.frame, table.provenance
    missing: dict[str, int] = {}
    fallback_used: set[str] = set()
    for ind in rb.indicators:
        scored = f["level"].map(ind.policy).isin(["computed", "inherited"])
        need = f[ind.numerator].notna() & f[ind.denominator].isna() & scored
        if not need.any():
            continue
        chain = _fallback_chain(rb, ind.denominator)
        resolved = pd.Series(np.nan, index=f.index)
        for k in chain[1:]:
            resolved = resolved.fillna(f[k])
        prov[ind.denominator] = prov[ind.denominator].where(~need, ASSUMED)
        no_value = need & resolved.isna()
        if no_value.any():
            missing[ind.denominator] = max(missing.get(ind.denominator, 0), int(no_value.sum()))
        if (need & resolved.notna()).any():
            fallback_used.add(ind.denominator)
    if missing:
        items = "; ".join(f"«{rb.input(k).name_vi}» ({n} đơn vị)" for k, n in missing.items())
        table.warnings.append(
            f"Tệp không có mẫu số — cần nhập hoặc xác nhận ({PROVENANCE_VI[ASSUMED]}): {items}. "
            "Các chỉ tiêu này chưa được tính lại; phần điểm của chúng được giữ nguyên từ điểm chính thức (nếu có)."
        )
    if fallback_used:
        items = "; ".join(
            f"«{rb.input(k).name_vi}» ← «{rb.input(_fallback_chain(rb, k)[-1]).name_vi}»" for k in fallback_used
        )
        table.warnings.append(f"Mẫu số để trống được thay bằng số liệu khác (giả định, cần xác nhận): {items}.")
    derived = [k for k in rb.input_keys if (prov[k] == DERIVED).any()]
    if derived:
        table.warnings.append(
            "Số liệu suy ra từ tỷ lệ × tổng số (không làm tròn, để tái tạo đúng tỷ lệ đã công bố): "
            + "; ".join(f"«{rb.input(k).name_vi}»" for k in derived)
            + "."
        )


def _flag_synthetic(table: UnitTable, file: str, frame: pd.DataFrame) -> None:
    marked = C.SYNTHETIC in frame and bool(np.asarray(frame[C.SYNTHETIC]).any())
    name = fold(file)
    if marked or "gia lap" in name or "synthetic" in name:
        table.synthetic = True
        table.warnings.insert(0, SYNTHETIC_IMPORT_VI)
