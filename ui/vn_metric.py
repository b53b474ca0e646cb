"""st.metric with Vietnamese signed deltas (fmt_delta writes "−0,03" with a true minus sign, which
Streamlit would read as a rise): the arrow and colour are set from the number, not from the text."""
from __future__ import annotations

import math

from chiso.fmt import fmt_delta


def delta_args(change: float | None) -> dict:
    """Keyword arguments for ``st.metric``: formatted delta, arrow and colour that follow the sign."""
    if change is None or math.isnan(change):
        return {}
    v = round(float(change), 2)
    if v == 0:
        return {"delta": fmt_delta(v), "delta_color": "off", "delta_arrow": "off"}
    up = v > 0
    return {"delta": fmt_delta(v), "delta_color": "green" if up else "red", "delta_arrow": "up" if up else "down"}
