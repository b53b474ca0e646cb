"""Two real browser sessions on one workspace (a training room, a city office and its wards), and accounts
(CHISO_AUTH=password): no saved number is ever lost or overwritten without a word; a stale save is refused
with the value now stored; a «đơn vị» account cannot change another unit; every change is in «Nhật ký»."""
from __future__ import annotations

import re
import tempfile

import pytest
from playwright.sync_api import expect

from chiso.rulebook import load_rulebook
from chiso.workspace import open_workspace
from chiso.workspace.access import Role

from conftest import EXPECT_TIMEOUT_MS, free_port, idle, start_server, stop_server, type_in_grid

RB = load_rulebook("qd766-2022")
ROWS = {"000.00.30.H53": 0, "000.20.30.H53": 1, "000.21.30.H53": 2}  # the grid's first rows (Tây Ninh)
WARD1, WARD2 = "000.20.30.H53", "000.21.30.H53"
FIRST_KEY = RB.input_keys[0]  # the grid's first editable column
PASSWORD = "mật khẩu đủ dài cho phường"


@pytest.fixture
def shared(browser):
    """A fresh server with its own database, and a factory of browser sessions (each its own context)."""
    db = f"sqlite:///{tempfile.mkdtemp(prefix='chiso-shared-')}/workspace.sqlite3"
    port = free_port()
    proc = start_server(port, env={"CHISO_DATABASE_URL": db})
    contexts = []

    def session(path: str):
        ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(EXPECT_TIMEOUT_MS)
        page.goto(f"http://127.0.0.1:{port}{path}")
        return page

    try:
        yield session, db
    finally:
        for ctx in contexts:
            ctx.close()
        stop_server(proc)


def stored(db: str) -> dict[tuple[str, str], float | None]:
    ws = open_workspace(db)
    try:
        return {(r.unit_code, r.key): r.new for r in ws.revisions("sample:tay-ninh", RB.id)}
    finally:
        ws.close()


def open_grid(page) -> None:
    page.get_by_role("tab", name="Cả bảng").click()
    expect(page.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]')).to_be_visible()
    idle(page)


def type_cell(page, row: int, value: str, pending: int, right: int = 1) -> None:
    """Type ``value`` into column ``right`` of ``row`` of the visible grid, as a user does (conftest.type_in_grid)."""
    canvas = page.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]').first
    type_in_grid(page, canvas, row, value, pending, right, tries=3)


def save_grid(page) -> None:
    page.get_by_role("button", name="Lưu bảng").click()


def test_a_grid_save_keeps_the_other_users_value_and_a_stale_cell_is_refused(shared, artifacts):
    session, db = shared
    b = session("/data?src=tay-ninh&rb=qd766-2022")
    a = session("/data?src=tay-ninh&rb=qd766-2022")
    open_grid(b)
    type_cell(b, ROWS[WARD2], "7", pending=1, right=2)  # B types into Phường 2 and does not save yet
    open_grid(a)
    type_cell(a, ROWS[WARD1], "5", pending=1, right=2)
    save_grid(a)
    expect(a.get_by_text("Đã lưu 1 giá trị nhập tay")).to_be_visible()
    assert stored(db) == {(WARD1, FIRST_KEY): 5.0}

    save_grid(b)  # B's save holds only B's cell: A's 5 stays
    expect(b.get_by_text("Đã lưu 1 giá trị nhập tay")).to_be_visible()
    assert stored(db) == {(WARD1, FIRST_KEY): 5.0, (WARD2, FIRST_KEY): 7.0}

    c = session("/data?src=tay-ninh&rb=qd766-2022")  # C opens the grid now (sees 5), then A changes it again
    open_grid(c)
    type_cell(c, ROWS[WARD1], "9", pending=1, right=2)
    type_cell(a, ROWS[WARD1], "6", pending=1, right=2)
    save_grid(a)
    expect(a.get_by_text("Đã lưu 1 giá trị nhập tay")).to_be_visible()
    save_grid(c)
    refusal = c.locator('[data-testid="stAlert"]').filter(has_text="Chưa lưu ô nào")
    expect(refusal).to_contain_text("UBND Phường 1")
    expect(refusal).to_contain_text("bạn thấy 5, nay là 6")
    assert stored(db)[(WARD1, FIRST_KEY)] == 6.0, "C's stale save changed nothing"
    c.screenshot(path=str(artifacts / "luu-bi-tu-choi.png"), full_page=True)
    c.get_by_role("button", name="Tải lại số liệu").click()
    expect(refusal).to_have_count(0)


def test_the_unit_editor_refuses_a_count_saved_meanwhile_and_shows_it_after_a_reload(shared):
    """«Một đơn vị» opens on the first unit (the city's department); its missing counts come first, in the
    rulebook's order, so row 0 is the first count of the rulebook, whose denominator is missing too."""
    session, db = shared
    city, first = "000.00.30.H53", RB.input_keys[0]
    b = session("/data?src=tay-ninh&rb=qd766-2022")
    a = session("/data?src=tay-ninh&rb=qd766-2022")
    for page in (b, a):
        expect(page.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]')).to_be_visible()
        idle(page)
    type_cell(b, 0, "3", pending=1, right=0)  # «Giá trị mới» (the first column), typed, not saved
    type_cell(a, 0, "2", pending=1, right=0)
    a.get_by_role("button", name="Lưu các giá trị mới").click()
    expect(a.get_by_text("Đã lưu 1 giá trị nhập tay")).to_be_visible()
    b.get_by_role("button", name="Lưu các giá trị mới").click()
    refusal = b.locator('[data-testid="stAlert"]').filter(has_text="Chưa lưu ô nào")
    expect(refusal).to_contain_text("bạn thấy trống, nay là 2")
    assert stored(db) == {(city, first): 2.0}
    b.get_by_role("button", name="Tải lại số liệu").click()
    expect(refusal).to_have_count(0)
    expect(b.get_by_text("ô đã sửa, chưa lưu")).to_have_count(0)  # B starts again from the stored values


def test_the_missing_count_box_beside_a_dead_lever_never_overwrites_a_saved_count(shared):
    session, db = shared
    path = f"/simulate?src=tay-ninh&rb={RB.id}&unit={WARD1}"
    label = f"Nhập: {RB.input('certified_copies_total').name_vi}"
    a, b = session(path), session(path)
    for page in (a, b):
        expect(page.get_by_role("spinbutton", name=label)).to_be_visible()
        idle(page)
    for page, value in ((a, "4000"), (b, "5000")):
        box = page.get_by_role("spinbutton", name=label)
        box.fill(value)
        expect(page.get_by_text(re.compile("Press Enter"))).to_be_hidden()  # Streamlit's English hint
        page.locator('[data-testid="stForm"]').filter(has=box).get_by_role("button", name="Lưu số liệu").click()
        if page is a:
            expect(a.locator(".st-key-lv_n_e_certified_copies")).to_have_count(1)  # the lever is alive for A
            row = a.locator('[data-testid="stHorizontalBlock"]').filter(
                has=a.locator(".st-key-lv_n_e_certified_copies"))
            row.get_by_role("button", name="Nhập số").click()
            typed = a.locator(".st-key-lv_c_e_certified_copies input")
            typed.fill("1600")  # «Nhập số», outside a form: Streamlit adds «Press Enter to apply» under it
            hint = a.locator('[data-testid="InputInstructions"]')  # static/vi.js also words it in Vietnamese
            expect(hint).to_have_count(1)  # it is there…
            expect(hint).to_be_hidden()  # …and never shown
            expect(a.get_by_text(re.compile("Press Enter"))).to_have_count(0)
            a.keyboard.press("Escape")
    refusal = b.locator('[data-testid="stAlert"]').filter(has_text="Chưa lưu ô nào")
    expect(refusal).to_contain_text("bạn thấy trống, nay là 4.000")
    assert stored(db) == {(WARD1, "certified_copies_total"): 4000.0}


def add_accounts(db: str) -> None:
    ws = open_workspace(db)
    try:
        ws.add_account("quantri", Role.ADMIN, (), "Quản trị viên", PASSWORD)
        ws.add_account("phuong1", Role.UNIT, (WARD1,), "UBND Phường 1", PASSWORD)
    finally:
        ws.close()


def sign_in(page, login: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text(f"Đăng nhập: ")).to_be_visible()


def test_with_accounts_a_visitor_sees_only_the_sign_in_a_unit_edits_only_its_own_and_the_log_shows_it(
        browser, artifacts):
    db = f"sqlite:///{tempfile.mkdtemp(prefix='chiso-auth-')}/workspace.sqlite3"
    add_accounts(db)
    port = free_port()
    proc = start_server(port, env={"CHISO_DATABASE_URL": db, "CHISO_AUTH": "password"})
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    try:
        page = ctx.new_page()
        page.set_default_timeout(EXPECT_TIMEOUT_MS)
        page.goto(f"http://127.0.0.1:{port}/data?src=tay-ninh&rb=qd766-2022")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
        idle(page)
        for data in ('[data-testid="stMetric"]', '[data-testid="stDataFrame"]', '[data-testid="stSidebarNav"]'):
            expect(page.locator(data)).to_have_count(0)  # no data, no menu before signing in
        expect(page.get_by_text("UBND Phường")).to_have_count(0)
        page.screenshot(path=str(artifacts / "dang-nhap.png"))
        page.get_by_label("Tên đăng nhập").fill("phuong1")
        page.get_by_label("Mật khẩu", exact=True).fill("sai mật khẩu rồi")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()

        sign_in(page, "phuong1")
        expect(page.get_by_role("heading", name="Số liệu", exact=True)).to_be_visible()  # the address they came with
        expect(page.get_by_label("Người nhập (không bắt buộc)")).to_have_count(0)  # the account is the author
        open_grid(page)
        type_cell(page, ROWS[WARD2], "7", pending=1, right=2)  # another unit: refused by chiso.workspace
        save_grid(page)
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="không có quyền")).to_be_visible()
        assert stored(db) == {}
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()

        sign_in(page, "phuong1")
        open_grid(page)
        type_cell(page, ROWS[WARD1], "5", pending=1, right=2)  # its own unit
        save_grid(page)
        expect(page.get_by_text("Đã lưu 1 giá trị nhập tay")).to_be_visible()
        assert stored(db) == {(WARD1, FIRST_KEY): 5.0}
        expect(page.get_by_role("link", name="Nhật ký")).to_have_count(0)  # not for a đơn vị
        page.get_by_role("button", name="Đăng xuất").click()

        sign_in(page, "quantri")
        page.get_by_role("link", name="Nhật ký").click()
        expect(page.get_by_role("heading", name="Nhật ký", exact=True)).to_be_visible()
        log = page.locator('[data-testid="stDataFrame"]').first
        expect(log).to_be_visible()
        ws = open_workspace(db)
        entries = ws.audit_entries()
        ws.close()
        assert [(e.actor, e.action) for e in entries if e.action == "save_counts"] == [
            ("UBND Phường 1 (phuong1)", "save_counts")]
        assert any(e.action == "login_failed" for e in entries)
        page.screenshot(path=str(artifacts / "nhat-ky.png"), full_page=True)
    finally:
        ctx.close()
        stop_server(proc)
