"""CSV / TSV bytes → a grid of text cells, whatever Excel or a script wrote.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode Text"), and, as a last resort,
Windows-1258 (with a warning, since Vietnamese marks may then be wrong). Separators: ";", ",", tab or
"|", chosen by which one splits the first lines most consistently (Excel in vi-VN writes ";").
"""
from __future__ import annotations

import csv
import io

from chiso.errors import DataError, Location
from chiso.fmt import fmt_int
from chiso.io.limits import MAX_CELLS, MAX_COLUMNS, MAX_GRID_ROWS, MAX_UNITS
from chiso.io.xlsx import Sheet

SEPARATORS = (";", "\t", ",", "|")
_SNIFF_CHARS = 64 * 1024  # the separator is decided on the first lines only


def decode(data: bytes, file: str, warnings: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError("Tệp UTF-16 bị hỏng, không đọc được.", Location(file=file)) from None
    if b"\x00" in data[:4096]:
        raise DataError(
            "Tệp không phải văn bản CSV (có byte rỗng); nếu là Excel hãy lưu dạng .xlsx, "
            "nếu là văn bản hãy lưu dạng «CSV UTF-8».",
            Location(file=file),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise DataError(
            "Không đọc được bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258). "
            "Hãy mở tệp bằng Excel và lưu lại dạng «CSV UTF-8 (Comma delimited)».",
            Location(file=file),
        ) from None
    warnings.append(
        "Tệp không phải UTF-8; đã đọc theo bảng mã Windows-1258. Hãy kiểm tra dấu tiếng Việt trong tên "
        "đơn vị; nếu sai, lưu lại tệp dạng «CSV UTF-8»."
    )
    return text


def sniff_separator(text: str) -> str:
    """The separator giving the most columns consistently over the first non-empty lines."""
    lines = [ln for ln in text[:_SNIFF_CHARS].splitlines()[:30] if ln.strip()]
    best, best_score = ",", -1.0
    for sep in SEPARATORS:
        counts = []
        for ln in lines:
            try:
                counts.append(len(next(csv.reader([ln], delimiter=sep))))
            except (csv.Error, StopIteration):
                counts.append(1)
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        modal = max(set(multi), key=multi.count)
        score = multi.count(modal) * modal
        if score > best_score:
            best, best_score = sep, score
    return best


def read_text(data: bytes, file: str, warnings: list[str], max_rows: int = MAX_GRID_ROWS) -> Sheet:
    """The file as a grid; rows, columns and cells are counted as they are read, so a file over a limit
    is refused at the limit, not after parsing a million rows."""
    text = decode(data, file, warnings)
    if not text.strip():
        raise DataError("Tệp rỗng, không có dữ liệu.", Location(file=file))
    sep = sniff_separator(text)
    rows: list[list[object]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            rows.append([c if c.strip() else None for c in row])
            width = max(width, len(row))
            _check_size(len(rows), width, max_rows, file)
    except csv.Error as exc:
        raise DataError(_csv_error_vi(exc, len(rows) + 1), Location(file=file, row=len(rows) + 1)) from None
    for r in rows:
        r.extend([None] * (width - len(r)))
    return Sheet("", rows)


def _csv_error_vi(exc: csv.Error, row: int) -> str:
    """Python's csv messages are English; the one a user's file causes (a huge cell) gets its own words."""
    if "field larger than field limit" in str(exc):
        return (
            f"Dòng {row} có một ô dài hơn {fmt_int(csv.field_size_limit())} ký tự, thường do một dấu ngoặc kép (\") "
            "không được đóng khiến phần còn lại của tệp thành một ô; hãy kiểm tra dòng này."
        )
    return f"Tệp CSV sai cấu trúc ở dòng {row}; hãy mở tệp bằng Excel và lưu lại dạng «CSV UTF-8»."


def _check_size(n_rows: int, width: int, max_rows: int, file: str) -> None:
    if n_rows > max_rows:
        raise DataError(
            f"Tệp CSV có hơn {fmt_int(max_rows)} dòng, vượt giới hạn {fmt_int(max_rows)} dòng của một tệp "
            f"(tối đa {fmt_int(MAX_UNITS)} đơn vị); hãy chia nhỏ tệp.",
            Location(file=file, row=n_rows),
        )
    if width > MAX_COLUMNS or n_rows * width > MAX_CELLS:
        raise DataError(
            f"Tệp CSV quá lớn (đến dòng {fmt_int(n_rows)} đã có {width} cột; tối đa {MAX_COLUMNS} cột và "
            f"{fmt_int(MAX_CELLS)} ô); hãy chia nhỏ tệp.",
            Location(file=file, row=n_rows),
        )
