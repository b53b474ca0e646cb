"""Rights are enforced by the workspace itself: a call without the right is refused and writes nothing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chiso.edits import Revision
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample
from chiso.scenario import Scenario
from chiso.workspace import NameTakenError, sample_key
from chiso.workspace.access import AccessError, Role, parse_role
from chiso.workspace.accounts import LoginError

KEY, RB = sample_key("tay-ninh"), "qd766-2022"
CITY, WARD1, WARD2 = "000.00.30.H53", "000.20.30.H53", "000.21.30.H53"  # TP. Tây Ninh and two of its wards
AT = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)
PASSWORD = "mật khẩu đủ dài"


def rev(unit: str, new: float = 1.0) -> Revision:
    return Revision(unit, "copies_total", None, new, AT)


def scenario(unit: str, name: str = "A") -> Scenario:
    return Scenario(name, RB, unit, "2023-02", {})


def accounts(ws):
    ws.add_account("phuong1", Role.UNIT, (WARD1,), "UBND Phường 1", PASSWORD)
    ws.add_account("thanhpho", Role.AGGREGATOR, (CITY,), "Văn phòng TP", PASSWORD)
    ws.add_account("hocvien", Role.GUEST, (), "Học viên", PASSWORD)
    return {login: ws.for_actor(ws.sign_in(login, PASSWORD).actor()) for login in ("phuong1", "thanhpho", "hocvien")}


def test_a_unit_account_changes_only_its_own_unit(ws):
    as_ = accounts(ws)
    as_["phuong1"].save_edits(KEY, RB, [rev(WARD1)])
    with pytest.raises(AccessError, match="không có quyền sửa số liệu của đơn vị 000.21.30.H53"):
        as_["phuong1"].save_edits(KEY, RB, [rev(WARD1, 2.0), rev(WARD2)])
    assert [r.unit_code for r in ws.revisions(KEY, RB)] == [WARD1], "the refused batch wrote nothing"
    with pytest.raises(AccessError):
        as_["phuong1"].save_scenario(scenario(WARD2), KEY)
    as_["phuong1"].save_scenario(scenario(WARD1), KEY)


def test_an_aggregator_changes_every_unit_under_its_city_found_through_the_parents(ws):
    as_ = accounts(ws)
    as_["thanhpho"].save_edits(KEY, RB, [rev(WARD1), rev(WARD2), rev(CITY)])
    assert len(ws.revisions(KEY, RB)) == 3
    with pytest.raises(AccessError):
        as_["thanhpho"].save_edits(KEY, RB, [Revision("H44.100", "copies_total", None, 1.0, AT)])


def test_a_guest_reads_and_simulates_but_stores_nothing(ws):
    guest = accounts(ws)["hocvien"]
    for attempt in (lambda: guest.save_edits(KEY, RB, [rev(WARD1)]),
                    lambda: guest.save_scenario(scenario(WARD1), KEY)):
        with pytest.raises(AccessError, match="khách / học viên"):
            attempt()
    assert guest.revisions(KEY, RB) == []
    with pytest.raises(AccessError):
        guest.audit_entries()
    rb = load_rulebook(RB)
    with pytest.raises(AccessError):
        guest.import_table(load_sample(sample("tay-ninh"), rb), "x", "h", RB)


def test_only_an_administrator_manages_accounts_and_reads_the_audit_trail(ws):
    unit = accounts(ws)["phuong1"]
    with pytest.raises(AccessError):
        unit.add_account("ke-gian", Role.ADMIN, (), "", PASSWORD)
    with pytest.raises(AccessError):
        unit.set_password("thanhpho", "một mật khẩu mới dài")
    unit.set_password("phuong1", "một mật khẩu mới dài")  # one's own password: yes
    assert ws.sign_in("phuong1", "một mật khẩu mới dài").login == "phuong1"
    assert [a.login for a in ws.accounts()] == ["hocvien", "phuong1", "thanhpho"]


def test_failed_sign_ins_are_throttled_and_said_the_same_way(ws):
    ws.add_account("lan", Role.UNIT, (WARD1,), "Lan", PASSWORD)
    for _ in range(5):
        with pytest.raises(LoginError, match="không đúng"):
            ws.sign_in("lan", "sai mật khẩu rồi")
    with pytest.raises(LoginError, match="thử lại sau"):
        ws.sign_in("lan", PASSWORD)  # even the right password waits now
    with pytest.raises(LoginError, match="không đúng") as unknown:
        ws.sign_in("khong-co-ai", PASSWORD)
    assert "khong-co-ai" not in str(unknown.value)
    ws.set_account_disabled("lan", True)
    with pytest.raises(LoginError):
        ws.sign_in("lan", PASSWORD)


def test_the_wait_ends(ws, monkeypatch):
    from chiso.workspace import accounts as acc
    ws.add_account("lan", Role.UNIT, (WARD1,), "Lan", PASSWORD)
    for _ in range(5):
        with pytest.raises(LoginError):
            ws.sign_in("lan", "sai mật khẩu rồi")
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    real = acc.verify
    monkeypatch.setattr(acc, "verify", lambda s, login, pw, now=None: real(s, login, pw, later))
    assert ws.sign_in("lan", PASSWORD).login == "lan"


def test_short_passwords_and_unknown_roles_are_refused_in_vietnamese(ws):
    with pytest.raises(Exception, match="ít nhất 10 ký tự"):
        ws.add_account("lan", Role.UNIT, (WARD1,), "Lan", "ngan")
    with pytest.raises(Exception, match="cần ít nhất một mã đơn vị"):
        ws.add_account("lan", Role.UNIT, (), "Lan", PASSWORD)
    assert parse_role("đơn vị") is Role.UNIT and parse_role("quan_tri") is Role.ADMIN
    with pytest.raises(Exception, match="Vai trò «chủ tịch» không có"):
        parse_role("chủ tịch")


def test_deletes_are_soft_recorded_and_restorable(ws):
    item = ws.save_scenario(scenario(WARD1, "Phương án A"), KEY)
    ws.delete_saved("scenario", item.id, item.version)
    assert ws.saved("scenario", KEY, RB) == []
    (gone,) = ws.deleted_saved("scenario", KEY, RB)
    assert gone.name == "Phương án A" and gone.deleted_at is not None
    ws.save_scenario(scenario(WARD1, "Phương án A"), KEY)  # the name is free while the old one is deleted
    with pytest.raises(NameTakenError, match="đổi tên"):
        ws.restore_saved("scenario", gone.id)
    ws.rename_saved("scenario", ws.saved("scenario", KEY, RB)[0].id, 1, "Phương án B")
    ws.restore_saved("scenario", gone.id)
    assert sorted(i.name for i in ws.saved("scenario", KEY, RB)) == ["Phương án A", "Phương án B"]


def test_every_change_is_in_the_audit_trail_with_who_and_what(ws):
    as_ = accounts(ws)
    as_["phuong1"].save_edits(KEY, RB, [rev(WARD1)])
    as_["phuong1"].undo_revision(KEY, RB)
    item = as_["phuong1"].save_scenario(scenario(WARD1), KEY)
    as_["phuong1"].delete_saved("scenario", item.id, item.version)
    as_["phuong1"].restore_saved("scenario", item.id)
    entries = ws.audit_entries()
    assert [e.action for e in entries][:5] == [
        "restore_scenario", "delete_scenario", "save_scenario", "undo_counts", "save_counts"]
    assert {e.actor for e in entries[:5]} == {"UBND Phường 1 (phuong1)"}
    assert entries[4].detail["changes"] == [[WARD1, "copies_total", None, 1.0]]
    assert entries[4].action_vi == "lưu số liệu nhập tay"
