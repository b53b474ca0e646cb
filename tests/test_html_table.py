"""ui/html_table.py: read-only tables as one HTML element — every header and cell escaped (unit names,
provenance and file column names are user data), numbers aligned right, wide tables marked for phones."""
from __future__ import annotations

import pandas as pd

from ui.html_table import TABLE_CLASS, html_table


def test_cells_and_headers_are_escaped_text():
    hostile = '<img src=x onerror=alert(1)> **đậm** [a](https://evil.example) $x^2$'
    frame = pd.DataFrame({"Tên <b>": [hostile], "Điểm": ["1.234,5"]})
    out = html_table(frame, numeric=["Điểm"])
    assert "<img" not in out and "<b>" not in out
    assert "&lt;img src=x onerror=alert(1)&gt; **đậm**" in out and "<th>Tên &lt;b&gt;</th>" in out
    assert '<td class="num">1.234,5</td>' in out
    assert out.startswith(f'<div class="{TABLE_CLASS}"><table>')


def test_wide_tables_are_marked_and_rows_kept_in_order():
    frame = pd.DataFrame({"a": ["1", "2", "3"], "b": ["x", "y", "z"]})
    out = html_table(frame, wide=True)
    assert out.startswith(f'<div class="{TABLE_CLASS} wide">')
    assert out.index("<td>1</td><td>x</td>") < out.index("<td>2</td><td>y</td>") < out.index("<td>3</td>")
    assert out.count("<tr>") == 4  # header + 3 rows
