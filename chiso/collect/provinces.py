"""The 34 provinces of the portal and their ``rootDepartmentId`` (from the national service-results response).

Shipped as ``provinces.csv`` beside this module; a province is found by code (``H44``) or by name, with or
without diacritics, with or without the «UBND tỉnh / thành phố» prefix.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chiso.errors import DataError

CSV = Path(__file__).with_name("provinces.csv")
_PREFIX = re.compile(r"^(ubnd\s+)?(tinh|thanh pho|tp\.?)\s+")


@dataclass(frozen=True)
class Province:
    code: str  # H44
    name: str  # UBND tỉnh Phú Thọ (as the portal names it)
    root_id: str  # rootDepartmentId

    @property
    def short_name(self) -> str:
        """«Phú Thọ», «Hà Nội»: the name without «UBND tỉnh / thành phố»."""
        return re.sub(r"^UBND\s+(tỉnh|thành phố)\s+", "", self.name, flags=re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), single spaces: how a typed name is compared."""
    text = unicodedata.normalize("NFKD", text.strip().lower().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    with CSV.open(encoding="utf-8", newline="") as f:
        return tuple(Province(r["department_code"], r["department_name"], r["root_department_id"])
                     for r in csv.DictReader(f))


def find_province(text: str) -> Province:
    """The province named by ``text`` (code or name); a Vietnamese DataError listing the codes otherwise."""
    wanted = fold(text)
    for p in provinces():
        if wanted == p.code.lower() or _PREFIX.sub("", wanted) == _PREFIX.sub("", fold(p.name)):
            return p
    codes = ", ".join(f"{p.code} {p.short_name}" for p in provinces())
    raise DataError(f"Không có tỉnh/thành phố «{text[:60]}» trong danh sách 34 tỉnh của Cổng DVCQG. "
                    f"Hãy ghi mã hoặc tên, ví dụ H44 hoặc «Phú Thọ». Danh sách: {codes}.")
