"""``python -m chiso collect`` against a real HTTP fake of the portal (tests/fake_portal.py).

Each rule of a careful collector has a test: the Vietnamese message, a non-zero exit, the workspace
unchanged (the last verified dataset stays), and never two requests at once.
"""
from __future__ import annotations

import io
import json
import socket
import sys
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from chiso.calibration import baseline
from chiso.cli.main import main
from chiso.collect import client
from chiso.collect.client import PortalBlocked, PortalClient
from chiso.collect.periods import parse_period
from chiso.collect.provinces import find_province, provinces
from chiso.collect.run import collect, store
from chiso.errors import DataError
from chiso.io.load import load_paths
from chiso.io.portal import load_portal_bytes
from chiso.reports.scores import csv_text, score_rows
from chiso.rulebook import load_rulebook
from chiso.workspace import open_workspace

sys.path.insert(0, str(Path(__file__).parent))
from fake_portal import PHU_THO, FakePortal  # noqa: E402

Q3 = ["--province", "H44", "--period", "2026-Q3"]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Tests do not wait the 10 s and 20 s before a retry (test_one_server_error… checks them)."""
    monkeypatch.setattr(client, "RETRY_PAUSE_S", 0.0)


@pytest.fixture
def portal():
    with FakePortal() as fake:
        yield fake


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    monkeypatch.setenv("CHISO_DATABASE_URL", url)
    return url


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def collect_cli(capsys, portal: FakePortal, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "collect", *Q3, "--portal-url", portal.url, "--delay", "0", *extra)


def snapshot(url: str) -> tuple:
    """Everything a collection may change: datasets, their versions, the evidence in use, the audit trail."""
    ws = open_workspace(url)
    try:
        found = ws.datasets()
        versions = [ws.dataset_versions(d.id) for d in found]
        evidence = [ws.collected_evidence(d.source, d.period, d.rulebook)[1] for d in found]
        return found, versions, evidence, len(ws.audit_entries())
    finally:
        ws.close()


# ------------------------------------------------------------------ provinces and periods


def test_provinces_by_code_or_name_with_or_without_diacritics():
    assert len(provinces()) == 34 and len({p.root_id for p in provinces()}) == 34
    for text in ("H44", "h44", "Phú Thọ", "phu tho", "UBND tỉnh Phú Thọ", " PHÚ  THỌ "):
        assert find_province(text).root_id == "019d2be3-6a88-732b-8b17-b68020c8553a"
    assert find_province("TP Hồ Chí Minh").code == find_province("thanh pho ho chi minh").code == "H29"
    assert find_province("dak lak").code == "H15"
    with pytest.raises(DataError, match="Không có tỉnh/thành phố «Phú Yên»"):
        find_province("Phú Yên")


def test_which_periods_exist_on_a_day_and_how_they_are_asked_for():
    day = date(2026, 9, 27)  # api.md: on this day August 2026, Q3 2026 and 2026 exist
    assert parse_period("2026-08", day).body("R", 1, 200, False) == {
        "timeType": "month", "year": 2026, "month": 8, "rootDepartmentId": "R", "currentPage": 1, "pageSize": 200}
    assert parse_period("2026-q3", day).body("R", 1, 100, False) == {
        "timeType": "quarter", "year": 2026, "quarter": 3, "rootDepartmentId": "R", "currentPage": 1, "pageSize": 100}
    assert parse_period("2026", day).body("R", 2, 200, True) == {
        "fromDate": "2026-01-01", "toDate": "2026-12-31", "rootDepartmentId": "R", "currentPage": 2, "pageSize": 200}
    assert parse_period("2024-02", day).body("R", 1, 200, True)["toDate"] == "2024-02-29"
    for text, why in [("2026-09", "chưa kết thúc"), ("2026-Q4", "chưa bắt đầu"), ("2027", "chưa bắt đầu"),
                      ("2026-13", "không đúng dạng"), ("Q3/2026", "không đúng dạng")]:
        with pytest.raises(DataError, match=why):
            parse_period(text, day)


def test_a_period_that_does_not_exist_yet_is_refused_before_any_request(capsys, portal, db):
    code, _, err = run(capsys, "collect", "--province", "H44", "--period", "2099-Q1", "--portal-url", portal.url)
    assert code == 2 and "Kỳ 2099-Q1 chưa bắt đầu" in err and portal.requests == []


# ------------------------------------------------------------------ done means


def test_collect_stores_what_score_computes_history_lists_it_evidence_gives_the_bytes_back(capsys, portal, db, tmp_path):
    code, out, _ = run(capsys, "collect", "--province", "Phú Thọ", "--period", "2026-Q3", "--portal-url", portal.url,
                       "--delay", "0")
    assert code == 0 and "Đã lưu bộ số liệu 1: «Cổng DVCQG · Phú Thọ», kỳ 2026-Q3, 164 đơn vị" in out
    assert [e for e, _ in portal.requests] == ["transparency", "handling-satisfaction", "dossier-digitized",
                                               "dvc-progress-tree", "provide-online-tree", "formality-online-payment-tree"]
    assert portal.max_in_flight == 1
    ws = open_workspace(db)
    stored = ws.load_dataset(1)
    ws.close()
    code, scored, _ = run(capsys, "score", str(PHU_THO))
    want = pd.read_csv(io.StringIO(scored), dtype={"period": str})
    assert set(want["period"]) == {"2026-Q3"}  # from the sample's manifest.json, not the folder's name
    rb = load_rulebook("portal-2026")
    pd.testing.assert_frame_equal(stored.frame, load_paths([PHU_THO], rb).frame)
    assert csv_text(score_rows(stored.frame, baseline(stored, rb))) == scored  # the stored set scores as score does
    _, hist, _ = run(capsys, "history", "--unit", "H44.100", "--format", "json")
    (h,) = json.loads(hist)
    totals = want[(want["indicator"] == "TOTAL")].set_index("unit_code")
    assert h["period"] == "2026-Q3" and h["source"] == "Cổng DVCQG · Phú Thọ"
    assert h["total"] == totals.loc["H44.100", "points"] and h["official_total"] == totals.loc["H44.100", "published_points"]
    out_dir = tmp_path / "bang-chung"
    code, out, _ = run(capsys, "evidence", "--province", "h44", "--period", "2026-Q3", "--output", str(out_dir))
    assert code == 0 and "Đã ghi 7 tệp" in out
    for f in PHU_THO.glob("*.json"):
        if f.name != "manifest.json":
            assert (out_dir / f.name).read_bytes() == f.read_bytes(), f.name
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2026-Q3" and {r["http_status"] for r in manifest["responses"]} == {201}
    assert manifest["responses"][1]["request_body"]["fromDate"] == "2026-07-01"
    # the evidence folder imports again without --period (its manifest says 2026-Q3) and scores the same
    code, again, _ = run(capsys, "score", str(out_dir))
    assert again == scored
    code, _, err = run(capsys, "evidence", "--province", "H44", "--period", "2026-Q3", "--output", str(out_dir))
    assert code == 2 and "Thư mục đã có tệp" in err  # never overwrites


def test_collecting_again_is_a_no_op_or_a_new_snapshot_keeping_the_old(capsys, portal, db):
    assert collect_cli(capsys, portal)[0] == 0
    code, out, _ = collect_cli(capsys, portal)
    assert code == 0 and "Số liệu không đổi" in out
    assert len(snapshot(db)[1][0]) == 1
    portal.misbehave("reformatted", "transparency")  # the portal answers again, other bytes (a new snapshot)
    code, out, _ = collect_cli(capsys, portal)
    assert code == 0 and "Đã lưu bộ số liệu 1" in out
    found, versions, evidence, _ = snapshot(db)
    assert sorted(v.version for v in versions[0]) == [1, 2] and evidence[0][0].body.endswith(b" ")


def test_a_paged_answer_is_asked_page_by_page_and_joined(capsys, portal, db, tmp_path):
    portal.misbehave("paged", "transparency")  # 163 units in two pages of 100
    code, out, _ = collect_cli(capsys, portal)
    assert code == 0 and "[1/6] transparency: 2 trang" in out
    assert [(e, b["currentPage"]) for e, b in portal.requests[:3]] == [
        ("transparency", 1), ("transparency", 2), ("handling-satisfaction", 1)]
    ws = open_workspace(db)
    stored = ws.load_dataset(1)
    ws.close()
    pd.testing.assert_frame_equal(stored.frame, load_paths([PHU_THO], load_rulebook("portal-2026")).frame)
    run(capsys, "evidence", "--province", "H44", "--period", "2026-Q3", "--output", str(tmp_path / "e"))
    assert {p.name for p in (tmp_path / "e").glob("transparency*")} == {"transparency.json", "transparency.page-2.json"}
    assert run(capsys, "score", str(tmp_path / "e"))[1] == run(capsys, "score", str(PHU_THO))[1]  # pages joined
    (tmp_path / "e" / "transparency.page-2.json").unlink()
    code, _, err = run(capsys, "score", str(tmp_path / "e"))
    assert code == 2 and "có 2 trang nhưng chỉ có một tệp" in err  # never a silent half


# ------------------------------------------------------------------ misbehaviour: stop, say why, change nothing

STOPS = {  # mode → (words of the message, requests made: two good ones, then the bad ones)
    "429": ("HTTP 429", 3),
    "403": ("HTTP 403", 3),
    "waf": ("Request Rejected", 3),
    "html": ("trang HTML thay vì dữ liệu JSON", 3),
    "wrong-province": ("phản hồi thuộc đơn vị khác", 3),
    "truncated": ("JSON không hợp lệ hoặc bị cắt cụt", 3),
    "400-body": ("HTTP 400", 3),
    "500": ("lỗi máy chủ (HTTP 500) 3 lần liên tiếp; ngắt mạch", 5),
    "drop": ("kết nối bị ngắt giữa chừng 3 lần liên tiếp", 5),
}


@pytest.fixture
def verified(capsys, portal, db) -> tuple:
    """A workspace holding one verified collection, before the run that goes wrong."""
    assert collect_cli(capsys, portal)[0] == 0
    portal.requests.clear()
    return snapshot(db)


@pytest.mark.parametrize("mode", list(STOPS))
def test_a_misbehaving_portal_stops_the_run_and_changes_nothing(capsys, portal, db, verified, mode):
    words, requests = STOPS[mode]
    portal.misbehave(mode)
    code, out, err = collect_cli(capsys, portal)
    assert code == 2 and "Traceback" not in err
    assert "Dừng tải từ Cổng DVCQG ở nhóm Số hóa hồ sơ «dossier-digitized»" in err and words in err, err
    assert "Chưa lưu gì" in err and "[2/6]" in out and "[3/6]" not in out
    assert len(portal.requests) == requests and portal.max_in_flight == 1
    assert snapshot(db) == verified


def test_a_slow_portal_times_out_three_times_then_the_breaker_opens(capsys, portal, db, verified):
    portal.misbehave("slow", "transparency")
    portal.slow_seconds = 1.0
    code, _, err = collect_cli(capsys, portal, "--timeout", "0.3")
    assert code == 2 and "không trả lời trong thời hạn chờ 3 lần liên tiếp" in err and "Cách thủ công" in err
    assert len(portal.requests) == 3 and snapshot(db) == verified


def test_an_office_that_cannot_reach_the_portal_is_told_the_manual_route(capsys, db):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run(capsys, "collect", *Q3, "--portal-url", f"http://127.0.0.1:{port}", "--delay", "0")
    assert code == 2 and "không kết nối được tới http://127.0.0.1" in err and "kết nối bị từ chối" in err
    assert "tải sáu tệp JSON" in err and "python -m chiso import" in err and "Traceback" not in err
    assert snapshot(db)[0] == []


def test_one_server_error_is_retried_after_a_longer_pause_and_the_run_completes(portal, db, monkeypatch):
    monkeypatch.setattr(client, "RETRY_PAUSE_S", 5.0)
    portal.misbehave("500", "dvc-progress-tree", times=1)
    pauses: list[float] = []
    pc = PortalClient(portal.url, delay=2.0, sleep=pauses.append)
    c = collect(pc, find_province("H44"), parse_period("2026-Q3"))
    pc.close()
    assert len(portal.requests) == 7 and len(pauses) == 6  # no pause before the first request
    assert all(1.5 <= p <= 2.5 for i, p in enumerate(pauses) if i != 3)  # 2 s ± 25 % jitter
    assert 7.5 <= pauses[3] <= 12.5  # the retry after the 500 waits 10 s ± 25 %
    ws = open_workspace(db)
    assert store(ws, c) == (1, True) and len(ws.collected_evidence(c.source, "2026-Q3", "portal-2026")[1]) == 6
    ws.close()


def test_never_two_requests_at_once_even_from_two_threads(portal):
    portal.misbehave("slow", "transparency")
    portal.slow_seconds = 0.3
    pc = PortalClient(portal.url, delay=0)
    body = parse_period("2026-Q3").body(find_province("H44").root_id, 1, 200, False)
    threads = [threading.Thread(target=pc.post, args=("transparency", 1, body)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pc.close()
    assert len(portal.requests) == 3 and portal.max_in_flight == 1


def test_the_fake_refuses_a_body_that_breaks_the_contract(portal):
    pc = PortalClient(portal.url, delay=0)
    body = {"timeType": "quarter", "year": 2026, "quarter": 3, "rootDepartmentId": find_province("H44").root_id,
            "currentPage": 1, "pageSize": 200}
    with pytest.raises(PortalBlocked, match="HTTP 400"):
        pc.post("handling-satisfaction", 1, body)  # satisfaction takes fromDate/toDate
    pc.close()


# ------------------------------------------------------------------ a folder's name is never a period


def test_a_portal_folder_without_manifest_asks_for_the_period(capsys, db, tmp_path):
    folder = tmp_path / "phu-tho-2026-q4"
    folder.mkdir()
    for f in PHU_THO.glob("*.json"):
        if f.name != "manifest.json":
            (folder / f.name).write_bytes(f.read_bytes())
    code, _, err = run(capsys, "import", str(folder))
    assert code == 2 and "--period" in err and "Traceback" not in err
    code, out, _ = run(capsys, "score", str(folder))
    assert "phu-tho-2026-q4" not in out
    code, out, _ = run(capsys, "import", str(folder), "--period", "2026-Q4")
    assert code == 0 and "kỳ 2026-Q4" in out


def test_two_files_of_one_kind_that_are_not_the_pages_of_one_answer_are_refused():
    one = (PHU_THO / "transparency.json").read_bytes()  # page 1 of 1, twice
    with pytest.raises(DataError, match="Có hai tệp cùng loại «transparency»"):
        load_portal_bytes([("a.json", one), ("b.json", one)], "2026-Q3")
