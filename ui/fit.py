"""CSS that keeps text whole at 1366×768 and on a phone: Streamlit cuts metric labels and values with "…"
("61,…", "Điểm hiện tại (chính t…"); wrapping onto a second line is better than losing the number. The tables' and charts' hover toolbar
(Show/hide columns, Download as CSV, Search, Fullscreen) is English with no way to translate it: hidden
(the pages have their own search and Excel exports). A page link in a container keyed ``cta_…`` looks like
the page's primary button: a link switches page in the browser, a button would rerun the page first."""
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
</style>"""
