"""``python -m chiso import`` twice and ``history`` as a user runs them: totals equal score's TOTAL rows."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from chiso.samples import SAMPLE_DIR

from conftest import chiso, stamp_future

PORTAL = Path(SAMPLE_DIR) / "portal" / "phu-tho-2026-q3"
Q2 = Path(SAMPLE_DIR) / "gia-lap" / "phu-tho-2026-q2-gia-lap.csv"


def totals(url: str, *paths: str) -> pd.DataFrame:
    rows = pd.read_csv(io.StringIO(chiso(url, "score", *paths).stdout), dtype={"period": str})
    return rows[rows["indicator"] == "TOTAL"].set_index("unit_code")


def test_import_twice_then_history_json_equals_score_totals(db_url, tmp_path):
    # two periods of portal data: the bundled quarter and a copy stored as another period
    other = tmp_path / "phu-tho-2026-q4"
    shutil.copytree(PORTAL, other)  # its manifest.json says the period; the folder's name never does
    (other / "manifest.json").write_text(json.dumps({"period": "2026-Q4"}), encoding="utf-8")
    out = chiso(db_url, "import", str(PORTAL), "--period", "2026-Q3").stdout
    assert "kỳ 2026-Q3, 164 đơn vị" in out
    chiso(db_url, "import", str(PORTAL), "--period", "2026-Q3")  # again: replaces, never duplicates
    chiso(db_url, "import", str(other))
    chiso(db_url, "import", str(Q2))
    expected = [totals(db_url, str(Q2)), totals(db_url, str(PORTAL), "--period", "2026-Q3"), totals(db_url, str(other))]
    for code in ("H44.100", "H44"):  # a commune (with held points) and the province
        history = json.loads(chiso(db_url, "history", "--unit", code, "--format", "json").stdout)
        assert [h["period"] for h in history] == ["2026-Q2", "2026-Q3", "2026-Q4"]
        for h, t in zip(history, expected):
            assert h["total"] == t.loc[code, "points"]
            assert h["official_total"] == t.loc[code, "published_points"]
            assert h["rulebook"] == "portal-2026" and set(h["groups"]) >= {"PROGRESS", "TRANSPARENCY"}
            assert 1 <= h["rank"] <= h["cohort_size"]
        assert history[0]["synthetic"] is True and history[1]["synthetic"] is False


def test_history_text_and_unknown_unit(db_url):
    chiso(db_url, "import", str(Q2))
    chiso(db_url, "import", str(PORTAL), "--period", "2026-Q3")
    text = chiso(db_url, "history", "--unit", "H44.100").stdout
    assert "2026-Q2 [portal-2026] (giả lập)" in text and "so với kỳ trước" in text and "xếp hạng" in text
    # issue 22.11: the groups by the rulebook's Vietnamese names, not TRANSPARENCY, ONLINE_PAYMENT…
    assert "Công khai, minh bạch " in text and "TRANSPARENCY" not in text and "ONLINE_PAYMENT" not in text
    err = chiso(db_url, "history", "--unit", "KHÔNG-CÓ", ok=False).stderr
    assert "Chưa có kỳ nào của đơn vị «KHÔNG-CÓ»" in err and "Traceback" not in err


def test_an_unreachable_database_is_a_message_not_a_traceback():
    done = chiso("postgresql+psycopg://nobody@127.0.0.1:1/none", "import", str(Q2), ok=False)
    assert "không kết nối được" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["import", "history"])
def test_help_is_bilingual(command):
    out = chiso("sqlite://", command, "--help").stdout
    assert "CHISO_DATABASE_URL" in out and ("kỳ" in out) and ("period" in out)


def test_a_workspace_from_a_newer_chiso_is_a_message_and_a_non_zero_exit(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    stamp_future(url)
    done = chiso(url, "history", "--unit", "H44", ok=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "phiên bản lược đồ «ffff_future» mới hơn" in done.stderr and "hãy cập nhật chiso" in done.stderr
