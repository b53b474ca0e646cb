"""Tables formatted the Vietnamese way at any size the importers allow.

The numbers stay numeric (the grid sorts them as numbers) while each cell shows 1.234,5: Streamlit sends a
pandas Styler's display values beside the data. A stock Styler builds them cell by cell through its HTML
renderer (about 1 s for Tổng quan's 3.857 × 20 cells on the 2-core machine); ``_Shown`` hands Streamlit
the same display values formatted once per distinct value and column (``_shown``).
Streamlit refuses a Styler past ``styler.render.max_elements`` cells (262,144 by default: about 15,400 units
on Tổng quan); past that the formatted columns become text, which shows the same and only sorts as text.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

Formats = list[tuple[list[str], Callable[[object], str]]]
ROW_PX = 35  # Streamlit's default grid row (and header) height


def grid_height(rows: int, most: int | None = None) -> int:
    """Pixels for a grid's header and ``rows`` rows, at most ``most`` (then it scrolls): one to three units
    no longer sit in a fixed box of empty rows."""
    px = ROW_PX * (rows + 1) + 3
    return px if most is None else min(most, px)


def _column_text(values: pd.Series, fn: Callable[[object], str]) -> list[str]:
    """``fn`` over a column, called once per distinct value (points repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)  # NaN is one value, shown by fn too
    return [str(t) for t in np.array([fn(u) for u in uniques], dtype=object)[codes]]


def _shown(frame: pd.DataFrame, texts: dict[int, list[str]]) -> Styler:
    """A plain Styler whose display values are computed up front, column by column.

    Streamlit accepts only the exact ``Styler`` type; its ``marshall_styler`` calls ``_compute`` and
    ``_translate`` and reads only the body cells' ``id`` ("row{r}_col{c}") and ``display_value``, so those
    two are replaced on this instance (no CSS is produced, so none is sent).
    ``tests/app/test_large_tables.py`` checks the values Streamlit sends.
    """
    styler = Styler(frame)

    def translate(*_args, **_kwargs) -> dict:
        body: list[list[dict]] = [[] for _ in range(len(frame))]
        for c, column in texts.items():
            for r, text in enumerate(column):
                body[r].append({"id": f"row{r}_col{c}", "display_value": text})
        return {"body": body, "table_styles": [], "cellstyle": []}

    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = translate  # type: ignore[method-assign]
    return styler


def formatted(frame: pd.DataFrame, formats: Formats) -> Styler | pd.DataFrame:
    """``frame`` with each (columns, formatter) applied: numbers shown formatted when small enough for a
    Styler, else text columns."""
    if frame.size <= pd.get_option("styler.render.max_elements"):
        return _shown(frame, {frame.columns.get_loc(col): _column_text(frame[col], fn)
                              for cols, fn in formats for col in cols})
    out = frame.copy()
    for cols, fn in formats:
        for col in cols:
            out[col] = out[col].map(fn).astype(object)
    return out
