"""The period picks the rulebook (OpenFisca-style valid_from / valid_until); an explicit --rulebook wins."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from chiso.cli.main import main
from chiso.errors import RulebookError
from chiso.rulebook import (
    DEFAULT_RULEBOOK,
    RULEBOOK_DIR,
    available_rulebooks,
    load_rulebook,
    period_start,
    rulebook_for_period,
    rulebook_for_periods,
)
from chiso.samples import SAMPLE_DIR, available_samples

TAY_NINH = SAMPLE_DIR / "bao-cao-thang" / "tay-ninh-2023-02.xlsx"


@pytest.mark.parametrize("period, expected", [
    ("2023-02", "qd766-2022"),  # TP. Tây Ninh's monthly report
    ("2026-Q3", "portal-2026"),  # Phú Thọ on the portal
    ("2026-q3", "portal-2026"),
    ("2026", "portal-2026"),
    ("2025", "qd766-2022"),
    ("2025-Q4", "qd766-2022"),
    ("2025-12", "qd766-2022"),
    ("2026-01", "portal-2026"),
    ("2022-06", "qd766-2022"),  # starts before the decision (23/6/2022): nothing older exists
    ("2019", "qd766-2022"),
    ("", DEFAULT_RULEBOOK),
    ("tháng hai", DEFAULT_RULEBOOK),
    ("2026-13", DEFAULT_RULEBOOK),
])
def test_the_period_picks_the_rulebook_in_force_on_its_first_day(period: str, expected: str) -> None:
    assert rulebook_for_period(period) == expected


def test_period_start() -> None:
    assert [period_start(p) for p in ("2023-02", "2026-Q3", "2026", "2026-Q5", " 2026-q1 ")] == [
        date(2023, 2, 1), date(2026, 7, 1), date(2026, 1, 1), None, date(2026, 1, 1)]


def test_shipped_rulebooks_cover_every_day_since_2022_once() -> None:
    """No two shipped versions in force on one day, and no day after the first without one."""
    books = sorted((load_rulebook(r) for r in available_rulebooks()), key=lambda rb: rb.valid_from)
    assert all(rb.valid_from for rb in books)
    for older, newer in zip(books, books[1:]):
        assert older.valid_until is not None and (newer.valid_from - older.valid_until).days == 1
    assert books[-1].valid_until is None


def test_every_bundled_sample_is_labelled_with_the_rulebook_its_period_picks() -> None:
    for s in available_samples():
        assert rulebook_for_period(s.period) == s.rulebook, s.key


def test_periods_of_different_versions_in_one_file_are_refused() -> None:
    assert rulebook_for_periods(["2023-02", "2023-03", ""]) == "qd766-2022"
    assert rulebook_for_periods([]) == DEFAULT_RULEBOOK
    with pytest.raises(RulebookError) as info:
        rulebook_for_periods(["2026-Q3", "2023-02", "2023-01"])
    assert "kỳ 2023-01 → qd766-2022; kỳ 2026-Q3 → portal-2026" in str(info.value)


@pytest.mark.parametrize("line, message", [
    ('valid_from = "2026-01-01"', "«valid_from» phải là một ngày TOML"),
    ("valid_from = 2026-01-01T00:00:00", "«valid_from» phải là một ngày TOML"),
    ("valid_from = 2026-01-01\nvalid_until = 2025-12-31", "valid_until (31/12/2025) trước valid_from (01/01/2026)"),
])
def test_bad_validity_dates_are_refused(tmp_path: Path, line: str, message: str) -> None:
    text = (RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8").replace("valid_from = 2026-01-01\n", "")
    path = tmp_path / "dates.toml"
    path.write_text(text.replace("[rulebook]\n", f"[rulebook]\n{line}\n", 1), encoding="utf-8")
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(path))
    assert message in str(info.value) and "dates.toml" in str(info.value)


def _totals(text: str) -> dict[str, str]:
    return {r["unit_code"]: r["points"] for r in csv.DictReader(io.StringIO(text)) if r["indicator"] == "TOTAL"}


def test_score_picks_qd766_for_tay_ninh_2023_02_by_itself(tmp_path: Path, capsys) -> None:
    """``python -m chiso score tay-ninh-2023-02.xlsx`` used to score with portal-2026 unless told."""
    assert main(["score", str(TAY_NINH), "--output", str(tmp_path / "auto.csv")]) == 0
    assert "Bộ quy tắc: qd766-2022" in capsys.readouterr().err
    assert main(["score", str(TAY_NINH), "--rulebook", "qd766-2022", "--output", str(tmp_path / "qd.csv")]) == 0
    assert (tmp_path / "auto.csv").read_text(encoding="utf-8") == (tmp_path / "qd.csv").read_text(encoding="utf-8")
    groups = {r["group"] for r in csv.DictReader(io.StringIO((tmp_path / "auto.csv").read_text(encoding="utf-8")))}
    assert "ONLINE_PAYMENT" not in groups  # the five groups of 2022


def test_an_explicit_rulebook_still_wins(tmp_path: Path, capsys) -> None:
    assert main(["score", str(TAY_NINH), "--rulebook", "portal-2026", "--output", str(tmp_path / "p.csv")]) == 0
    assert "Bộ quy tắc:" not in capsys.readouterr().err
    groups = {r["group"] for r in csv.DictReader(io.StringIO((tmp_path / "p.csv").read_text(encoding="utf-8")))}
    assert "ONLINE_PAYMENT" in groups


def test_score_help_says_the_period_picks_the_rulebook(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    out = capsys.readouterr().out
    assert "2023-02 → qd766-2022" in out and "--rulebook luôn được ưu tiên" in out
    assert "qd766-2022 (23/06/2022–31/12/2025)" in " ".join(out.split())
