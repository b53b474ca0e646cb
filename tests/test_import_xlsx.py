"""The xlsx cell reader on hand-written package parts: what Excel, LibreOffice and scripts produce."""
from __future__ import annotations

import io
import zipfile

import pytest

from chiso.errors import DataError
from chiso.io.xlsx import read_xlsx, sheet_names

NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
NS += 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<x:workbook {NS}><x:sheets>
<x:sheet name="Ẩn" sheetId="2" state="hidden" r:id="rId2"/>
<x:sheet name="Báo cáo" sheetId="1" r:id="rId1"/>
</x:sheets></x:workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/>
</Relationships>"""
SHARED = f"""<?xml version="1.0" encoding="UTF-8"?>
<x:sst {NS}>
<x:si><x:t>Tên đơn vị</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>Tỷ lệ </x:t></x:r><x:r><x:t>(%)</x:t></x:r><x:rPh><x:t>ignored</x:t></x:rPh></x:si>
</x:sst>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<x:styleSheet {NS}><x:numFmts><x:numFmt numFmtId="164" formatCode="0.0&quot;%&quot;"/>
<x:numFmt numFmtId="165" formatCode="0.00%"/></x:numFmts>
<x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="10"/><x:xf numFmtId="165"/><x:xf numFmtId="164"/></x:cellXfs></x:styleSheet>"""
SHEET1 = f"""<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet {NS}><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
<x:row r="3">
  <x:c r="A3" t="inlineStr"><x:is><x:r><x:t>Xã </x:t></x:r><x:r><x:t>Một</x:t></x:r></x:is></x:c>
  <x:c r="B3" s="1"><x:v>0.9148</x:v></x:c>
  <x:c r="C3" s="2"><x:v>0.5</x:v></x:c>
  <x:c r="D3" s="3"><x:v>7.5</x:v></x:c>
  <x:c r="E3"><x:f>SUM(B3:D3)</x:f><x:v>8.9148</x:v></x:c>
  <x:c r="F3"><x:f>A1*2</x:f></x:c>
  <x:c r="G3" t="e"><x:v>#DIV/0!</x:v></x:c>
  <x:c r="H3" t="b"><x:v>1</x:v></x:c>
  <x:c r="I3" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>
  <x:c r="J3"><x:v>INF</x:v></x:c>
</x:row>
<x:row><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>
</x:sheetData><x:mergeCells><x:mergeCell ref="A1:B2"/><x:mergeCell ref="bad"/></x:mergeCells></x:worksheet>"""
SHEET2 = f'<x:worksheet {NS}><x:sheetData><x:row r="1"><x:c r="A1"><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>'


def package(**override: str) -> bytes:
    parts = {
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": RELS,
        "xl/sharedStrings.xml": SHARED,
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": SHEET1,
        "xl/worksheets/sheet2.xml": SHEET2,
    }
    parts.update(override)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
    return buf.getvalue()


def test_values_as_the_user_sees_them() -> None:
    sheets = read_xlsx(package(), "a.xlsx")
    assert [(s.name, s.hidden) for s in sheets] == [("Ẩn", True), ("Báo cáo", False)]
    rows = sheets[1].rows
    assert rows[0][:3] == ["Tên đơn vị", None, "Tỷ lệ (%)"]  # rich text joined, phonetic run dropped
    assert rows[1] == [None] * len(rows[1])
    a3, b3, c3, d3, e3, f3, g3, h3, i3, j3 = rows[2][:10]
    assert a3 == "Xã Một"
    assert b3 == 91.48 and c3 == 50.0  # percentage formats: built-in 10 and custom "0.00%"
    assert d3 == 7.5  # a quoted "%" in a format is literal text, not a percentage
    assert e3 == 8.9148 and f3 is None  # cached formula value; no cached value → empty
    assert (g3, h3, i3, j3) == ("#DIV/0!", "TRUE", "ab", "INF")
    assert rows[3][:2] == [1.0, 2.0]  # cells without references follow on
    assert sheets[1].merges == [(0, 0, 1, 1)]
    assert sheet_names(package(), "a.xlsx") == ["Ẩn", "Báo cáo"]


def test_wanted_sheet_only() -> None:
    assert [s.name for s in read_xlsx(package(), "a.xlsx", wanted="Báo cáo")] == ["Báo cáo"]


@pytest.mark.parametrize(
    "override,fragment",
    [
        ({"xl/worksheets/sheet1.xml": "<x:worksheet"}, "XML của «xl/worksheets/sheet1.xml» lỗi"),
        ({"xl/styles.xml": '<!DOCTYPE s SYSTEM "http://example.com/x.dtd"><s/>'}, "không an toàn"),
        ({"xl/worksheets/sheet1.xml": SHEET1.replace('r="J3"', 'r="ZZZ3"')}, "quá rộng"),
    ],
)
def test_broken_parts(override: dict[str, str], fragment: str) -> None:
    with pytest.raises(DataError, match=fragment):
        read_xlsx(package(**override), "a.xlsx")
