"""A printable exercise sheet for a training session: the questions on the first page(s) with space to
answer, then an answer key with the worked solution on a new page (cut off before handing out).

Self-contained HTML with print CSS like the cheat sheet; every text from the data (unit names) escaped.
The questions and answers are ``chiso.guide.exercises.make_exercises`` on the loaded data: the same set
(same seed) as the Bài tập tab, so the trainer's screen and the paper agree.
"""
from __future__ import annotations

import html

from chiso.guide.exercises import Exercise
from chiso.notes import REFERENCE_VI
from chiso.rulebook import Rulebook

CSS = """
@page { size: A4 portrait; margin: 14mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.35;
       color: #111; margin: 0 auto; max-width: 182mm; padding: 4mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; } h2 { font-size: 13pt; margin: 0 0 2mm; }
.sub, .foot { color: #333; font-size: 9pt; }
.q { break-inside: avoid; page-break-inside: avoid; margin: 0 0 5mm; }
.line { border-bottom: 0.6pt solid #777; height: 9mm; margin-top: 1mm; }
.key { break-before: page; page-break-before: always; }
.key p { margin: 0 0 3mm; }
.hint { background: #fff6d6; padding: 2mm; font-size: 9pt; }
@media print { .hint { display: none; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def exercise_sheet_html(rb: Rulebook, exercises: list[Exercise], source_label: str, set_no: int = 0) -> str:
    """The sheet: questions with answer lines, then (on its own page) the answer key with solutions."""
    questions = "".join(
        f"<div class='q'><p><b>Câu {n}.</b> {_e(ex.question_vi)}</p>"
        f"<p>Trả lời ({_e(ex.unit_vi)}):</p><div class='line'></div></div>"
        for n, ex in enumerate(exercises, 1)
    )
    key = "".join(
        f"<p><b>Câu {n}.</b> Đáp án: <b>{_e(ex.answer_vi)}</b>. {_e(ex.explanation_vi)}</p>"
        for n, ex in enumerate(exercises, 1)
    )
    head = (f"Bộ quy tắc tính điểm (phiên bản): {_e(rb.id)} — {_e(rb.name_vi)}. Dữ liệu: {_e(source_label)}. "
            f"Bộ câu hỏi số {set_no + 1}. Viết số thập phân bằng dấu phẩy, ví dụ 1,25.")
    return (
        "<!DOCTYPE html>\n<html lang='vi'><head><meta charset='utf-8'>"
        f"<title>{_e('Phiếu bài tập Bộ chỉ số 766 — ' + rb.id)}</title><style>{CSS}</style></head><body>"
        "<p class='hint'>Mở tệp bằng trình duyệt và chọn In (Ctrl+P). Trang đáp án in trên trang riêng: "
        "tách ra trước khi phát cho học viên.</p>"
        f"<h1>Phiếu bài tập — Bộ chỉ số 766</h1><p class='sub'>{head}</p>"
        "<p>Họ và tên: ........................................ Đơn vị: ........................................</p>"
        f"{questions}"
        f"<div class='key'><h2>Đáp án và lời giải (dành cho giảng viên)</h2>{key}"
        f"<p class='foot'>Đáp án được tính bằng công cụ tính điểm của chiso trên dữ liệu nêu trên. "
        f"{_e(REFERENCE_VI)}</p></div>"
        "</body></html>\n"
    )


__all__ = ["exercise_sheet_html"]
