"""Uploaded files (name, bytes) → UnitTable: portal JSON set, or one CSV/XLSX table."""
from __future__ import annotations

from chiso.errors import DataError
from chiso.io.tabular import load_tabular
from chiso.rulebook import Rulebook
from chiso.units import UnitTable


def load_uploaded(
    files: list[tuple[str, bytes]], rb: Rulebook, period: str = "", column_map: dict[str, str] | None = None
) -> UnitTable:
    """``column_map``: the user's meaning for columns the importer did not recognise (CSV/XLSX only)."""
    if not files:
        raise DataError("Chưa chọn tệp nào.")
    if all(name.lower().endswith(".json") for name, _ in files):
        from chiso.io.portal import load_portal_bytes

        return load_portal_bytes(files, period, rb)
    if len(files) != 1:
        raise DataError("Với tệp CSV/XLSX, mỗi lần chỉ tải một tệp (hoặc chỉ các tệp JSON của Cổng DVCQG).")
    name, data = files[0]
    return load_tabular(name, data, rb, period=period, column_map=column_map)
