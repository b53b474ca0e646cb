"""The one-page print summary keeps its visible output: the page rendered now is compared, tag by tag and
text by text, with the page the f-string version printed (tests/fixtures/summary/*.txt) on the Phú Thọ and
Tây Ninh samples. Quote style, entity spelling and whitespace are not compared: a browser shows them alike.
"""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from chiso.calibration import baseline, published_group_points
from chiso.engine import input_matrix
from chiso.reports.meta import ExportMeta
from chiso.reports.summary import unit_summary_html
from chiso.reports.unit_report import UnitReport, UnitScenario
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample
from chiso.scenario import lever_rooms, score_scenarios

GOLDEN = Path(__file__).parent / "fixtures" / "summary"
EVIL = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> & \'a\''
# (sample, row, levers by position in the rulebook: how many to add, name override)
CASES = {
    "phu-tho-changed": ("phu-tho", 0, {0: 100, 1: 20}, None),
    "phu-tho-unchanged-evil": ("phu-tho", 5, {}, EVIL),
    "tay-ninh-changed": ("tay-ninh", 0, {0: 30, 2: 5}, None),
    "tay-ninh-evil": ("tay-ninh", 3, {1: 10}, EVIL),
}


class _Tokens(HTMLParser):
    """Tags (attributes sorted) and the visible text, entities decoded and whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}" + "".join(f" {k}={v!r}" for k, v in sorted(attrs)) + ">")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.out.append(text)


def tokens(page: str) -> str:
    p = _Tokens()
    p.feed(page)
    p.close()
    return "\n".join(p.out) + "\n"


def build(key: str) -> UnitReport:
    sample_key, i, by_pos, name = CASES[key]
    s = sample(sample_key)
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    base = baseline(table, rb)
    x = input_matrix(table.frame, rb)
    level, code, held = str(table.frame["level"][i]), str(table.frame["unit_code"][i]), float(base.held[i])
    levers = {rb.levers[k].key: n for k, n in by_pos.items()}
    d = np.array([levers.get(lv.key, 0) for lv in rb.levers], dtype=float)
    meta = ExportMeta(rb=rb, source_label=name or s.label_vi, period=s.period, synthetic=table.synthetic,
                      created=date(2026, 10, 1))
    return UnitReport(
        meta=meta, unit_code=code, unit_name=name or str(table.frame["unit_name"][i]), level=level,
        official_total=float(table.frame["published_total"][i]) if "published_total" in table.frame else float("nan"),
        base=score_scenarios(x[i], level, rb, held, d * 0, code), base_rank=12, cohort_size=40,
        rooms=lever_rooms(x[i], level, rb),
        current=UnitScenario(name or "Kịch bản 1", levers, score_scenarios(x[i], level, rb, held, d, code), 7),
        official_groups=published_group_points(table.frame, rb, i),
    )


@pytest.mark.parametrize("key", sorted(CASES))
def test_summary_page_shows_what_it_showed(key):
    assert tokens(unit_summary_html(build(key))) == (GOLDEN / f"{key}.txt").read_text(encoding="utf-8")


def test_summary_page_escapes_user_text():
    page = unit_summary_html(build("tay-ninh-evil"))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert EVIL in tokens(page)  # shown as text, exactly
