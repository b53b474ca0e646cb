"""Real-browser fixtures: a Streamlit server on a free 127.0.0.1 port and Debian's chromium via Playwright.

A missing /usr/bin/chromium fails the run when CI=true and skips only on a developer's machine.
Every server's log (stderr) is read while it runs: a "Traceback" or "Uncaught app exception" in it fails
the test during which it was written (and the server's stop), with the offending lines.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict | None = None, warm: bool = False) -> subprocess.Popen:
    """``warm``: start as scripts/run_app.sh does (python -m ui.serve: samples scored before it listens)."""
    cmd = [
        sys.executable, "-m", *(["ui.serve"] if warm else ["streamlit", "run", "app.py"]),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]
    # each server gets its own empty workspace database unless the test names one (restarts share it)
    own_db = {"CHISO_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(prefix='chiso-e2e-')}/workspace.sqlite3"}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **own_db, **(env or {})})
    _drain_log(proc)
    deadline = time.time() + 120  # the warm start scores every sample first; CI machines are loaded
    while time.time() < deadline:
        if proc.poll() is not None:
            proc.log_thread.join(10)
            raise RuntimeError(f"streamlit exited: {''.join(proc.log)[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy in 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server, then fail if its log holds a traceback (users never see one; the log must not either)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    proc.log_thread.join(10)
    LIVE.discard(proc)
    assert_clean_log(proc.log)


# ---------------------------------------------------------------- the server log

LIVE: set[subprocess.Popen] = set()  # servers running now: checked after each test
_BAD = ("Traceback", "Uncaught app exception")


def _drain_log(proc: subprocess.Popen) -> None:
    """Read stderr into ``proc.log`` in a thread: a PIPE nobody reads blocks the server once it is full."""
    proc.log = []

    def pump() -> None:
        for raw in proc.stderr:  # ends when the server exits
            proc.log.append(raw.decode("utf-8", errors="replace"))

    proc.log_thread = threading.Thread(target=pump, name=f"log-{proc.pid}", daemon=True)
    proc.log_thread.start()
    LIVE.add(proc)


def assert_clean_log(lines: list[str]) -> None:
    """Fail with the offending lines (and the 30 after each, the traceback's body) when the log has one."""
    hits = [i for i, line in enumerate(lines) if any(b in line for b in _BAD)]
    if hits:
        shown = "".join("".join(lines[i:i + 30]) + "…\n" for i in hits[:3])
        pytest.fail(f"the server log has {len(hits)} traceback line(s):\n{shown}", pytrace=False)


@pytest.fixture(autouse=True)
def server_log_clean():
    """After each test: what the running servers logged during it holds no traceback."""
    seen = {proc: len(proc.log) for proc in LIVE}
    yield
    for proc in list(LIVE):  # a server started by this test's fixtures: its whole log
        assert_clean_log(proc.log[seen.get(proc, 0):])


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: the browser tests must run in CI.")
        pytest.skip(f"{CHROMIUM} is missing (local run only).")


def warm_up(browser, url: str) -> None:
    """Open the main page once so that the tests' timings do not include the first data load.
    (Deep links on a never-visited server are tested on their own in test_deeplink_e2e.py.)"""
    pg = browser.new_page()
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    pg.close()


@pytest.fixture(scope="session")
def server_url(browser):
    port = free_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        warm_up(browser, url)
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)  # also for tests that open their own context
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# CI runs on a loaded 2-core machine: assertions wait on state, with room for a slow first render
# (Playwright's own default for expect() is 5 s).
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(EXPECT_TIMEOUT_MS)
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def fresh_server(browser):
    """A server no browser has visited yet: what a colleague's shared link meets."""
    port = free_port()
    proc = start_server(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


def drawn(page, timeout: float = 60_000) -> None:
    """The app finished its run and drew what it sent: no skeleton, nothing stale, every plotly chart drawn.
    What the tests wait on before a screenshot, instead of a fixed pause (CI may be loaded)."""
    from playwright.sync_api import expect

    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-testid="stPlotlyChart"]:not(:has(.main-svg))')).to_have_count(0, timeout=timeout)



def idle(page) -> None:
    """Streamlit has finished its run (interacting during a run can be undone by it)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def type_in_grid(page, canvas, row: int, value: str, pending: int, right: int, click_x: int = 60,
                 tries: int = 1) -> None:
    """Type ``value`` into a data editor's cell as a user does: click column 0 of ``row``, move ``right``, Enter
    opens the cell editor, type, Enter. Each key waits for the grid to select the cell it should (CI may be
    loaded); then the app's «N ô đã sửa, chưa lưu» (``pending`` must differ from the count before: Streamlit
    sends a typed cell 150 ms after Enter). ``tries`` > 1 clicks again when the grid dropped the click (it
    drops one that comes back right after the pointer left the grid)."""
    from playwright.sync_api import expect

    def cell(col: int):  # the grid's accessible copy of a drawn cell
        return canvas.locator(f'[id="glide-cell-{col}-{row}"]')

    canvas.scroll_into_view_if_needed()
    for attempt in range(tries):
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + click_x, box["y"] + 36 + row * 35 + 17)  # header 36 px, rows 35 px
        try:
            expect(cell(0)).to_have_attribute("aria-selected", "true",
                                              **({"timeout": 10_000} if attempt < tries - 1 else {}))
            break
        except AssertionError:
            if attempt == tries - 1:
                raise
            idle(page)
    for col in range(1, right + 1):
        page.keyboard.press("ArrowRight")
        expect(cell(col)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")
    expect(editor).to_be_editable()
    editor.fill(value)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{pending} ô đã sửa, chưa lưu.")).to_be_visible()
    idle(page)
