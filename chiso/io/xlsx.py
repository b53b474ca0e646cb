"""A small, fast, defensive reader of .xlsx cell values (no styles beyond "is this a percentage").

Why not openpyxl here: loading a 5,000-unit sheet took ~2 s with openpyxl (even read-only), over the
import budget; this reader uses the C expat parser and takes about a third of that. It also treats
the file as hostile: zip members inflate through a bounded reader that counts the real bytes (a false
size in the zip header cannot inflate gigabytes), a sheet's cells (empty ones included) are counted on
the inflated XML before expat parses any of it, and any DTD is refused (no entity expansion, no
external entities). openpyxl is still used to *write* files.

Values come back as the user sees them: numbers as float (a cell formatted as a percentage is
multiplied by 100, so 0.9148 shown as "91,48%" reads 91.48), text as str, Excel errors as their text.
Merged ranges are returned so the caller can fill header cells.
"""
from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from chiso.errors import DataError, Location
from chiso.fmt import fmt_int
from chiso.io.cells import column_index
from chiso.io.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_GRID_ROWS,
    MAX_UNZIPPED,
    InflateBudget,
    TagCounter,
    inflate_chunks,
    read_member,
)

MAX_MERGES = 10_000
_PERCENT_IDS = {9, 10}
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass
class Sheet:
    """One sheet (or one text file) as a grid of cell values."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based, inclusive)
    hidden: bool = False


class _Refused(Exception):
    pass


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def sheet_names(data: bytes, file: str) -> list[str]:
    with _open(data, file) as z:
        return [name for name, _, _ in _workbook_sheets(z, file, InflateBudget(MAX_UNZIPPED))]


def read_xlsx(data: bytes, file: str, wanted: str | None = None) -> list[Sheet]:
    """Every sheet of the workbook in order (or only ``wanted``), values as the user sees them."""
    budget = InflateBudget(MAX_UNZIPPED)
    with _open(data, file) as z:
        sheets = _workbook_sheets(z, file, budget)
        if wanted is not None:
            sheets = [s for s in sheets if s[0] == wanted]
        shared = _shared_strings(z, file, budget)
        percent = _percent_styles(z, file, budget)
        return [_read_sheet(z, path, name, hidden, (shared, percent), file, budget) for name, path, hidden in sheets]


# ---------------------------------------------------------------- package parts


def _open(data: bytes, file: str) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError):
        message = "Tệp Excel bị hỏng hoặc không đọc được (không phải tệp .xlsx hợp lệ)."
        raise DataError(message, Location(file=file)) from None
    if "xl/workbook.xml" not in names:
        z.close()
        raise DataError(
            "Tệp nén này không phải bảng tính Excel (.xlsx); hãy mở bằng Excel và lưu lại dạng .xlsx hoặc CSV.",
            Location(file=file),
        )
    total = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/"))
    if total > MAX_UNZIPPED:
        z.close()
        raise DataError(
            f"Tệp Excel khi giải nén lớn hơn {MAX_UNZIPPED // (1024 * 1024)} MB; hãy chia nhỏ tệp.",  # header sizes
            Location(file=file),
        )
    return z


def _part(z: zipfile.ZipFile, name: str, file: str, budget: InflateBudget) -> bytes | None:
    return read_member(z, name, budget, file)


def _parse(xml, start, end=None, chars=None, file: str = "", part: str = "") -> None:
    """Run expat with the given handlers over bytes or an iterable of chunks; refuse DTDs (entity
    bombs, external entities)."""
    p = expat.ParserCreate()
    p.buffer_text = True

    def refuse(*_args):
        raise _Refused

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.StartElementHandler = start
    if end is not None:
        p.EndElementHandler = end
    if chars is not None:
        p.CharacterDataHandler = chars
    try:
        if isinstance(xml, bytes):
            p.Parse(xml, True)
        else:
            for chunk in xml:
                p.Parse(chunk, False)
            p.Parse(b"", True)
    except _Refused:
        raise DataError("Tệp Excel chứa khai báo XML không an toàn (DTD); không đọc.", Location(file=file)) from None
    except expat.ExpatError as exc:
        raise DataError(f"Tệp Excel bị hỏng (XML của «{part}» lỗi: {exc}).", Location(file=file)) from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _workbook_sheets(z: zipfile.ZipFile, file: str, budget: InflateBudget) -> list[tuple[str, str, bool]]:
    """(name, part path, hidden) of every worksheet, in workbook order."""
    rels: dict[str, str] = {}

    def on_rel(name, attrs):
        if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
            rels[attrs["Id"]] = attrs["Target"]

    raw_rels = _part(z, "xl/_rels/workbook.xml.rels", file, budget)
    if raw_rels:
        _parse(raw_rels, on_rel, file=file, part="workbook.xml.rels")
    found: list[tuple[str, str, bool]] = []

    def on_sheet(name, attrs):
        if _local(name) != "sheet":
            return
        rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
        target = rels.get(rid or "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            found.append((str(attrs.get("name", "")), path, attrs.get("state", "visible") != "visible"))

    _parse(_part(z, "xl/workbook.xml", file, budget) or b"", on_sheet, file=file, part="workbook.xml")
    return found


def _shared_strings(z: zipfile.ZipFile, file: str, budget: InflateBudget) -> list[str]:
    raw = _part(z, "xl/sharedStrings.xml", file, budget)
    if not raw:
        return []
    counter = TagCounter(("si",))
    counter.feed(raw)
    counter.finish()
    if counter.counts["si"] > MAX_CELLS:  # more distinct strings than a sheet may have cells
        raise DataError(f"Tệp Excel có hơn {fmt_int(MAX_CELLS)} chuỗi văn bản; hãy chia nhỏ tệp.", Location(file=file))
    out: list[str] = []
    buf: list[str] = []
    state = {"t": False, "skip": 0}

    def start(name, _attrs):
        tag = _local(name)
        if tag == "si":
            buf.clear()
        elif tag == "t":
            state["t"] = True
        elif tag == "rPh":  # phonetic runs are not part of the text
            state["skip"] += 1

    def end(name):
        tag = _local(name)
        if tag == "t":
            state["t"] = False
        elif tag == "rPh":
            state["skip"] -= 1
        elif tag == "si":
            out.append("".join(buf))

    def chars(data):
        if state["t"] and not state["skip"]:
            buf.append(data)

    _parse(raw, start, end, chars, file=file, part="sharedStrings.xml")
    return out


def _percent_styles(z: zipfile.ZipFile, file: str, budget: InflateBudget) -> set[int]:
    """Indexes of cell formats (``s`` attribute) that display numbers as percentages."""
    raw = _part(z, "xl/styles.xml", file, budget)
    if not raw:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    state = {"in_xfs": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", -1))] = str(attrs.get("formatCode", ""))
            except ValueError:
                pass
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", 0)))
            except ValueError:
                xfs.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            state["in_xfs"] = False

    _parse(raw, start, end, file=file, part="styles.xml")

    def is_percent(fmt_id: int) -> bool:
        if fmt_id in _PERCENT_IDS:
            return True
        code = re.sub(r'"[^"]*"|\\.', "", custom.get(fmt_id, ""))
        return "%" in code

    return {n for n, fmt_id in enumerate(xfs) if is_percent(fmt_id)}


# ---------------------------------------------------------------- worksheet


def _count_sheet(z: zipfile.ZipFile, path: str, name: str, file: str, budget: InflateBudget) -> None:
    """First pass over the inflated sheet XML, before any parsing: refuse too many cells or rows.

    Empty cells count too (``<c/>`` costs expat as much as a full one): 184 KB of zip can hold
    47 million of them. Only bytes are scanned here, in C; the budget is given back for the real pass.
    """
    counter, spent = TagCounter(("c", "row")), budget.left
    try:
        for chunk in inflate_chunks(z, path, budget, file):
            counter.feed(chunk)
            if counter.counts["c"] > MAX_CELLS or counter.counts["row"] > MAX_CELLS:
                break
    except KeyError:
        raise DataError(f"Tệp Excel bị hỏng (thiếu trang tính «{name}»).", Location(file=file, sheet=name)) from None
    counter.finish()
    budget.left = spent
    loc = Location(file=file, sheet=name)
    if counter.counts["c"] > MAX_CELLS:
        raise DataError(f"Trang tính «{name}» có hơn {fmt_int(MAX_CELLS)} ô (kể cả ô trống); hãy chia nhỏ tệp.", loc)
    if counter.counts["row"] > MAX_CELLS:
        raise DataError(f"Trang tính «{name}» có hơn {fmt_int(MAX_CELLS)} dòng (kể cả dòng trống); hãy chia nhỏ tệp.", loc)


def _read_sheet(
    z: zipfile.ZipFile,
    path: str,
    name: str,
    hidden: bool,
    lookups: tuple[list[str], set[int]],
    file: str,
    budget: InflateBudget,
) -> Sheet:
    _count_sheet(z, path, name, file, budget)
    shared, percent = lookups
    cells: dict[tuple[int, int], object] = {}
    merges: list[tuple[int, int, int, int]] = []
    text: list[str] = []
    letters: dict[str, int] = {}
    row, col, ref, kind, style, in_text, pending = 0, -1, None, None, None, False, False

    # No end-element handler (it would run once per element, the main cost): a cell is stored when the
    # next cell, row or merge starts, or when the sheet ends; text is collected only inside <v>/<t>.
    def flush():
        nonlocal row, col, pending
        pending = False
        if ref:
            head = ref.rstrip("0123456789")
            tail = ref[len(head):]
            if tail and 0 < len(head) <= 3 and head.isascii() and head.isalpha() and head.isupper():
                c = letters.get(head)
                if c is None:
                    c = letters[head] = column_index(head)
                col, row = c, int(tail) - 1
        value = _cell_value("".join(text).strip(), kind, style, shared, percent)
        if value is not None:
            if len(cells) >= MAX_CELLS:
                raise _TooBig
            cells[(row, col)] = value

    def start(tag, attrs):
        nonlocal row, col, ref, kind, style, in_text, pending
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "v" or tag == "t":
            in_text = True
            return
        in_text = False
        if pending and (tag == "c" or tag == "row"):
            flush()
        if tag == "c":
            ref, kind, style = attrs.get("r"), attrs.get("t"), attrs.get("s")
            col += 1
            text.clear()
            pending = True
        elif tag == "row":
            r = attrs.get("r")
            row = int(r) - 1 if r and r.isdigit() else row + 1
            col = -1
        elif tag == "mergeCell" and len(merges) < MAX_MERGES:
            _add_merge(merges, attrs.get("ref", ""))

    def chars(data):
        if in_text:
            text.append(data)

    try:
        _parse(inflate_chunks(z, path, budget, file), start, None, chars, file=file, part=path)
        if pending:
            flush()
    except _TooBig:
        raise DataError(
            f"Trang tính «{name}» có hơn {fmt_int(MAX_CELLS)} ô; hãy chia nhỏ tệp.",
            Location(file=file, sheet=name),
        ) from None
    return Sheet(name, _grid(cells, Location(file=file, sheet=name)), merges, hidden)


class _TooBig(Exception):
    pass


def _cell_value(text: str, kind: str | None, style: str | None, shared: list[str], percent: set[int]) -> object:
    if kind == "s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            return None
    if kind in ("str", "inlineStr", "e"):
        return text if text != "" else None
    if kind == "b":
        return "TRUE" if text == "1" else "FALSE"
    if text == "":
        return None
    try:
        x = float(text)
    except ValueError:
        return text
    if not math.isfinite(x):
        return text  # "NaN"/"INF" written by a script: reported as not a number
    if style is not None and style.isdigit() and int(style) in percent:
        x = round(x * 100.0, 10)
    return x


def _add_merge(merges: list[tuple[int, int, int, int]], ref: str) -> None:
    a, _, b = ref.partition(":")
    ma, mb = _REF.fullmatch(a), _REF.fullmatch(b or a)
    if ma and mb:
        r0, c0 = int(ma.group(2)) - 1, column_index(ma.group(1))
        r1, c1 = int(mb.group(2)) - 1, column_index(mb.group(1))
        if 0 <= r0 <= r1 and 0 <= c0 <= c1:
            merges.append((r0, c0, r1, c1))


def _grid(cells: dict[tuple[int, int], object], where: Location) -> list[list[object]]:
    if not cells:
        return []
    n_rows = max(r for r, _ in cells) + 1
    n_cols = max(c for _, c in cells) + 1
    if n_cols > MAX_COLUMNS or n_rows > MAX_GRID_ROWS or n_rows * n_cols > 2 * MAX_CELLS:
        raise DataError(
            f"Trang tính quá rộng hoặc quá thưa (có ô ở dòng {fmt_int(n_rows)}, cột {n_cols}); "
            f"tối đa {fmt_int(MAX_GRID_ROWS)} dòng và {MAX_COLUMNS} cột — hãy xóa các ô thừa ở xa bảng số liệu.",
            where,
        )
    rows: list[list[object]] = [[None] * n_cols for _ in range(n_rows)]
    for (r, c), v in cells.items():
        if r >= 0 and c >= 0:
            rows[r][c] = v
    return rows
