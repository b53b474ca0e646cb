"""JSON a user gave us (portal downloads, scenario files), parsed strictly.

Python's ``json`` accepts two things that would change the data without a word: NaN/Infinity (not JSON;
they would reach the scores) and a key given twice in one object (the last one silently wins). Both are
refused here with a Vietnamese DataError; the caller adds the file (``Location``), since it knows it.
Size and depth are bounded before parsing by ``chiso.io.limits.check_json_bounds``.
"""
from __future__ import annotations

import json

from chiso.errors import DataError


def loads_strict(text: str) -> object:
    """``json.loads`` refusing NaN/Infinity and duplicate keys (raises DataError without a location)."""
    return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            shown = key if len(key) <= 60 else key[:57] + "…"
            raise DataError(
                f"Khóa «{shown}» xuất hiện hai lần trong cùng một đối tượng JSON; không biết giá trị nào đúng, "
                "hãy sửa hoặc tải lại tệp."
            )
        out[key] = value
    return out


def _refuse_constant(token: str) -> float:
    raise DataError(f"Giá trị «{token}» không phải số hữu hạn (JSON không cho phép NaN/Infinity).")
