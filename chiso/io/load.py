"""One entry point for every data format: look at the files, hand them to the right importer."""
from __future__ import annotations

from pathlib import Path

from chiso.errors import DataError, Location
from chiso.rulebook import Rulebook
from chiso.units import UnitTable


def load_paths(paths: list[str | Path], rb: Rulebook, period: str = "") -> UnitTable:
    """Load unit data from files or folders (portal JSON, canonical CSV/XLSX, monthly report)."""
    files = [Path(p) for p in paths]
    for p in files:
        if not p.exists():
            raise DataError("Không tìm thấy tệp hoặc thư mục.", Location(file=str(p)))
    if all(p.is_dir() or p.suffix.lower() == ".json" for p in files):
        from chiso.io.portal import load_portal

        return load_portal(files, period=period, rulebook=rb)
    if len(files) != 1:
        raise DataError("Với tệp CSV/XLSX, mỗi lần chỉ đọc một tệp.")
    return load_table_file(files[0], rb, period)


def load_table_file(path: Path, rb: Rulebook, period: str = "") -> UnitTable:
    """Canonical CSV/XLSX or a monthly report table."""
    from chiso.io.tabular import load_tabular

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"Không đọc được tệp ({exc.strerror}).", Location(file=path.name)) from None
    return load_tabular(path.name, data, rb, period=period)
