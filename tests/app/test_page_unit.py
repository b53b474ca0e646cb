"""Đơn vị: metrics from the engine, every indicator with its rule, group bars with Vietnamese labels."""
from __future__ import annotations

from html.parser import HTMLParser

from chiso.fmt import fmt_points
from ui.html_table import TABLE_CLASS

from conftest import metric, open_page


class _Cells(HTMLParser):
    """The header and body cells of one table drawn by ui.html_table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at) -> list[dict[str, list[str]]]:
    """Each indicator table of the page as {column: cells}."""
    out = []
    for h in at.get("html"):
        if f'class="{TABLE_CLASS}' in h.proto.body:
            parser = _Cells()
            parser.feed(h.proto.body)
            head, *rows = parser.rows
            out.append({c: [r[n] for r in rows] for n, c in enumerate(head)})
    return out


def test_unit_breakdown_matches_engine(sample):
    code = sample.first("commune")
    at = open_page("pages/unit.py", state={"unit_code": code})
    i = sample.index(code)
    assert at.selectbox(key="unit_pick_unit").value == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[i])
    assert metric(at, "Điểm không có trong tệp").value == fmt_points(sample.base.held[i])
    tables = html_tables(at)
    assert sum(len(t["Chỉ tiêu"]) for t in tables) == len(sample.rb.indicators)
    rules = " ".join(" ".join(t["Quy tắc áp dụng"]) for t in tables)
    assert "Cấp này luôn được đủ điểm" in rules and "cấp tỉnh" in rules
    bars = {p.proto.text.split(":")[0]: p for p in at.get("progress")}
    for n, g in enumerate(sample.rb.groups):  # each group's points against its maximum, formatted the VN way
        got = float(sample.base.group_points[i, n])
        assert fmt_points(got) in bars[g.name_vi].proto.text
        assert abs(bars[g.name_vi].proto.value - 100 * min(1.0, got / g.max)) < 1  # Streamlit keeps whole %


def test_switching_unit(sample):
    at = open_page("pages/unit.py")
    code = sample.first("department")
    at.selectbox(key="unit_pick_unit").set_value(code).run()
    assert at.session_state["unit_code"] == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[sample.index(code)])
