"""Uploaded files (name, bytes) → UnitTable: portal JSON set, or one CSV/XLSX table."""
from __future__ import annotations

from chiso.errors import DataError
from chiso.rulebook import Rulebook
from chiso.units import UnitTable


def load_uploaded(files: list[tuple[str, bytes]], rb: Rulebook, period: str = "") -> UnitTable:
    if not files:
        raise DataError("Chưa chọn tệp nào.")
    if all(name.lower().endswith(".json") for name, _ in files):
        from chiso.io.portal import load_portal_bytes

        return load_portal_bytes(files, period, rb)
    if len(files) != 1:
        raise DataError("Với tệp CSV/XLSX, mỗi lần chỉ tải một tệp (hoặc chỉ các tệp JSON của Cổng DVCQG).")
    try:
        from chiso.io.tabular import load_tabular
    except ImportError:  # until the tabular importer lands
        raise DataError("Định dạng tệp chưa được hỗ trợ.") from None
    name, data = files[0]
    return load_tabular(name, data, rb, period=period)
