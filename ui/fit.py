"""CSS that keeps text whole at 1366×768 and on a phone: Streamlit cuts metric labels and values with "…"
("61,…", "Điểm hiện tại (chính t…"); wrapping onto a second line is better than losing the number. The tables' and charts' hover toolbar
(Show/hide columns, Download as CSV, Search, Fullscreen) is English with no way to translate it: hidden
(the pages have their own search and Excel exports). A page link in a container keyed ``cta_…`` looks like
the page's primary button: a link switches page in the browser, a button would rerun the page first.

A selectbox shows its value in a one-line ``<input>``, which cannot wrap: in the 300 px sidebar «Mẫu: Phú Thọ,
quý 2/2026 (giả lập)» lost its «(giả lập)» (200 px of text in 190). The sidebar's boxes use slightly smaller
type and give the arrow's side padding to the text, and a value still too long ends in «…» (the labels put the
period first, so the cut never takes it).
Containers keyed ``wide_only…`` / ``narrow_only…`` show one layout above a phone's width and the other below
(Streamlit stacks columns from 640 px down, at the same point)."""
from __future__ import annotations

FIT_CSS = """<style>
[data-testid='stMetricLabel'], [data-testid='stMetricLabel'] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important;}
[data-testid='stMetricValue'], [data-testid='stMetricValue'] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 1.15;}
[data-testid='stMetricValue'] {font-size: clamp(1.4rem, 2.2vw, 2.25rem);}
[data-testid='stWidgetLabel'] p {white-space: normal; overflow-wrap: anywhere;}
[data-testid='stElementToolbar'] {display: none !important;}
[class*='st-key-cta_'] [data-testid='stPageLink-NavLink'] {background: rgb(197, 57, 72); border-radius: 8px;
  padding: 4px 12px; min-height: 40px;}
[class*='st-key-cta_'] [data-testid='stPageLink-NavLink'] span,
[class*='st-key-cta_'] [data-testid='stPageLink-NavLink'] p {color: white !important;}
[data-testid='stSidebar'] [data-testid='stSelectbox'] input {font-size: 0.8rem; padding-right: 0;
  text-overflow: ellipsis;}
@media (max-width: 640px) {[class*='st-key-wide_only'],
  [data-testid='stLayoutWrapper']:has(> [class*='st-key-wide_only']) {display: none !important;}}
@media (min-width: 641px) {[class*='st-key-narrow_only'],
  [data-testid='stLayoutWrapper']:has(> [class*='st-key-narrow_only']) {display: none !important;}}
</style>"""
