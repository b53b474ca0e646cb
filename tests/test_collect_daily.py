"""``python -m chiso collect-daily``: the periods that move, checkpoints that resume, one run a day, one at a time."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from chiso.cli.main import main
from chiso.collect.daily import Checkpoints, daily_periods
from chiso.collect.periods import today_in_vietnam

sys.path.insert(0, str(Path(__file__).parent))
from fake_portal import FakePortal  # noqa: E402
from test_collect import quick_retries, snapshot  # noqa: E402,F401 (quick_retries: autouse here too)


@pytest.fixture
def portal():
    with FakePortal() as fake:
        yield fake


@pytest.mark.parametrize("day, labels", [
    (date(2026, 9, 27), ["2026-08", "2026-Q3", "2026"]),
    (date(2026, 10, 5), ["2026-09", "2026-Q4", "2026", "2026-Q3"]),
    (date(2027, 1, 1), ["2026-12", "2027-Q1", "2027", "2026-Q4", "2026"]),
])
def test_the_periods_that_move_on_a_day(day, labels):
    assert [p.label for p in daily_periods(day)] == labels


def test_an_interrupted_run_resumes_without_asking_again_and_a_second_run_the_same_day_does_nothing(
        capsys, portal, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    monkeypatch.setenv("CHISO_DATABASE_URL", url)
    state = tmp_path / "state"
    args = ["collect-daily", "--province", "H44", "--period", "2026-Q3", "--state", str(state),
            "--portal-url", portal.url, "--delay", "0"]
    portal.misbehave("429", "dvc-progress-tree")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "HTTP 429" in err and "lần chạy sau tiếp tục từ chỗ dừng" in err and snapshot(url)[0] == []
    kept = state / today_in_vietnam().isoformat() / "H44" / "2026-Q3"
    (kept / "dossier-digitized.json").write_bytes(b"{}")  # a damaged checkpoint is asked again, never trusted
    portal.misbehave(None)
    portal.requests.clear()
    assert main(args) == 0
    assert "H44 Phú Thọ, kỳ 2026-Q3: đã lưu (bộ số liệu 1)" in capsys.readouterr().out
    assert [e for e, _ in portal.requests] == ["dossier-digitized", "dvc-progress-tree", "provide-online-tree",
                                               "formality-online-payment-tree"]
    found, _, evidence, _ = snapshot(url)
    assert len(found) == 1 and len(evidence[0]) == 6
    portal.requests.clear()
    assert main(args) == 0 and "đã tải hôm nay, bỏ qua" in capsys.readouterr().out and portal.requests == []


def test_only_one_run_at_a_time(capsys, portal, tmp_path, monkeypatch):
    monkeypatch.setenv("CHISO_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    held = Checkpoints(tmp_path / "state", today_in_vietnam()).lock()
    try:
        code = main(["collect-daily", "--all", "--period", "2026-Q3", "--state", str(tmp_path / "state"),
                     "--portal-url", portal.url, "--delay", "0"])
    finally:
        held.close()
    assert code == 2 and "Một lần tải khác" in capsys.readouterr().err and portal.requests == []


def test_old_day_folders_are_pruned_and_nothing_else(tmp_path):
    for name in ("2026-11-01", "2026-12-06", "ghi-chu"):
        (tmp_path / name).mkdir()
    Checkpoints(tmp_path, date(2026, 12, 7)).prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-12-06", "ghi-chu"]
