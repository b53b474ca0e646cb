"""AppTest helpers: the real entry point (st.navigation), the sample data, and captured downloads."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from chiso.calibration import baseline
from chiso.engine import input_matrix, level_index
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample
from ui.html_table import TABLE_CLASS

APP = Path(__file__).parents[2] / "app.py"


def open_page(page: str | None = None, query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unescape(shown: str) -> str:
    """The text a reader sees (ui.safe_md escapes markdown characters with a backslash)."""
    return re.sub(r"\\(.)", r"\1", shown)


class Sample:
    """The default sample as the app loads it, scored by the engine (expected values come from here)."""

    def __init__(self):
        s = available_samples()[0]
        self.rb = load_rulebook(s.rulebook)
        self.table = load_sample(s, self.rb)
        self.frame = self.table.frame
        self.base = baseline(self.table, self.rb)
        self.x = input_matrix(self.frame, self.rb)
        self.level_idx = level_index(self.frame["level"])
        self.codes = self.frame["unit_code"].to_numpy(object)

    def index(self, code: str) -> int:
        return int(np.flatnonzero(self.codes == code)[0])

    def first(self, level: str) -> str:
        return str(self.frame.loc[self.frame["level"] == level, "unit_code"].iloc[0])


@pytest.fixture(autouse=True)
def own_workspace(tmp_path, monkeypatch):
    """Every AppTest gets an empty workspace database (saved scenarios never leak between tests)."""
    url = f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    monkeypatch.setenv("CHISO_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def sample() -> Sample:
    return Sample()


@pytest.fixture
def downloads(monkeypatch):
    """Every file a download button offers in this test, by file name (deferred ones are generated)."""
    files: dict[str, bytes] = {}
    eager = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            files[filename] = path_or_data if isinstance(path_or_data, bytes) else str(path_or_data).encode()
        return eager(self, path_or_data, mimetype, kind, filename)

    deferred = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        if file_name:
            files[file_name] = _as_bytes(data_callable())
        return deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return files


def _as_bytes(data) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    return data.read()


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """What clicking a tab sends: lazy tabs (``st.tabs(key=…, on_change="rerun")``) rerun and build only the
    open one."""
    at.session_state[key] = label
    return at.run()


def metric(at: AppTest, label: str):
    hits = [m for m in at.metric if m.label == label or m.label.startswith(label)]
    assert hits, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return hits[0]


def solve_batch(at: AppTest, timeout: float = 120) -> AppTest:
    """Click «Lập kế hoạch cho … đơn vị», wait for the queued job (the page polls it), show its result."""
    at.button(key="batch_solve").click().run()
    if "batch_job" in at.session_state:
        assert at.session_state["batch_job"]["job"].wait(timeout), "the batch job did not finish"
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class _Cells(HTMLParser):
    """The header and body cells of one table drawn by ui.html_table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at) -> list[dict[str, list[str]]]:
    """Each table the page drew with ui.html_table, as {column: cells}."""
    out = []
    for h in at.get("html"):
        if f'class="{TABLE_CLASS}' in h.proto.body:
            parser = _Cells()
            parser.feed(h.proto.body)
            head, *rows = parser.rows
            out.append({c: [r[n] for r in rows] for n, c in enumerate(head)})
    return out
