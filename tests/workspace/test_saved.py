"""Revisions with undo; saved scenarios and plans: name clash, stale concurrent saves, rename, delete."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chiso.edits import Revision
from chiso.errors import ChisoError
from chiso.rulebook import load_rulebook
from chiso.scenario import Scenario
from chiso.workspace import NameTakenError, NotFoundError, StaleVersionError, open_workspace, sample_key, scenario_of

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
TAY_NINH = sample_key("tay-ninh")


def rev(i: int, key: str = "copies_total", unit: str = "P1") -> Revision:
    return Revision(unit, key, None if i == 0 else float(i) + 0.5, float(i + 1) + 0.5, T0 + timedelta(minutes=i), "Lan")


def test_revisions_are_kept_in_order_and_undo_removes_the_last(ws):
    for i in range(3):
        ws.add_revision(TAY_NINH, "qd766-2022", rev(i))
    ws.add_revision(TAY_NINH, "portal-2026", rev(9))  # another rulebook: a separate history
    assert ws.revisions(TAY_NINH, "qd766-2022") == [rev(0), rev(1), rev(2)]
    assert ws.undo_revision(TAY_NINH, "qd766-2022") == rev(2)
    assert ws.revisions(TAY_NINH, "qd766-2022") == [rev(0), rev(1)]
    assert ws.revision_count(TAY_NINH, "portal-2026") == 1
    ws.undo_revision(TAY_NINH, "qd766-2022"), ws.undo_revision(TAY_NINH, "qd766-2022")
    assert ws.undo_revision(TAY_NINH, "qd766-2022") is None


def test_a_grid_of_revisions_is_stored_all_or_nothing(ws):
    ws.add_revisions(TAY_NINH, "qd766-2022", [rev(0), rev(1, unit="P2")])
    assert ws.revisions(TAY_NINH, "qd766-2022") == [rev(0), rev(1, unit="P2")]
    broken = Revision("P3", "copies_total", None, 1.0, None, "Lan")  # no time: the database refuses the row
    with pytest.raises(ChisoError):
        ws.add_revisions(TAY_NINH, "qd766-2022", [rev(2), broken])
    assert ws.revisions(TAY_NINH, "qd766-2022") == [rev(0), rev(1, unit="P2")]  # rev(2) not stored either


def test_revisions_survive_reopening(db_url):
    w = open_workspace(db_url)
    w.add_revision(TAY_NINH, "qd766-2022", rev(0))
    w.close()
    again = open_workspace(db_url)
    assert again.revisions(TAY_NINH, "qd766-2022") == [rev(0)]
    again.close()


def scenario(name: str = "Tăng điện tử", n: int = 120) -> Scenario:
    return Scenario(name, "qd766-2022", "P1", "2023-02", {"e_results": n})


def test_scenario_round_trip_and_name_clash(ws):
    rb = load_rulebook("qd766-2022")
    lever = rb.levers[0].key
    sc = Scenario("Tăng điện tử", rb.id, "P1", "2023-02", {lever: 120})
    item = ws.save_scenario(sc, TAY_NINH)
    assert item.version == 1
    assert scenario_of(ws.saved("scenario", TAY_NINH, rb.id)[0], rb) == sc
    with pytest.raises(NameTakenError, match="Đã có kịch bản tên «Tăng điện tử»") as exc:
        ws.save_scenario(Scenario("Tăng  điện tử ", rb.id, "P1", "2023-02", {lever: 5}), TAY_NINH)
    assert exc.value.version == 1
    assert scenario_of(ws.get_saved("scenario", item.id), rb).levers == {lever: 120}, "nothing overwritten"
    new = ws.save_scenario(Scenario("Tăng điện tử", rb.id, "P1", "2023-02", {lever: 5}), TAY_NINH,
                           version=exc.value.version, overwrite=True)
    assert (new.id, new.version, new.body["levers"]) == (item.id, 2, {lever: 5})


def test_a_stale_save_is_refused_and_changes_nothing(ws):
    first = ws.save_scenario(scenario(n=1), TAY_NINH)
    # two sessions read version 1; the first to save wins, the second is refused
    ws.save_scenario(scenario(n=2), TAY_NINH, version=first.version, overwrite=True)
    with pytest.raises(StaleVersionError, match="vừa được phiên khác lưu"):
        ws.save_scenario(scenario(n=3), TAY_NINH, version=first.version, overwrite=True)
    assert ws.get_saved("scenario", first.id).body["levers"] == {"e_results": 2}
    with pytest.raises(StaleVersionError):
        ws.save_scenario(scenario(n=3), TAY_NINH, overwrite=True)  # overwrite without the version read
    with pytest.raises(StaleVersionError, match="chưa xóa"):
        ws.delete_saved("scenario", first.id, version=1)


def test_rename_and_delete(ws):
    a = ws.save_scenario(scenario("A"), TAY_NINH)
    b = ws.save_scenario(scenario("B"), TAY_NINH)
    with pytest.raises(NameTakenError):
        ws.rename_saved("scenario", a.id, a.version, "B")
    renamed = ws.rename_saved("scenario", a.id, a.version, "C")
    assert (renamed.name, renamed.version) == ("C", 2)
    with pytest.raises(StaleVersionError):
        ws.rename_saved("scenario", a.id, a.version, "D")
    ws.delete_saved("scenario", b.id, b.version)
    assert [i.name for i in ws.saved("scenario", TAY_NINH, "qd766-2022")] == ["C"]
    with pytest.raises(NotFoundError, match="Không còn kịch bản"):
        ws.get_saved("scenario", b.id)


def test_same_name_under_another_source_is_another_item(ws):
    ws.save_scenario(scenario("A"), TAY_NINH)
    ws.save_scenario(scenario("A"), "dataset:7")
    assert len(ws.saved("scenario", "dataset:7", "qd766-2022")) == 1


def test_empty_name_is_refused(ws):
    with pytest.raises(NameTakenError, match="Hãy đặt tên"):
        ws.save_scenario(scenario("   "), TAY_NINH)


PLAN = {
    "unit": "P1", "rulebook": "qd766-2022", "target": 70.0, "baseline": 61.2, "final_score": 70.1,
    "steps": [{"lever": "e_results", "from": 10.0, "to": 290.0, "points": 5.8},
              {"lever": "overdue_avoided", "from": 3.0, "to": 0.0, "points": 3.1}],
}


def test_plans_are_saved_versioned_and_listed_per_unit(ws):
    item = ws.save_plan("Kế hoạch tháng 8", PLAN, TAY_NINH, period="2023-02")
    assert (item.unit_code, item.rulebook, item.period, item.body) == ("P1", "qd766-2022", "2023-02", PLAN)
    with pytest.raises(NameTakenError, match="Đã có kế hoạch"):
        ws.save_plan("Kế hoạch tháng 8", PLAN, TAY_NINH)
    assert [p.name for p in ws.saved("plan", TAY_NINH, "qd766-2022", unit_code="P1")] == ["Kế hoạch tháng 8"]
    assert ws.saved("plan", TAY_NINH, "qd766-2022", unit_code="P2") == []
