"""Issue 11: with CHISO_DATABASE_URL pointing to a database that cannot be used (an unreachable server, a
read-only file, a schema left by a newer chiso), the app still opens on sample data, says plainly that
saving is unavailable, and keeps a scenario in the session: no traceback anywhere."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from chiso.workspace import open_workspace

from conftest import open_page, unescape

PAGES = ["pages/overview.py", "pages/unit.py", "pages/simulate.py", "pages/plan.py", "pages/data.py"]
SAYS = "Không mở được cơ sở dữ liệu làm việc: số liệu nhập tay và kịch bản chỉ được giữ trong phiên này."


REASONS = {"unreachable": "không kết nối được", "read-only": "không có quyền ghi", "newer": "hãy cập nhật chiso"}


@pytest.fixture(params=list(REASONS))
def unusable(request, tmp_path, monkeypatch) -> str:
    path = tmp_path / "w.sqlite3"
    if request.param == "unreachable":
        url = "postgresql+psycopg://nobody@127.0.0.1:1/chiso"  # nothing listens on port 1
    elif request.param == "read-only":
        sqlite3.connect(path).close()
        url = f"sqlite:///file:{path}?mode=ro&uri=true"  # read-only: the schema cannot be created
    else:  # left by a newer chiso: a schema revision this code does not know
        url = f"sqlite:///{path}"
        open_workspace(url).close()
        with closing(sqlite3.connect(path)) as con, con:
            con.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    monkeypatch.setenv("CHISO_DATABASE_URL", url)
    return request.param


def warnings(at) -> list[str]:
    return [unescape(w.value) for w in at.warning]



def test_every_page_opens_on_sample_data_and_says_saving_is_unavailable(unusable):
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        assert at.metric or at.dataframe, f"{page}: no data shown"
        said = [w for w in warnings(at) if w.startswith(SAYS)]
        assert said, (page, warnings(at))
        assert REASONS[unusable] in said[0]


def test_a_scenario_is_kept_in_the_session_when_the_database_is_unusable(sample, unusable):
    at = open_page("pages/simulate.py", state={"unit_code": sample.first("commune")})
    at.text_input(key="sim_name").input("Phương án tạm").run()
    at.slider(key="lv_n_digitised").set_value(int(at.slider(key="lv_n_digitised").value) + 100).run()
    at.button(key="save_scenario").click().run()
    assert not at.exception and not at.error
    assert "Phương án tạm" in at.session_state["scenarios"]
    assert any(w.startswith(SAYS) for w in warnings(at))
