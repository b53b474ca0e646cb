"""Generate the hostile-input corpus (issue 11) into a folder: nothing large is checked in.

    python tests/hostile/make_corpus.py OUT_DIR

Each entry reproduces a probe of the issue: the 184 KB xlsx of 47 million empty cells, a zip member
lying about its size, a million-row CSV, JSON nested 100,000 deep, a 49 MB portal JSON, and the
portal values that slipped through (400-digit integers, "abc" scores, NaN, on-time > received,
duplicate ids). ``CORPUS`` maps a file name to the builder that writes it.
"""
from __future__ import annotations

import copy
import json
import struct
import sys
import zipfile
from pathlib import Path
from typing import Callable

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "portal" / "phu-tho-2026-q3"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_WB = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_HEAD = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên đơn vị</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Tổng số hồ sơ tiếp nhận</t></is></c></row>'
)
_TAIL = "</sheetData></worksheet>"


def _workbook(path: Path, body_chunks, repeat: int = 1) -> None:
    """A one-sheet workbook whose sheet XML is ``_HEAD + body × repeat + _TAIL``, streamed to disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(_HEAD.encode())
            for _ in range(repeat):
                f.write(body_chunks)
            f.write(_TAIL.encode())


def empty_cells_xlsx(path: Path) -> None:
    """47 million ``<c/>`` in one row: about 184 KB zipped (the issue's probe)."""
    _workbook(path, b'<row r="2">' + b"<c/>" * 1_000_000 + b"</row>", repeat=47)


def empty_rows_xlsx(path: Path) -> None:
    """Five million empty ``<row/>`` elements."""
    _workbook(path, b"<row/>" * 1_000_000, repeat=5)


def far_cell_xlsx(path: Path) -> None:
    """One value in row 1,000,000: a grid of a million rows from a few hundred bytes."""
    _workbook(path, b'<row r="1000000"><c r="B1000000"><v>1</v></c></row>')


def lying_size_xlsx(path: Path) -> None:
    """A sheet of 400 MB of spaces whose zip headers claim 1,000 bytes (the 2,6 MB probe, smaller)."""
    _workbook(path, b" " * (1024 * 1024), repeat=400)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := data.find(sig, at)) != -1:
            name_len = struct.unpack_from("<H", data, at + (28 if sig == b"PK\x01\x02" else 26))[0]
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            if bytes(data[name_at:name_at + name_len]) == name:
                struct.pack_into("<I", data, size_at + at, 1000)
                _patch_zip64(data, at, sig, name_len)
            at += 4
    path.write_bytes(bytes(data))


def _patch_zip64(data: bytearray, at: int, sig: bytes, name_len: int) -> None:
    """force_zip64 puts the real sizes in an extra field: claim 1,000 bytes there too."""
    extra_len = struct.unpack_from("<H", data, at + (30 if sig == b"PK\x01\x02" else 28))[0]
    extra_at = at + (46 if sig == b"PK\x01\x02" else 30) + name_len
    end = extra_at + extra_len
    while extra_at + 4 <= end:
        tag, size = struct.unpack_from("<HH", data, extra_at)
        if tag == 1:
            struct.pack_into("<Q", data, extra_at + 4, 1000)  # the uncompressed size comes first
        extra_at += 4 + size


def inflates_past_budget_xlsx(path: Path) -> None:
    """A truthful sheet of 260 MB of spaces: more than the 200 MB inflate budget."""
    _workbook(path, b" " * (1024 * 1024), repeat=260)


def million_rows_csv(path: Path) -> None:
    """A million short rows, under the 20 MB byte limit: only the row count can refuse it."""
    rows = "".join(f"X{n};Xã {n};9\n" for n in range(1_000_000))
    path.write_text("Mã đơn vị;Tên đơn vị;Tổng số hồ sơ tiếp nhận\n" + rows, encoding="utf-8")


def deep_portal_json(path: Path) -> None:
    path.write_bytes(b'{"data":' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def deep_scenario_json(path: Path) -> None:
    path.write_bytes(b'{"levers":' + b'{"a":' * 10_000 + b"1" + b"}" * 10_001)


def _sample(endpoint: str) -> dict:
    return json.loads((SAMPLE / f"{endpoint}.json").read_text(encoding="utf-8"))


def big_portal_json(path: Path) -> None:
    """49 MB of a real response: its unit list repeated (the issue's 81 s, 3 GB probe)."""
    doc = _sample("dossier-digitized")
    units = doc["data"]["evaluation"]
    one = len(json.dumps(units[0], ensure_ascii=False).encode())
    doc["data"]["evaluation"] = [units[n % len(units)] for n in range(49 * 1024 * 1024 // one)]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def many_units_json(path: Path) -> None:
    """Under the byte limit but 30,000 units: refused on the count before any row is built."""
    doc = _sample("dvc-progress-tree")
    child = doc["data"]["children"][0]
    doc["data"]["children"] = [dict(child, departmentId=f"id-{n}") for n in range(30_000)]
    path.write_text(json.dumps(doc), encoding="utf-8")


def _tree_with(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        doc = _sample("dvc-progress-tree")
        change(doc["data"]["children"])
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=True), encoding="utf-8")

    return build


def _set(field: str, value: object) -> Callable[[list], None]:
    def change(children: list) -> None:
        children[0][field] = value

    return change


def _raw_int(path: Path) -> None:
    _tree_with(_set("totalReceived", 7))(path)
    text = path.read_text(encoding="utf-8").replace('"totalReceived": 7', '"totalReceived": ' + "9" * 400, 1)
    path.write_text(text, encoding="utf-8")


def _on_time_over(children: list) -> None:
    children[0].update(totalReceived=5, totalOnTime=50)


def _duplicate(children: list) -> None:
    children.append(dict(copy.deepcopy(children[1]), departmentName="Bản sao " + children[1]["departmentName"],
                         departmentId=children[0]["departmentId"]))


CORPUS: dict[str, Callable[[Path], None]] = {
    "empty-cells.xlsx": empty_cells_xlsx,
    "empty-rows.xlsx": empty_rows_xlsx,
    "far-cell.xlsx": far_cell_xlsx,
    "lying-size.xlsx": lying_size_xlsx,
    "inflates-past-budget.xlsx": inflates_past_budget_xlsx,
    "million-rows.csv": million_rows_csv,
    "deep-portal.json": deep_portal_json,
    "deep-scenario.json": deep_scenario_json,
    "big-portal.json": big_portal_json,
    "many-units.json": many_units_json,
    "huge-int.json": _raw_int,
    "score-abc.json": _tree_with(_set("totalScore", "abc")),
    "nan.json": _tree_with(_set("totalOnTime", float("nan"))),
    "infinity.json": _tree_with(_set("totalReceived", float("inf"))),
    "on-time-over-received.json": _tree_with(_on_time_over),
    "duplicate-id.json": _tree_with(_duplicate),
}


def make(out: Path, names: list[str] | None = None) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for name in names or list(CORPUS):
        CORPUS[name](out / name)
        made[name] = out / name
    return made


if __name__ == "__main__":
    for name, p in make(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")).items():
        print(f"{p.stat().st_size:>12,}  {name}")
