"""A printable one-page cheat sheet of a rulebook: self-contained HTML with print CSS, every text escaped.

Generated from the rulebook (through ``chiso.guide.text``), so the sheet handed out in a training session is
the version the simulator scores with.
"""
from __future__ import annotations

import html

from chiso.guide.text import (
    CONFIDENCE_SHORT_VI,
    POLICY_SHORT_VI,
    ROUNDING_VI,
    ZERO_RULE_VI,
    commune_reachable_max,
    fmt_max,
    formula_vi,
    indicator_numbers,
    rulebook_guide,
)
from chiso.notes import REFERENCE_VI
from chiso.rulebook import Rulebook

CSS = """
@page { size: A4 landscape; margin: 8mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8pt; line-height: 1.2;
       color: #111; margin: 0 auto; max-width: 281mm; padding: 4mm; }
h1 { font-size: 13pt; margin: 0 0 1mm; }
.sub { margin: 0 0 2mm; color: #333; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.6pt solid #999; padding: 0.3mm 1.2mm; vertical-align: top; text-align: left; }
th { background: #e8eef6; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.group td { background: #f2f2f2; font-weight: bold; }
tr { break-inside: avoid; page-break-inside: avoid; }
.notes { display: grid; grid-template-columns: 1fr 1fr; gap: 1mm 6mm; margin-top: 2mm; }
.notes p { margin: 0; }
.foot { margin-top: 1.5mm; color: #444; font-size: 7.2pt; }
.hint { background: #fff8d6; padding: 1.5mm; margin-bottom: 2mm; border: 0.6pt solid #e0c200; }
@media print { .hint { display: none; } body { padding: 0; } }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _rows(rb: Rulebook) -> list[str]:
    rows = []
    for gg in rulebook_guide(rb):
        rows.append(f'<tr class="group"><td colspan="7">{_e(gg.title_vi)}</td></tr>')
        for ig in gg.indicators:
            ind = ig.indicator
            rows.append(
                "<tr>"
                f'<td class="num">{_e(ig.number)}</td>'
                f"<td>{_e(ind.name_vi)}</td>"
                f'<td class="num">{_e(fmt_max(ind.max))}</td>'
                f"<td>{_e(formula_vi(ind))}</td>"
                f"<td>{_e(ZERO_RULE_VI[ind.zero_rule])}</td>"
                f"<td>{_e(POLICY_SHORT_VI[ind.policy['commune']])}</td>"
                f"<td>{_e(CONFIDENCE_SHORT_VI[ind.confidence])}</td>"
                "</tr>"
            )
    return rows


def cheatsheet_notes(rb: Rulebook) -> list[str]:
    """The rules worth remembering, read from the rulebook (plain text)."""
    notes = [ROUNDING_VI]
    number = indicator_numbers(rb)  # the table names them; notes refer to them by number to fit one page
    free = [number[i.code] for i in rb.indicators if i.zero_rule == "full" and i.movable_at("commune")]
    if free:
        notes.append(
            f"Mẫu số bằng 0 (không phát sinh) được đủ điểm ở {', '.join(free)}: "
            "phát sinh đầu tiên mà xử lý không tốt có thể làm mất toàn bộ số điểm này."
        )
    capped = [i for i in rb.indicators if i.curve == "threshold" and i.threshold < 1.0]
    if capped:
        notes.append(
            "Có ngưỡng, vượt ngưỡng không được thêm điểm: "
            + "; ".join(f"{number[i.code]} từ {fmt_max(i.threshold * 100)}%" for i in capped)
            + "."
        )
    for lv in rb.levers:
        if len(lv.moves) > 1 and lv.note_vi:
            notes.append(f"{lv.name_vi}: {lv.note_vi}")
    fixed = {p: sum(i.max for i in rb.indicators if i.policy["commune"] == p) for p in ("inherited", "full", "zero")}
    notes.append(
        f"Cấp xã: tối đa có thể có {fmt_max(commune_reachable_max(rb))} điểm; {fmt_max(fixed['inherited'])} điểm "
        f"nhận theo tỉnh, {fmt_max(fixed['full'])} điểm luôn đủ, {fmt_max(fixed['zero'])} điểm không được tính."
    )
    if rb.bands:
        notes.append("Xếp loại: " + " · ".join(f"{b.name_vi} ≥ {fmt_max(b.min)}" for b in rb.bands if b.min > 0) + ".")
    return notes


def cheatsheet_html(rb: Rulebook) -> str:
    """The whole sheet as one HTML document (no scripts, no external resources)."""
    head = (
        "<tr><th class='num'>Số</th><th>Chỉ tiêu</th><th class='num'>Tối đa</th><th>Cách tính điểm</th>"
        "<th>Mẫu số = 0</th><th>Cấp xã</th><th>Độ tin cậy</th></tr>"
    )
    notes = "".join(f"<p>• {_e(n)}</p>" for n in cheatsheet_notes(rb))
    observed = f" Số liệu quan sát ngày {_e(rb.observed)}." if rb.observed else ""
    return (
        "<!DOCTYPE html>\n<html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{_e('Sổ tay Bộ chỉ số 766 — ' + rb.id)}</title><style>{CSS}</style></head><body>"
        "<p class='hint'>Mở tệp này bằng trình duyệt và chọn In (Ctrl+P): vừa một trang A4 khổ ngang.</p>"
        f"<h1>Sổ tay Bộ chỉ số 766 — {_e(rb.name_vi)}</h1>"
        f"<p class='sub'>Bộ quy tắc tính điểm (phiên bản): {_e(rb.id)}. Tỷ lệ = tử số ÷ mẫu số. "
        f"Tổng điểm tối đa {_e(fmt_max(sum(g.max for g in rb.groups)))}.{observed}</p>"
        f"<table><thead>{head}</thead><tbody>{''.join(_rows(rb))}</tbody></table>"
        f"<div class='notes'>{notes}</div>"
        f"<p class='foot'>{_e(REFERENCE_VI)} Lập bằng chiso theo bộ quy tắc tính điểm «{_e(rb.name_vi)}» (phiên bản {_e(rb.id)}).</p>"
        "</body></html>\n"
    )
