"""Accounts in the app (CHISO_AUTH): a visitor who is not signed in sees the sign-in form and no data; the
identity provider path (st.login / OIDC) maps the signed-in e-mail to an account and its role."""
from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

from chiso.workspace import open_workspace
from chiso.workspace.access import Role

from conftest import APP

WARD1 = "000.20.30.H53"
PASSWORD = "mật khẩu đủ dài cho phường"


@pytest.fixture
def accounts(own_workspace):
    ws = open_workspace(own_workspace)
    ws.add_account("phuong1", Role.UNIT, (WARD1,), "UBND Phường 1", PASSWORD)
    ws.add_account("lan@tayninh.gov.vn", Role.AGGREGATOR, ("000.00.30.H53",), "Chị Lan", None)  # SSO only
    ws.close()


PROVIDER = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                     "client_id": "chiso", "client_secret": "bí mật",
                     "server_metadata_url": "https://idp.example.vn/.well-known/openid-configuration"}}


def app(mode: str, user: dict | None = None, secrets: dict | None = None) -> AppTest:
    os.environ["CHISO_AUTH"] = mode
    at = AppTest.from_file(str(APP), default_timeout=60)
    if secrets:
        at.secrets.update(secrets)
    at.session_state["data_source"] = "tay-ninh"
    at.session_state["rulebook_choice"] = "qd766-2022"
    if user is not None:
        at.user = user
    return at.run()


@pytest.fixture(autouse=True)
def no_auth_after(monkeypatch):
    monkeypatch.setenv("CHISO_AUTH", "")
    yield


def nothing_shown(at: AppTest) -> None:
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    assert "UBND Phường" not in str([m.value for m in at.markdown])


def test_with_passwords_a_visitor_sees_the_sign_in_form_and_no_data(accounts):
    at = app("password")
    assert not at.exception
    nothing_shown(at)
    at.text_input(key="signin_login").input("phuong1")
    at.text_input(key="signin_password").input("sai mật khẩu rồi")
    at = at.button(key="signin_submit").click().run()
    assert "không đúng" in at.error[0].value
    nothing_shown(at)
    at.text_input(key="signin_password").input(PASSWORD)
    at = at.button(key="signin_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, "signed in: the page shows its data"
    assert any("UBND Phường 1" in c.value and "đơn vị" in c.value for c in at.sidebar.caption)


def test_a_mistyped_auth_mode_fails_closed_with_a_vietnamese_message(accounts):
    at = app("passwrod")
    nothing_shown(at)
    assert "CHISO\\_AUTH=«passwrod» không hợp lệ" in at.error[0].value


def test_with_an_identity_provider_the_e_mail_maps_to_the_account_and_its_role(accounts):
    at = app("oidc", {"is_logged_in": False}, PROVIDER)
    nothing_shown(at)
    assert at.button(key="signin_oidc").label == "Đăng nhập bằng tài khoản cơ quan"
    unset = app("oidc", {"is_logged_in": False})
    assert "Chưa cấu hình nhà cung cấp định danh" in unset.error[0].value and not unset.button
    at = app("oidc", {"is_logged_in": True, "email": "lan@tayninh.gov.vn", "name": "Lan"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric
    assert any("Chị Lan" in c.value and "cán bộ tổng hợp" in c.value for c in at.sidebar.caption)


def test_an_identity_without_an_account_is_told_to_ask_the_administrator(accounts):
    at = app("oidc", {"is_logged_in": True, "email": "ai.do@example.vn"})
    nothing_shown(at)
    assert "chưa được cấp quyền" in at.error[0].value


def signed_in_as_phuong1() -> AppTest:
    at = app("password")
    at.text_input(key="signin_login").input("phuong1")
    at.text_input(key="signin_password").input(PASSWORD)
    return at.button(key="signin_submit").click().run()


def test_an_idle_session_expires_and_forgets_the_account(accounts):
    at = signed_in_as_phuong1()
    assert at.metric
    at.session_state["_auth_seen_at"] = time.time() - 3 * 3600  # 3 hours without a click (limit: 2)
    at = at.run()
    nothing_shown(at)
    assert "Phiên đăng nhập đã hết hạn" in at.warning[0].value


def test_a_disabled_account_is_signed_out_at_its_next_click(accounts, own_workspace):
    at = signed_in_as_phuong1()
    ws = open_workspace(own_workspace)
    ws.set_account_disabled("phuong1", True)
    ws.close()
    at = at.run()
    nothing_shown(at)
    assert "đã bị khóa" in at.warning[0].value


def test_a_guest_simulates_and_keeps_scenarios_in_the_session_only(accounts, own_workspace):
    ws = open_workspace(own_workspace)
    ws.add_account("hocvien01", Role.GUEST, (), "Học viên 01", PASSWORD)
    at = app("password")
    at.text_input(key="signin_login").input("hocvien01")
    at.text_input(key="signin_password").input(PASSWORD)
    at = at.button(key="signin_submit").click().run()
    at = at.switch_page("pages/simulate.py").run()
    assert not at.exception, [e.value for e in at.exception]
    slider = at.slider(key="lv_n_e_results")
    slider.set_value(slider.value + 10).run()
    at.text_input(key="sim_name").input("Bài tập nhóm 1").run()
    at = at.button(key="save_scenario").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Bài tập nhóm 1" in at.session_state["scenarios"]
    assert ws.saved("scenario", None, "qd766-2022") == []
    ws.close()
