"""Portal JSON importer and the fidelity bar: recomputed points equal the published ones."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from chiso import load_rulebook
from chiso.calibration import baseline, discrepancy
from chiso.errors import DataError
from chiso.io.portal import ENDPOINTS, load_portal, load_portal_bytes
from chiso.reports.scores import TOTAL, fidelity, score_rows

ROOT = Path(__file__).resolve().parents[1]
PHU_THO = ROOT / "sample_data" / "portal" / "phu-tho-2026-q3"
RB = load_rulebook("portal-2026")


@pytest.fixture(scope="module")
def table():
    return load_portal(PHU_THO, rulebook=RB)


@pytest.fixture(scope="module")
def rows(table):
    return score_rows(table.frame, baseline(table, RB))


def test_units_levels_and_parent(table) -> None:
    f = table.frame
    assert len(f) == 164
    assert f["level"].value_counts().to_dict() == {"commune": 148, "department": 15, "province": 1}
    prov = f[f["level"] == "province"].iloc[0]
    assert (prov["unit_code"], prov["unit_name"]) == ("H44", "UBND tỉnh Phú Thọ")
    assert (f.loc[f["level"] != "province", "parent_code"] == "H44").all()
    assert table.warnings == []


def test_raw_counts_are_read_not_scores(table) -> None:
    row = table.frame.set_index("unit_code").loc["H44.100"]  # UBND Phường Việt Trì
    assert row["dossiers_received"] == 6684 and row["dossiers_on_time"] == 5830
    assert row["dossiers_e_result"] == 5511 and row["dossiers_paid_online"] == 3082
    prov = table.frame.set_index("unit_code").loc["H44"]
    assert prov["tthc_online"] == 31 + 21  # partialCount + fullCount


def test_every_published_indicator_is_reproduced_except_documented_exceptions(rows) -> None:
    """The acceptance bar: ±0.01 everywhere except the online group below the province (no raw counts)."""
    bad = fidelity(rows)
    assert set(bad["indicator"]) == {"ONLINE_SERVICES_GROUP"}
    assert set(bad["level"]) == {"department", "commune"}
    assert bad["points"].isna().all()  # not computable, never guessed or copied
    checked = rows[rows["published_points"].notna() & (rows["indicator"] != TOTAL)]
    assert len(checked) - len(bad) == 164 * 16 + 1  # 16 reported rows per unit + the province's online group


def test_totals_equal_official_with_held_online_points(table, rows) -> None:
    s = baseline(table, RB)
    assert np.nanmax(np.abs(discrepancy(s, table.frame))) == 0
    online = table.frame["published__ONLINE_SERVICES_GROUP"].to_numpy()
    children = (table.frame["level"] != "province").to_numpy()
    np.testing.assert_allclose(s.held[children], online[children])
    assert s.held[~children][0] == 0  # the province is fully covered


def test_missing_files_are_named(tmp_path: Path) -> None:
    for name in ("dvc-progress-tree.json", "transparency.json"):
        (tmp_path / name).write_bytes((PHU_THO / name).read_bytes())
    t = load_portal(tmp_path, rulebook=RB)
    assert len(t.warnings) == 1
    msg = t.warnings[0]
    assert "Thiếu 4/6" in msg and "dossier-digitized" in msg and "transparency" not in msg


def test_files_are_recognised_by_content_not_name() -> None:
    files = [(f"tai-ve-{n}.json", (PHU_THO / f"{e}.json").read_bytes()) for n, e in enumerate(ENDPOINTS)]
    t = load_portal_bytes(files, "Q3", RB)
    assert len(t.frame) == 164 and t.warnings == []


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Tệp rỗng"),
        (b'{"code":"OK","data":{"overview":{"stt":1', "bị cắt cụt ở dòng 1"),
        (b"not json at all", "JSON không hợp lệ"),
        (b"\xff\xfe\x00\x01garbage", "không phải văn bản UTF-8"),
        (b'{"code":"ERR","message":"Unauthorized"}', "Cổng DVCQG trả về lỗi «ERR»"),
        (b'{"code":"OK","data":{"foo":1}}', "Không nhận ra loại dữ liệu"),
        (b"[1,2,3]", "thiếu khóa «data»"),
        (b'{"code":"OK","code":"ERR","data":{}}', "Khóa «code» xuất hiện hai lần trong cùng một đối tượng JSON"),
        (b'{"data":{"parent":{"totalReceived":5,"totalReceived":9}}}', "Khóa «totalReceived» xuất hiện hai lần"),
        (b'{"code":"OK","data":{"parent":{"totalReceived":1},"children":[{"x":1}]}}', "Cấu trúc dữ liệu không đúng"),
    ],
)
def test_bad_json_gives_clear_error(content: bytes, message: str) -> None:
    with pytest.raises(DataError) as info:
        load_portal_bytes([("hong.json", content)], "", RB)
    assert message in str(info.value) and "hong.json" in str(info.value)


def test_truncated_real_file() -> None:
    data = (PHU_THO / "dossier-digitized.json").read_bytes()[:5000]
    with pytest.raises(DataError, match="bị cắt cụt"):
        load_portal_bytes([("dossier-digitized.json", data)], "", RB)


def test_negative_count_is_rejected() -> None:
    doc = json.loads((PHU_THO / "dvc-progress-tree.json").read_bytes())
    doc["data"]["children"][0]["totalReceived"] = -5
    with pytest.raises(DataError, match="Giá trị âm"):
        load_portal_bytes([("p.json", json.dumps(doc).encode())], "", RB)


def test_cli_score_csv_and_json(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    run = subprocess.run(
        [sys.executable, "-m", "chiso", "score", str(PHU_THO), "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    for col in ("unit_code", "unit_name", "level", "group", "indicator", "numerator", "denominator",
                "points", "max_points", "published_points"):
        assert col in header
    js = subprocess.run(
        [sys.executable, "-m", "chiso", "score", str(PHU_THO), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    records = json.loads(js.stdout)
    total = [r for r in records if r["unit_code"] == "H44" and r["indicator"] == "TOTAL"][0]
    assert total["points"] == total["published_points"] == 61.39


def test_cli_error_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "chiso", "score", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "JSON không hợp lệ" in run.stderr


def test_cli_help_is_bilingual() -> None:
    run = subprocess.run([sys.executable, "-m", "chiso", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert "tính lại" in run.stdout and "recompute" in run.stdout


def test_on_time_is_derived_from_overdue_when_a_capture_lacks_it() -> None:
    doc = json.loads((PHU_THO / "dvc-progress-tree.json").read_bytes())
    for child in doc["data"]["children"]:
        child.pop("totalOnTime")
    t = load_portal_bytes([("p.json", json.dumps(doc).encode())], "", RB)
    rows = score_rows(t.frame, baseline(t, RB))
    progress = rows[rows["indicator"] == "PROGRESS_ON_TIME"]
    assert len(progress) == 164
    assert ((progress["points"] - progress["published_points"]).abs() <= 0.01).all()


@pytest.mark.parametrize("field, value, message", [
    ("departmentId", "019d2be3\u200b-6a88", "«departmentId»: mã đơn vị chứa ký tự ẩn hoặc ký tự điều khiển (U+200B"),
    ("departmentId", "Н44", "chữ «Н» (U+041D) của bảng chữ cái Kirin"),
    ("departmentName", "Ban \u202eA", "«departmentName»: tên đơn vị chứa ký tự ẩn hoặc ký tự điều khiển (U+202E"),
])
def test_portal_codes_and_names_with_hidden_or_lookalike_characters_are_refused(field, value, message) -> None:
    doc = json.loads((PHU_THO / "transparency.json").read_bytes())
    doc["data"]["evaluation"][1][field] = value
    with pytest.raises(DataError) as info:
        load_portal_bytes([("transparency.json", json.dumps(doc).encode())], "", RB)
    assert message in info.value.message and info.value.location.file == "transparency.json"
