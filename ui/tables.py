"""Tables formatted the Vietnamese way at any size the importers allow.

A pandas Styler keeps numbers sortable while showing 1.234,5, but Streamlit refuses a Styler past
``styler.render.max_elements`` cells (262,144 by default: about 15,400 units on Tổng quan); past that
the formatted columns become text, which shows the same and only sorts as text.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler


def formatted(frame: pd.DataFrame, formats: list[tuple[list[str], Callable[[object], str]]]) -> Styler | pd.DataFrame:
    """``frame`` with each (columns, formatter) applied: a Styler when small enough, else text columns."""
    if frame.size <= pd.get_option("styler.render.max_elements"):
        styled = frame.style
        for cols, fn in formats:
            styled = styled.format(fn, subset=cols)
        return styled
    out = frame.copy()
    for cols, fn in formats:
        for col in cols:
            out[col] = out[col].map(fn).astype(object)
    return out
