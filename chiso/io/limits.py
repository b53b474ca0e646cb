"""Every size limit of the importers in one place, and the helpers that enforce them *before* the work.

A hostile file must be refused in seconds and a few MB of memory, so each limit is checked while the
bytes stream in (inflated zip members, CSV rows, JSON brackets), never after a full parse. The numbers
leave room for the whole country in one file: 3,321 communes and about 700 departments, four periods.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from chiso.errors import DataError, Location
from chiso.fmt import fmt_int, fmt_number

MAX_UNITS = 20_000  # units (data rows) in one source: a file, or the portal JSON set
MAX_GRID_ROWS = MAX_UNITS + 1_000  # room for title, header, blank, total and note rows
MAX_CELLS = MAX_GRID_ROWS * 80  # cells of a sheet, empty ones included: 1.680.000, the widest canonical file
# (20.000 units with the published points of every indicator: 70 columns) and a few columns of the user's own
MAX_COLUMNS = 1_000
MAX_TABLE_BYTES = 20 * 1024 * 1024  # one CSV/XLSX upload
MAX_UNZIPPED = 200 * 1024 * 1024  # inflated bytes of the xlsx parts we read, counted as they inflate
MAX_JSON_BYTES = 16 * 1024 * 1024  # one portal JSON file (a nationwide commune list is about 6 MB)
MAX_JSON_DEPTH = 64  # portal responses nest 4 deep; a scenario 2
MAX_UPLOAD_MB = max(MAX_TABLE_BYTES, MAX_JSON_BYTES) // (1024 * 1024)  # the largest file any importer accepts
# Streamlit's server.maxUploadSize (.streamlit/config.toml; tests/test_deploy_config.py): kept above ours, because
# its browser side counts decimal MB on Linux and macOS (20 MB = 20.000.000 bytes < 20 MiB) and refuses in
# English; a file a little over our limit then reaches the importer and is refused in Vietnamese with its name
STREAMLIT_UPLOAD_MB = MAX_UPLOAD_MB + 5
_CHUNK = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{fmt_int(n)} byte"


def check_file_size(name: str, size: int) -> None:
    """Refuse a file over its importer's limit (portal JSON, or CSV/XLSX) by its size, before reading it."""
    is_json = name.lower().endswith(".json")
    limit = MAX_JSON_BYTES if is_json else MAX_TABLE_BYTES
    if size > limit:
        what = "Tệp JSON" if is_json else "Tệp CSV/XLSX"
        size_mb = fmt_number(size / 1024 / 1024, 1, trim=False)
        raise DataError(f"{what} lớn hơn giới hạn {_mb(limit)} ({size_mb} MB); hãy chia nhỏ tệp.", Location(file=name))


# ---------------------------------------------------------------- zip members


@dataclass
class InflateBudget:
    """Inflated bytes still allowed for one workbook (shared by all the parts read from it)."""

    limit: int = MAX_UNZIPPED
    left: int = -1

    def __post_init__(self) -> None:
        if self.left < 0:
            self.left = self.limit


def inflate_chunks(z: zipfile.ZipFile, name: str, budget: InflateBudget, file: str):
    """Yield a zip member in chunks of at most 1 MB of *real* inflated bytes, stopping at the budget.

    ``ZipFile.read`` inflates a whole member at once and trusts the size in its header, so a member
    lying about its size inflates gigabytes before anything checks it; small reads bound every step.
    Raises KeyError when the member does not exist.
    """
    try:
        with z.open(name) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    return
                budget.left -= len(chunk)
                if budget.left < 0:
                    raise DataError(
                        f"Tệp Excel khi giải nén lớn hơn {_mb(budget.limit)}; hãy chia nhỏ tệp.",
                        Location(file=file),
                    )
                yield chunk
    except KeyError:
        raise
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        # BadZipFile also covers a CRC mismatch (a false size in the header), RuntimeError an encrypted entry
        raise DataError(f"Tệp Excel bị hỏng (phần «{name}» không giải nén được).", Location(file=file)) from None


def read_member(z: zipfile.ZipFile, name: str, budget: InflateBudget, file: str) -> bytes | None:
    """A whole (small) member through :func:`inflate_chunks`; None when it does not exist."""
    try:
        return b"".join(inflate_chunks(z, name, budget, file))
    except KeyError:
        return None


# ---------------------------------------------------------------- counting XML elements while streaming


class TagCounter:
    """Counts start tags named ``names`` (any namespace prefix) across chunk boundaries, in C."""

    def __init__(self, names: tuple[str, ...]) -> None:
        alt = "|".join(names)
        self._pattern = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(" + alt.encode() + rb")[\s/>]")
        self._tail = b""
        self.counts = dict.fromkeys(names, 0)

    def feed(self, chunk: bytes) -> None:
        buf = self._tail + chunk
        cut = buf.rfind(b"<")
        if cut == -1 or len(buf) - cut > 256:  # the last "<" starts no tag we could miss
            cut = len(buf)
        self._tail = buf[cut:]
        for tag in self._pattern.findall(buf, 0, cut):
            self.counts[tag.decode()] += 1

    def finish(self) -> None:
        self.feed(b"  ")


# ---------------------------------------------------------------- JSON


_JSON_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)  # possessive: linear, no backtracking
_BRACKETS_ONLY = bytes(range(256)).translate(None, b"[]{}")  # every byte except brackets, to delete
_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1


def json_depth(data: bytes) -> int:
    """Deepest nesting of ``data`` without parsing it: strings blanked, brackets summed (C and numpy)."""
    brackets = _JSON_STRING.sub(b'""', data).translate(None, _BRACKETS_ONLY)
    if not brackets:
        return 0
    steps = _DEPTH_STEP[np.frombuffer(brackets, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int32).max())


def check_json_bounds(data: bytes, file: str, max_bytes: int, what: str = "Tệp JSON") -> None:
    """Refuse JSON too big or nested too deep before ``json.loads`` (which would recurse and allocate)."""
    if len(data) > max_bytes:
        size = fmt_number(len(data) / 1024 / 1024, 1, trim=False)
        limit = f"{max_bytes // (1024 * 1024)} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024} KB"
        raise DataError(f"{what} lớn hơn giới hạn {limit} ({size} MB); hãy chia nhỏ tệp.", Location(file=file))
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise DataError(
            f"{what} lồng nhau quá sâu ({fmt_int(depth)} cấp, tối đa {MAX_JSON_DEPTH} cấp); không phải dữ liệu hợp lệ.",
            Location(file=file),
        )
