"""The bundled sample data sets the app opens (the first existing one is the default)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chiso.io.load import load_paths
from chiso.rulebook import Rulebook
from chiso.units import UnitTable

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass(frozen=True)
class Sample:
    key: str
    label_vi: str
    path: str  # relative to sample_data/
    rulebook: str  # the rulebook the data was published under
    period: str = ""
    synthetic: bool = False
    series: str = ""  # samples of the same units in different periods share a series (history)

    @property
    def full_path(self) -> Path:
        return SAMPLE_DIR / self.path

    def exists(self) -> bool:
        return self.full_path.exists()


SAMPLES: tuple[Sample, ...] = (
    Sample("phu-tho", "Phú Thọ, quý 3/2026 (Cổng DVCQG)", "portal/phu-tho-2026-q3", "portal-2026", "2026-Q3",
           series="phu-tho"),
    Sample(
        "tay-ninh",
        "TP. Tây Ninh, tháng 02/2023 (báo cáo tháng)",
        "bao-cao-thang/tay-ninh-2023-02.xlsx",
        "qd766-2022",
        "2023-02",
    ),
    Sample(
        "gia-lap",
        "Dữ liệu giả lập toàn quốc (34 tỉnh, không phải số liệu thật)",
        "gia-lap/gia-lap-toan-quoc-2026-q3.csv",
        "portal-2026",
        synthetic=True,
    ),
    Sample(
        "phu-tho-q2-gia-lap",
        "Phú Thọ, quý 2/2026 (giả lập từ quý 3, không phải số liệu thật)",
        "gia-lap/phu-tho-2026-q2-gia-lap.csv",
        "portal-2026",
        "2026-Q2",
        synthetic=True,
        series="phu-tho",
    ),
)


def available_samples() -> list[Sample]:
    return [s for s in SAMPLES if s.exists()]


def sample(key: str) -> Sample:
    for s in SAMPLES:
        if s.key == key:
            return s
    raise KeyError(key)


def same_series(s: Sample) -> list[Sample]:
    """The bundled periods of the same units (for history), oldest first; just ``s`` when it has none."""
    found = [x for x in available_samples() if s.series and x.series == s.series and x.rulebook == s.rulebook]
    return sorted(found, key=lambda x: x.period) or [s]


def load_sample(s: Sample, rb: Rulebook) -> UnitTable:
    table = load_paths([s.full_path], rb, period=s.period)
    table.synthetic = table.synthetic or s.synthetic
    return table
