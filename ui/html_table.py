"""Small read-only tables drawn as one escaped HTML element.

``st.table`` renders every cell through Streamlit's markdown renderer: Đơn vị's six indicator tables (about
400 cells) made 8.500 DOM nodes and cost a new session 0,26–0,49 s of its first render (A/B, interleaved,
medians of 6 and 8, 2-core machine). Every header and cell is escaped here (unit names, provenance and file
column names are user data), and Streamlit's ``st.html`` sanitises the result again. The look (``TABLE_CSS``)
follows ``st.table``; a wide table keeps a projector's width on a phone and scrolls sideways in its box.
"""
from __future__ import annotations

from collections.abc import Collection
from html import escape

import pandas as pd

TABLE_CLASS = "chiso-table"
TABLE_CSS = f"""<style>
.{TABLE_CLASS} {{overflow-x: auto; border: 1px solid rgba(49, 51, 63, 0.1); border-radius: 0.5rem;}}
.{TABLE_CLASS} table {{width: 100%; border-collapse: collapse; font-size: 0.875rem; line-height: 1.4;}}
.{TABLE_CLASS} th {{font-weight: 400; color: rgba(49, 51, 63, 0.6); text-align: left; vertical-align: bottom;}}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{padding: 0.25rem 0.5rem; border-bottom: 1px solid rgba(49, 51, 63, 0.1);
  border-right: 1px solid rgba(49, 51, 63, 0.1);}}
.{TABLE_CLASS} td.num {{text-align: right; white-space: nowrap;}}
.{TABLE_CLASS} tr:last-child td {{border-bottom: none;}}
.{TABLE_CLASS} th:last-child, .{TABLE_CLASS} td:last-child {{border-right: none;}}
@media (max-width: 640px) {{.{TABLE_CLASS}.wide table {{min-width: 44rem;}}}}
</style>"""


def html_table(frame: pd.DataFrame, numeric: Collection[str] = (), wide: bool = False) -> str:
    """``frame``'s cells (already formatted text) as an escaped table; ``numeric`` columns align right."""
    cols = [str(c) for c in frame.columns]
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    classes = [' class="num"' if c in numeric else "" for c in cols]
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{escape(str(v))}</td>" for k, v in zip(classes, row)) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    kind = f"{TABLE_CLASS} wide" if wide else TABLE_CLASS
    return f'<div class="{kind}"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
