"""Synthetic national-scale unit data (dữ liệu giả lập) for demos and benchmarks — never official.

34 provinces (the post-1/7/2025 list; commune counts approximate, 3,321 in all), about 15 departments
each and one province row that aggregates its units. Distributions are shaped on the portal data we
have seen (Phú Thọ, Đắk Lắk 2026): dossier volumes log-normal, on-time and satisfaction rates high,
online submission and e-results mid-range, digitisation re-use and personal-store links low, petitions
rare. Every unit name says "mô phỏng"/"giả lập" and codes start with "GL." so nobody mistakes them.
Deterministic for a given seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from chiso.calibration import baseline
from chiso.notes import SYNTHETIC_IMPORT_VI
from chiso.rulebook import Rulebook
from chiso.units import UnitTable, empty_provenance

PROVINCES: tuple[tuple[str, int], ...] = (
    ("Hà Nội", 126), ("TP. Hồ Chí Minh", 168), ("Hải Phòng", 114), ("Đà Nẵng", 94), ("Cần Thơ", 103),
    ("Huế", 40), ("Lai Châu", 38), ("Điện Biên", 45), ("Sơn La", 75), ("Lạng Sơn", 65),
    ("Quảng Ninh", 54), ("Thanh Hóa", 166), ("Nghệ An", 130), ("Hà Tĩnh", 69), ("Cao Bằng", 56),
    ("Tuyên Quang", 124), ("Lào Cai", 99), ("Thái Nguyên", 92), ("Phú Thọ", 148), ("Bắc Ninh", 99),
    ("Hưng Yên", 104), ("Ninh Bình", 129), ("Quảng Trị", 78), ("Quảng Ngãi", 96), ("Gia Lai", 135),
    ("Khánh Hòa", 65), ("Lâm Đồng", 124), ("Đắk Lắk", 102), ("Đồng Nai", 95), ("Tây Ninh", 96),
    ("Vĩnh Long", 124), ("Đồng Tháp", 102), ("Cà Mau", 64), ("An Giang", 102),
)
DEPARTMENTS = (
    "Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Ban Quản lý các khu công nghiệp",
    "Thanh tra tỉnh", "Công an tỉnh", "Sở Ngoại vụ", "Bảo hiểm xã hội tỉnh",
)
PERIOD = "2026-Q3"
DEFAULT_SEED = 766


def _beta(rng: np.random.Generator, mean: float, strength: float, n: int) -> np.ndarray:
    return rng.beta(mean * strength, (1 - mean) * strength, n)


def _part(rng: np.random.Generator, total: np.ndarray, rate: np.ndarray) -> np.ndarray:
    return rng.binomial(total.astype(np.int64), np.clip(rate, 0, 1)).astype(float)


def _units(rng: np.random.Generator, provinces: tuple[tuple[str, int], ...]) -> pd.DataFrame:
    rows = []
    for p, (pname, n_communes) in enumerate(provinces, start=1):
        pcode = f"GL.T{p:02d}"
        rows.append((pcode, f"Tỉnh {pname} (giả lập)", "province", ""))
        n_dep = int(rng.integers(13, 18))
        for d, dname in enumerate(DEPARTMENTS[:n_dep], start=1):
            rows.append((f"{pcode}.S{d:02d}", f"{dname} – {pname} (giả lập)", "department", pcode))
        for c in range(1, n_communes + 1):
            kind = "Phường" if rng.random() < 0.3 else "Xã"
            rows.append((f"{pcode}.X{c:03d}", f"{kind} mô phỏng {c:03d} – {pname}", "commune", pcode))
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "level", "parent_code"])


def synthetic_frame(
    seed: int = DEFAULT_SEED, provinces: tuple[tuple[str, int], ...] = PROVINCES, period: str = PERIOD
) -> pd.DataFrame:
    """One row per unit with every portal-2026 raw count (quarterly volumes)."""
    rng = np.random.default_rng(seed)
    f = _units(rng, provinces)
    n = len(f)
    is_dep = (f["level"] == "department").to_numpy()
    is_ward = f["unit_name"].str.startswith("Phường").to_numpy()
    vol = np.where(is_dep, rng.lognormal(np.log(1500), 1.3, n), rng.lognormal(np.log(1300), 0.75, n))
    vol = np.where(is_ward, vol * 1.8, vol)
    vol = np.where(is_dep & (rng.random(n) < 0.03), 0, np.clip(vol, 5, 250_000)).round()
    x: dict[str, np.ndarray] = {"dossiers_received": vol}
    x["dossiers_on_time"] = vol - _part(rng, vol, rng.beta(1.1, 28, n))
    x["dossiers_satisfied"] = x["dossiers_on_time"] - _part(rng, x["dossiers_on_time"], np.full(n, 0.0015))
    x["dossiers_synced"] = vol.copy()
    x["dossiers_online"] = _part(rng, vol, _beta(rng, 0.62, 6, n))
    x["dossiers_e_result"] = _part(rng, vol, _beta(rng, 0.72, 5, n))
    x["dossiers_digitised"] = _part(rng, vol, _beta(rng, 0.45, 3, n))
    x["dossiers_reused"] = _part(rng, vol, _beta(rng, 0.25, 3, n))
    x["dossiers_personal_store"] = _part(rng, vol, _beta(rng, 0.03, 4, n))
    x["dossiers_citizen_data"] = _part(rng, vol, _beta(rng, 0.45, 4, n))
    facing = np.where(is_dep, rng.integers(20, 160, n), rng.integers(300, 420, n)).astype(float)
    x["tthc_citizen_facing"] = facing
    x["tthc_citizen_data"] = _part(rng, facing, _beta(rng, 0.12, 5, n))
    services = np.where(is_dep, rng.integers(30, 200, n), rng.integers(250, 400, n)).astype(float)
    x["online_services_total"] = services
    x["online_services_used"] = _part(rng, services, _beta(rng, 0.3, 4, n))
    x["tthc_under_authority"] = np.where(is_dep, rng.integers(40, 220, n), rng.integers(330, 420, n)).astype(float)
    x["tthc_online"] = _part(rng, x["tthc_under_authority"], _beta(rng, 0.85, 20, n))
    pet = np.where(is_dep, rng.poisson(4, n), rng.poisson(0.7, n)).astype(float)
    x["petitions_received"] = pet
    x["petitions_on_time"] = _part(rng, pet, _beta(rng, 0.8, 5, n))
    x["petitions_satisfied"] = _part(rng, x["petitions_on_time"], _beta(rng, 0.85, 5, n))
    fee = _part(rng, vol, _beta(rng, 0.3, 5, n))
    x["dossiers_fee_bearing"] = fee
    x["dossiers_paid_online"] = _part(rng, fee, _beta(rng, 0.55, 4, n))
    fee_tthc = np.where(is_dep, rng.integers(10, 80, n), rng.integers(40, 70, n)).astype(float)
    x["tthc_fee_bearing"] = fee_tthc
    x["tthc_fee_bearing_distinct"] = _part(rng, fee_tthc, _beta(rng, 0.45, 5, n))
    x["tthc_paid_online"] = _part(rng, x["tthc_fee_bearing_distinct"], _beta(rng, 0.5, 4, n))
    x["tthc_fee_data_integrated"] = _part(rng, fee_tthc, _beta(rng, 0.15, 5, n))
    copies = np.where(is_dep, 0, rng.poisson(900, n)).astype(float)
    x["certified_copies_total"] = copies
    x["e_certified_copies"] = _part(rng, copies, _beta(rng, 0.2, 4, n))
    out = pd.concat([f, pd.DataFrame(x)], axis=1)
    _aggregate_provinces(out, rng)
    out.insert(4, "period", period)
    return out


def _aggregate_provinces(f: pd.DataFrame, rng: np.random.Generator) -> None:
    """A province row sums its units' dossier counts; procedure counts and transparency are its own."""
    is_prov = f["level"] == "province"
    copies = ("e_certified_copies", "certified_copies_total")
    summed = [c for c in f.columns if c.startswith(("dossiers_", "petitions_")) or c in copies]
    sums = f[~is_prov].groupby("parent_code")[summed].sum()
    f.loc[is_prov, summed] = sums.reindex(f.loc[is_prov, "unit_code"]).to_numpy()
    m = int(is_prov.sum())
    decisions = rng.integers(30, 130, m).astype(float)
    due = decisions + rng.integers(0, 20, m)
    public = rng.integers(1500, 2100, m).astype(float)
    transparency = {
        "tthc_in_publication_decisions": decisions,
        "tthc_published_on_time": np.floor(decisions * rng.beta(6, 2, m)),
        "tthc_due_update": due,
        "tthc_updated_on_time": np.floor(due * rng.beta(8, 2, m)),
        "tthc_public": public,
        "tthc_full_content": np.floor(public * rng.beta(40, 1, m)),
        "tthc_under_authority": public,
        "tthc_online": np.floor(public * rng.beta(17, 3, m)),
        "tthc_citizen_facing": np.floor(public * 0.7),
        "online_services_total": np.floor(public * 0.8),
    }
    for key, values in transparency.items():
        f.loc[is_prov, key] = values
    f.loc[is_prov, "tthc_citizen_data"] = np.floor(f.loc[is_prov, "tthc_citizen_facing"] * rng.beta(3, 7, m))
    f.loc[is_prov, "online_services_used"] = np.floor(f.loc[is_prov, "online_services_total"] * rng.beta(3, 5, m))
    for key in transparency:
        if key.startswith("tthc_") and key not in ("tthc_under_authority", "tthc_online", "tthc_citizen_facing"):
            f.loc[~is_prov, key] = np.nan  # departments and communes inherit the province's


def synthetic_table(rb: Rulebook, seed: int = DEFAULT_SEED, scale: float = 1.0) -> UnitTable:
    """The synthetic set as a UnitTable (``scale`` multiplies the number of communes, for benchmarks)."""
    provinces = tuple((name, max(1, round(n * scale))) for name, n in PROVINCES)
    frame = synthetic_frame(seed, provinces)
    for key in rb.input_keys:
        if key not in frame:
            frame[key] = np.nan
    table = UnitTable(frame, empty_provenance(frame, rb.input_keys), source="dữ liệu giả lập", synthetic=True)
    table.warnings.append(SYNTHETIC_IMPORT_VI)
    return table


# ---------------------------------------------------------------- an earlier period of real data, synthesised

EARLIER_SEED = 7662


def earlier_period(table: UnitTable, rb: Rulebook, period: str, seed: int = EARLIER_SEED) -> UnitTable:
    """A plausible *previous* period of ``table`` (dữ liệu giả lập), so that history has two periods.

    Same units; each unit's volumes scaled by one factor (0,85–1,10) and each rate moved a little,
    mostly lower (units improve over time), counts kept whole and numerators ≤ denominators. Published
    indicator and group scores are dropped (they would be invented); the official total is the
    recomputed total plus the points the real period holds ("giữ nguyên"), so held points stay the same.
    """
    rng = np.random.default_rng(seed)
    f = table.frame.copy()
    n = len(f)
    scale = rng.uniform(0.85, 1.10, n)
    keys = [k for k in rb.input_keys if k in f]
    for k in keys:
        f[k] = np.round(f[k].to_numpy(dtype=float) * scale)
    for ind in rb.indicators:  # rates: shortfall grows by 0–15 % of the denominator, sometimes shrinks
        if ind.numerator in f and ind.denominator in f and ind.numerator != ind.denominator:
            num, den = f[ind.numerator].to_numpy(dtype=float), f[ind.denominator].to_numpy(dtype=float)
            moved = np.round(num - den * rng.uniform(-0.03, 0.15, n))
            f[ind.numerator] = np.where(np.isnan(num), num, np.clip(moved, 0, den))
    f["period"] = period
    f = f.drop(columns=[c for c in f.columns if str(c).startswith(("published__", "published_group__"))])
    held = baseline(table, rb).held
    out = UnitTable(f, empty_provenance(f, keys), source="Dữ liệu giả lập (từ kỳ sau)", synthetic=True)
    f["published_total"] = np.round(baseline(out, rb).computed_total + held, 2)
    return out
