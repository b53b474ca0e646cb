"""Học chỉ số, from the rulebook: guide entries, version diff, curves, cheat sheet — and a modified rulebook file.

Every expected number is read from the rulebook or computed by the engine (``chiso.engine.score``).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chiso.guide.cheatsheet import cheatsheet_html, cheatsheet_notes
from chiso.engine import score
from chiso.fmt import fmt_percent
from chiso.guide.text import (
    POLICY_VI,
    changes_by_kind,
    commune_reachable_max,
    diff_rulebooks,
    fmt_max,
    indicator_numbers,
    rulebook_guide,
)
from chiso.cohort import rank_in_cohort
from chiso.guide.calc import count_grid, rate_curve, smallest_steps
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS, RULEBOOK_DIR, available_rulebooks, load_rulebook
from ui.safe_md import md

SHIPPED = available_rulebooks()


def modified_rulebook(tmp_path: Path, name: str = "tap-huan.toml", title: str | None = None) -> Path:
    """portal-2026 with 1.1 worth 5 points (1.3 worth 3 to keep the group at 18) and online submission full at 60%."""
    text = (RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8")
    text = text.replace('id = "portal-2026"', f'id = "{Path(name).stem}"', 1)
    text = _in_block(text, "PUBLISH_ON_TIME", "max = 6", "max = 5")
    text = _in_block(text, "PUBLIC_CONTENT_FULL", "max = 2", "max = 3")
    text = _in_block(text, "ONLINE_SUBMISSION", "threshold = 0.5", "threshold = 0.6")
    if title is not None:
        text = _in_block(text, "PUBLISH_ON_TIME", 'name_vi = "Tỷ lệ TTHC công bố đúng hạn"', f"name_vi = {title}")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _in_block(text: str, code: str, old: str, new: str) -> str:
    """Replace ``old`` once inside the [[indicators]] block whose code is ``code``."""
    start = text.index(f'code = "{code}"')
    end = text.find("[[indicators]]", start)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert old in block, (code, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


def points(rb, code: str, num: float, den: float, level: str = "commune") -> float:
    """One indicator's points for one bare unit, through the engine's DataFrame entry point."""
    ind = rb.indicator(code)
    frame = pd.DataFrame([{"unit_code": "X", "level": level, ind.numerator: num, ind.denominator: den}])
    return float(score(frame, rb).points[0, rb.indicator_codes.index(code)])


# ---------------------------------------------------------------- the guide is the rulebook


@pytest.mark.parametrize("rb_id", SHIPPED)
def test_every_indicator_appears_once_with_its_rulebook_numbers(rb_id):
    rb = load_rulebook(rb_id)
    guide = rulebook_guide(rb)
    assert [gg.group.code for gg in guide] == rb.group_codes
    entries = [ig for gg in guide for ig in gg.indicators]
    assert [ig.code for ig in entries] == rb.indicator_codes
    for gg in guide:
        assert gg.title_vi == f"{gg.number}. {gg.group.name_vi} — {fmt_max(gg.group.max)} điểm"
        assert sum(ig.indicator.max for ig in gg.indicators) == pytest.approx(gg.group.max)
    for ig in entries:
        ind = ig.indicator
        assert ig.numerator_vi == rb.input(ind.numerator).name_vi
        assert ig.denominator_vi == rb.input(ind.denominator).name_vi
        assert f"— {fmt_max(ind.max)} điểm" in ig.title_vi and ind.name_vi in ig.title_vi
        assert [lvl for lvl, _, _ in ig.levels] == [LEVEL_NAMES_VI[x] for x in LEVELS]
        assert [p for _, p, _ in ig.levels] == [ind.policy[x] for x in LEVELS]
        assert [t for _, _, t in ig.levels] == [POLICY_VI[ind.policy[x]] for x in LEVELS]
        assert ig.commune_movable == ind.movable_at("commune")
        if ind.curve == "threshold" and ind.threshold < 1:
            assert fmt_percent(ind.threshold) in ig.curve_vi
        else:
            assert "Tuyến tính" in ig.curve_vi
    assert indicator_numbers(rb)[rb.indicator_codes[0]] == "1.1"


def test_commune_policies_said_plainly():
    rb = load_rulebook("portal-2026")
    by_code = {ig.code: ig for gg in rulebook_guide(rb) for ig in gg.indicators}
    assert by_code["PUBLISH_ON_TIME"].commune_vi.startswith("Không: xã, phường nhận nguyên giá trị của tỉnh")
    assert by_code["ELECTRONIC_CERTIFIED_COPY"].commune_vi.startswith("Không cần")
    assert by_code["ONLINE_SERVICE_PROVISION"].commune_vi.startswith("Không: xã, phường không được tính")
    assert by_code["PROGRESS_ON_TIME"].commune_vi.startswith("Có")
    assert commune_reachable_max(rb) == 100 - rb.indicator("ONLINE_SERVICE_PROVISION").max


def test_a_modified_rulebook_file_changes_the_guide(tmp_path):
    rb = load_rulebook(str(modified_rulebook(tmp_path)))
    by_code = {ig.code: ig for gg in rulebook_guide(rb) for ig in gg.indicators}
    assert by_code["PUBLISH_ON_TIME"].title_vi == "1.1. Tỷ lệ TTHC công bố đúng hạn — 5 điểm"
    assert by_code["PUBLIC_CONTENT_FULL"].title_vi.endswith("— 3 điểm")
    assert "từ 60% trở lên" in by_code["ONLINE_SUBMISSION"].curve_vi
    kinds = {(c.kind, c.code) for c in diff_rulebooks(load_rulebook("portal-2026"), rb)}
    assert kinds == {
        ("indicator_max", "PUBLISH_ON_TIME"),
        ("indicator_max", "PUBLIC_CONTENT_FULL"),
        ("curve", "ONLINE_SUBMISSION"),
    }
    texts = [c.text_vi for c in diff_rulebooks(load_rulebook("portal-2026"), rb)]
    assert "«Tỷ lệ TTHC công bố đúng hạn»: tối đa 6 → 5 điểm." in texts
    assert "«Tỷ lệ hồ sơ nộp trực tuyến»: đủ điểm từ 50% → đủ điểm từ 60%." in texts
    # the curve drawn for the guide is the engine's, under the new threshold
    full = rate_curve(rb, "ONLINE_SUBMISSION", np.array([0.55, 0.6]))
    assert full[1] == rb.indicator("ONLINE_SUBMISSION").max > full[0]


# ---------------------------------------------------------------- what changed between versions


def test_diff_between_the_shipped_versions():
    old, new = load_rulebook("qd766-2022"), load_rulebook("portal-2026")
    assert diff_rulebooks(new, new) == []
    changes = diff_rulebooks(old, new)
    kinds = {(c.kind, c.code) for c in changes}
    assert ("group_added", "ONLINE_PAYMENT") in kinds
    assert ("group_max", "ONLINE_SERVICES") in kinds
    for code in ("ONLINE_PAYMENT_DOSSIERS", "ONLINE_PAYMENT_PROCEDURES", "FEE_PROCEDURES_INTEGRATED"):
        assert ("indicator_group", code) in kinds
    for kind in ("curve", "zero_rule", "policy", "indicator_name"):
        assert (kind, "ELECTRONIC_CERTIFIED_COPY") in kinds
    text = {c.kind: c.text_vi for c in changes if c.code == "ONLINE_SERVICES"}
    g_old, g_new = old.group("ONLINE_SERVICES").max, new.group("ONLINE_SERVICES").max
    assert f"tối đa {fmt_max(g_old)} → {fmt_max(g_new)} điểm" in text["group_max"]
    back = {(c.kind, c.code) for c in diff_rulebooks(new, old)}
    assert ("group_removed", "ONLINE_PAYMENT") in back
    # scoring changes are listed before renames and confidence labels
    headings = [h for h, _ in changes_by_kind(changes)]
    assert headings.index("Nhóm mới") < headings.index("Tên nhóm") < headings.index("Độ tin cậy")
    assert sum(len(items) for _, items in changes_by_kind(changes)) == len(changes)


# ---------------------------------------------------------------- curves and small calculations


@pytest.mark.parametrize("rb_id", SHIPPED)
def test_rate_curve_is_the_engine(rb_id):
    rb = load_rulebook(rb_id)
    rates = np.array([0.0, 0.123, 0.5, 0.79, 0.8, 0.95, 1.0])
    for code in rb.indicator_codes:
        curve = rate_curve(rb, code, rates)
        expected = [points(rb, code, r * 1000, 1000) for r in rates]
        np.testing.assert_allclose(curve, expected)
        assert np.all(np.diff(curve) >= 0), code  # never falls as the rate grows


def test_small_calculations():
    assert smallest_steps(lambda k: k * 0.3, 1.0, 10) == 4
    assert smallest_steps(lambda k: k * 0.3, 1.0, 3) is None
    assert smallest_steps(lambda k: 5.0, 1.0, 0) == 0
    grid = count_grid(37, 1000, size=11)
    assert grid[0] == 0 and grid[-1] == 1000 and 37 in grid
    assert list(count_grid(2, 3)) == [0, 1, 2, 3]
    totals, levels = np.array([50.0, 70.0, 60.0, 90.0]), np.array([3, 3, 3, 2])
    assert rank_in_cohort(totals, levels, 0) == (3, 3)
    assert rank_in_cohort(totals, levels, 0, 75.0) == (1, 3)


def test_markdown_escaping_neutralises_unit_names():
    hostile = "UBND [xã](https://evil.example) <b>x</b> $\\alpha$ **đậm** `code` ![i](x.png)"
    escaped = md(hostile)
    for ch in "[]()<>$*`!":
        assert re.search(rf"(?<!\\){re.escape(ch)}", escaped) is None, ch
    assert md("Phường 1") == "Phường 1"


# ---------------------------------------------------------------- cheat sheet


@pytest.mark.parametrize("rb_id", SHIPPED)
def test_cheatsheet_has_every_indicator_and_no_external_resource(rb_id):
    rb = load_rulebook(rb_id)
    page = cheatsheet_html(rb)
    assert page.startswith("<!DOCTYPE html>") and "@page" in page and "@media print" in page
    for ind in rb.indicators:
        assert html.escape(ind.name_vi, quote=True) in page
    for gg in rulebook_guide(rb):
        assert html.escape(gg.title_vi) in page
        for ig in gg.indicators:
            assert f'<td class="num">{ig.number}</td>' in page
    assert not re.search(r"<script|https?://|src=|@import", page)
    assert html.escape(rb.id) in page


def test_cheatsheet_follows_the_rulebook_file_and_escapes_it(tmp_path):
    path = modified_rulebook(tmp_path, "tap-huan-xss.toml", title='"Tỷ lệ <script>alert(1)</script> & co"')
    rb = load_rulebook(str(path))
    page = cheatsheet_html(rb)
    assert "<script>" not in page
    assert "Tỷ lệ &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert re.search(r'<td class="num">1\.1</td><td>[^<]*</td><td class="num">5</td><td>5 × tỷ lệ</td>', page)
    assert re.search(r'<td class="num">1\.3</td><td>[^<]*</td><td class="num">3</td><td>3 × tỷ lệ</td>', page)
    assert "6 × min(1; tỷ lệ ÷ 60%)" in page
    notes = " ".join(cheatsheet_notes(rb))
    assert f"{indicator_numbers(rb)['ONLINE_SUBMISSION']} từ 60%" in notes


@pytest.mark.parametrize("rb_id", SHIPPED)
def test_cheatsheet_footer_names_the_version_not_a_file(rb_id):
    rb = load_rulebook(rb_id)
    foot = re.search(r"<p class='foot'>(.*?)</p>", cheatsheet_html(rb)).group(1)
    assert ".toml" not in foot
    assert html.escape(rb.name_vi) in foot and rb.id in foot
