"""Browser benchmark: first render, page switch, and lever → updated score (keyboard and drag), in
Debian's chromium, with a breakdown of where each lever change spends its time.

    .venv/bin/python bench/bench_browser.py [--repeat 21] [--drags 5]

- Data: the national synthetic sample (``?src=gia-lap``, 3.857 units) when present, else the largest
  bundled sample; the script says which, and prints ``uptime`` (the machine may be shared).
- First render: a new browser session opens Tổng quan until the table and the cohort medians show
  (cold = first session of a freshly started server; warm = the next sessions). The server starts as
  ``scripts/run_app.sh`` starts it (``python -m ui.serve``: samples scored before it listens); ``--plain``
  starts it with ``streamlit run app.py`` instead, where the first session also pays for the imports and
  the scoring. Then every page once per new session (1366×768): when its main content shows, and when the
  page settles (its last DOM change before 1,5 s without any: charts, iframes and fonts included).
  For scale, Streamlit's own floor: a minimal app (a title and one metric) timed the same way.
- Returning visitor: the same measures in one browser profile that has opened the app before (Chromium's
  HTTP and code caches warm, as for an official who uses the app every week; Streamlit's script bundles are
  served as immutable): every page opened in the same tab (its address typed, a bookmark: a new session each
  time) and in a new tab (a link opened from a chat: Chromium starts a new renderer), then the page switch.
- Page switch: from Tổng quan, a click on «Mô phỏng» until the scenario total shows.
- Keyboard: the simulator shows a commune; the focused slider of a lever whose single step changes the
  rounded total gets ArrowRight / ArrowLeft alternately; timed from the key press to the moment
  the sticky score bar (computed in the browser, ui/score_bar.py) and then the server's metric
  "Tổng điểm (kịch bản)" show the engine's value for the new lever position (both are reported).
- Drag: five drags of the commune's first lever thumb to different points of its track, each timed from
  mouse-up to the total the engine gives for the position the slider reports after release (the bar
  already follows during the drag: 0 ms means it was right at mouse-up).
- Breakdown (measured inside the page with ``performance.now()``): input → first websocket message
  sent (the slider's debounce), sent → first message back (server: rerun start, the script up to the
  first element), first message back → metric shown (the rest of the rerun streamed and rendered up to
  the metric), plus the number of messages and bytes the rerun sends back in all.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402
from load_client import url_path  # noqa: E402  (the default page is served at the root)

from chiso.calibration import baseline  # noqa: E402
from chiso.engine import input_matrix, level_index  # noqa: E402
from chiso.fmt import fmt_points  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.samples import available_samples, load_sample  # noqa: E402
from chiso.scenario import delta_for_count, fixed_reason_vi, lever_rooms, simulate  # noqa: E402

TOTAL = '[data-testid="stMetric"]:has-text("Tổng điểm (kịch bản)") [data-testid="stMetricValue"]'  # Playwright
TOTAL_JS = """() => { for (const m of document.querySelectorAll('[data-testid="stMetric"]'))
  if (m.innerText.startsWith('Tổng điểm (kịch bản)'))
    return m.querySelector('[data-testid="stMetricValue"]').innerText; return null; }"""
# wrap the page's WebSocket and record input events, so the breakdown is timed inside the browser
PROBE = """(() => {
  window.__ws = []; window.__input = 0;
  const W = window.WebSocket;
  class Probe extends W {
    constructor(...a) { super(...a);
      this.addEventListener('message', e => window.__ws.push(['r', performance.now(),
        e.data.byteLength ?? e.data.size ?? e.data.length])); }
    send(d) { window.__ws.push(['s', performance.now(), d.byteLength ?? d.length]); return super.send(d); }
  }
  window.WebSocket = Probe;
  for (const ev of ['keydown', 'pointerup', 'mouseup'])
    document.addEventListener(ev, () => { window.__input = performance.now(); }, true);
})();"""
BAR_JS = """() => { const f = document.querySelector('.st-key-score_bar iframe');
  const e = f && f.contentDocument && f.contentDocument.querySelector('[data-testid=live-total]');
  return e ? e.textContent : null; }"""
# the first moment the live bar shows the total, then the moment the server's metric does
SHOWN_JS = f"""t => {{ const now = performance.now();
  if (!window.__bar && ({BAR_JS})() === t) window.__bar = now;
  if (({TOTAL_JS})() === t) {{ window.__shown = now; return !!window.__bar; }} return false; }}"""
RESET_JS = "() => { window.__ws = []; window.__bar = 0; window.__shown = 0; }"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


class Unit:
    """The chosen commune: its row, and the engine's total for any lever deltas."""

    def __init__(self, table, rb):
        self.rb, self.base = rb, baseline(table, rb)
        self.x, self.lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
        self.keys = [lv.key for lv in rb.levers]
        self.i, self.lever = self._choose(table)
        self.code = str(table.frame["unit_code"][self.i])
        self.rooms = {r.lever.key: r for r in lever_rooms(self.x[self.i], "commune", rb)}
        self.first = next(k for k in self.keys if not fixed_reason_vi(self.rooms[k]))

    def total(self, levers: dict[str, int]) -> str:
        d = np.array([[levers.get(k, 0) for k in self.keys]], dtype=float)
        i = self.i
        return fmt_points(simulate(self.x[i][None], self.lvl[i:i + 1], self.rb, d, self.base.held[i:i + 1]).total[0])

    def _choose(self, table):
        """A commune with a lever whose single step changes the rounded total (so every press shows)."""
        for i in np.flatnonzero(table.frame["level"].to_numpy() == "commune"):
            self.i = i
            rooms = {r.lever.key: r for r in lever_rooms(self.x[i], "commune", self.rb)}
            for key in ("paid_online_tthc", "fee_integrated_tthc", "citizen_data_tthc", "overdue_avoided"):
                if rooms[key].movable and rooms[key].room >= 2 and self.total({key: 1}) != self.total({}):
                    return int(i), key
        raise SystemExit("no commune with a lever whose one step changes the score")


def first_render(browser, url: str) -> float:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    dt = time.perf_counter() - t0
    ctx.close()
    return dt


# the moment the page stops changing: the last DOM insertion or text change in the app, timed in the page
SETTLE = """(() => { window.__last = 0;
  new MutationObserver(() => { window.__last = performance.now(); })
    .observe(document, {childList: true, subtree: true, characterData: true}); })();"""
SETTLED = "q => document.querySelector('h1') && performance.now() - window.__last > q"
PAGES = {  # path → what the first render must show (besides the title)
    "overview": '[data-testid="stDataFrame"]', "unit": '[data-testid="stMetricValue"]',
    "simulate": TOTAL, "plan": '[data-testid="stButton"]', "data": '[data-testid="stDataFrame"]',
    "policy": '[data-testid="stMetricValue"]', "guide": '[data-testid="stMarkdown"]',
}


def settled_render(browser, url: str, ready: str, quiet_ms: int = 1500) -> tuple[float, float]:
    """A new session opens ``url``: (seconds until ``ready`` shows, seconds until the last change of the
    page before ``quiet_ms`` without any), both from the start of navigation."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    page.add_init_script(SETTLE)
    page.goto(url)
    page.wait_for_selector(ready, timeout=60_000)
    shown = page.evaluate("() => performance.now()")
    page.wait_for_function(SETTLED, arg=quiet_ms, polling=100, timeout=60_000)
    last = page.evaluate("() => window.__last")
    ctx.close()
    return shown / 1000, max(shown, last) / 1000


def every_page(browser, url: str, key: str, runs: int = 5) -> None:
    """First render of each page in a new session (warm server), median of ``runs``, at 1366×768."""
    print(f"First render of every page, new session on a warm server, 1366×768 (median of {runs}): "
          "main content shown / page settled (last change before 1,5 s without any)")
    for path, ready in PAGES.items():
        times = [settled_render(browser, f"{url}/{url_path(path)}?src={key}", ready) for _ in range(runs)]
        shown, done = (statistics.median(t[i] for t in times) for i in (0, 1))
        print(f"  {path:9s} {shown:.2f} s / {done:.2f} s")


FLOOR_APP = """import streamlit as st
st.set_page_config(layout="wide")
st.title("Tổng quan")
st.metric("Tổng điểm", "61,13")
"""


def floor(browser, runs: int = 5) -> None:
    """Streamlit's own floor on this machine: a page with a title and one metric, in a new session."""
    import tempfile

    app = Path(tempfile.mkdtemp(prefix="chiso-floor-")) / "app.py"
    app.write_text(FLOOR_APP, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.headless=true",
                             f"--server.port={port}", "--browser.gatherUsageStats=false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        times = []
        for _ in range(runs + 1):  # the first visit warms the server
            ctx = browser.new_context(viewport={"width": 1366, "height": 768})
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
            times.append(time.perf_counter() - t0)
            ctx.close()
        print(f"Streamlit's floor (title + one metric, new session, warm server): median "
              f"{statistics.median(times[1:]):.2f} s of {runs}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def returning_visitor(p, url: str, key: str, runs: int = 5) -> None:
    """Every page and the page switch in one persistent profile whose caches the first visits fill."""
    import tempfile

    ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(prefix="chiso-profile-"), executable_path=CHROMIUM,
                                               args=CHROMIUM_ARGS, viewport={"width": 1366, "height": 768})
    page = ctx.pages[0]

    def visit(path: str, ready: str) -> float:
        page.goto("about:blank")
        t0 = time.perf_counter()
        page.goto(f"{url}/{url_path(path)}?src={key}")
        page.wait_for_selector(ready, timeout=60_000)
        return time.perf_counter() - t0

    def new_tab(path: str, ready: str) -> float:
        tab = ctx.new_page()
        t0 = time.perf_counter()
        tab.goto(f"{url}/{url_path(path)}?src={key}")
        tab.wait_for_selector(ready, timeout=60_000)
        dt = time.perf_counter() - t0
        tab.close()
        return dt

    try:
        for path, ready in PAGES.items():  # fill the caches: every page's scripts once
            visit(path, ready)
        print(f"Returning visitor (browser caches warm, warm server), 1366×768, median of {runs}: main content "
              "shown, same tab / new tab")
        for path, ready in PAGES.items():
            same = statistics.median(visit(path, ready) for _ in range(runs))
            print(f"  {path:9s} {same:.2f} s / {statistics.median(new_tab(path, ready) for _ in range(runs)):.2f} s")
        switch = []
        for _ in range(runs):
            visit("overview", PAGES["overview"])
            t0 = time.perf_counter()
            # a DOM click: Playwright's actionability check calls the link inert in a persistent profile
            page.evaluate("() => document.querySelector('a[data-testid=stSidebarNavLink][href$=\"/simulate\"]').click()")
            page.wait_for_selector(TOTAL, timeout=60_000)
            switch.append(time.perf_counter() - t0)
        print(f"  page switch Tổng quan → Mô phỏng: median {statistics.median(switch):.2f} s")
    finally:
        ctx.close()


def page_switch(browser, url: str, from_unit: bool = False) -> float:
    """Tổng quan → «Mô phỏng» in the menu, or (``from_unit``) Đơn vị → «Mô phỏng cải thiện cho đơn vị này»."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    page.goto(url.replace("/?", "/unit?") if from_unit else url)
    page.wait_for_selector('[data-testid="stMetricValue"]' if from_unit else '[data-testid="stDataFrame"]',
                           timeout=60_000)
    t0 = time.perf_counter()
    if from_unit:
        page.get_by_role("link", name="Mô phỏng cải thiện cho đơn vị này").click()
    else:
        page.get_by_role("link", name="Mô phỏng").click()
    page.wait_for_selector(TOTAL, timeout=60_000)
    dt = time.perf_counter() - t0
    ctx.close()
    return dt


def breakdown(page) -> dict:
    """Split the last input → total shown into client debounce, server, stream and render."""
    ws, t_in, t_shown = page.evaluate("() => [window.__ws, window.__input, window.__shown]")
    sent = [t for k, t, _ in ws if k == "s" and t >= t_in]
    back = [(t, n) for k, t, n in ws if k == "r" and sent and t >= sent[0]]
    if not sent or not back:
        return {}
    return {"debounce": sent[0] - t_in, "server": back[0][0] - sent[0], "stream_render": t_shown - back[0][0],
            "msgs": len(back), "kbytes": sum(n or 0 for _, n in back) / 1024}


def wait_shown(page, text: str) -> None:
    page.wait_for_function(SHOWN_JS, arg=text, polling="raf", timeout=30_000)


def keyboard(page, unit: Unit, repeat: int) -> tuple[list[float], list[dict]]:
    slider = page.locator(f".st-key-lv_n_{unit.lever} input[type=range]")
    before, after = unit.total({}), unit.total({unit.lever: 1})
    wait_shown(page, before)
    times, parts = [], []
    for n in range(repeat + repeat % 2):  # an even count: the lever ends where it started
        target, press = (after, "ArrowRight") if n % 2 == 0 else (before, "ArrowLeft")
        slider.focus()
        page.evaluate(RESET_JS)
        page.keyboard.press(press)
        wait_shown(page, target)
        times.append(page.evaluate("() => [window.__bar - window.__input, window.__shown - window.__input]"))
        page.wait_for_timeout(400)  # let the rerun finish before counting its messages
        parts.append(breakdown(page))
    return times, parts


def drags(page, unit: Unit, count: int) -> tuple[list[float], list[dict]]:
    key = unit.first
    room = unit.rooms[key]
    thumb = page.locator(f'.st-key-lv_n_{key} [data-testid="stSliderThumbValue"]').locator("xpath=..")
    track = page.locator(f".st-key-lv_n_{key} [data-testid='stSlider']")
    hidden = page.locator(f".st-key-lv_n_{key} input[type=range]")
    times, parts = [], []
    for frac in (0.8, 0.3, 0.9, 0.15, 0.6)[:count]:
        thumb.scroll_into_view_if_needed()
        box, tbox = thumb.bounding_box(), track.bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(tbox["x"] + frac * tbox["width"], y, steps=6)
        page.evaluate(RESET_JS)
        page.mouse.up()
        value = int(hidden.input_value())
        wait_shown(page, unit.total({key: delta_for_count(room, value)}))
        times.append(page.evaluate("() => [Math.max(0, window.__bar - window.__input), window.__shown - window.__input]"))
        page.wait_for_timeout(600)
        parts.append(breakdown(page))
    return times, parts


def stats(t_ms: list[float]) -> str:
    s = sorted(t_ms)
    return (f"median {statistics.median(s):.0f} ms, p90 {s[int(0.9 * (len(s) - 1))]:.0f} ms, "
            f"min {s[0]:.0f} ms, max {s[-1]:.0f} ms")


def summary(name: str, t_ms: list[list[float]], parts: list[dict], target: str) -> None:
    print(f"{name} ({len(t_ms)}), score bar (computed in the browser): {stats([b for b, _ in t_ms])} ({target})")
    print(f"  server's metric «Tổng điểm (kịch bản)» (Streamlit round trip): {stats([m for _, m in t_ms])}")
    parts = [p for p in parts if p]
    if parts:
        med = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
        print(f"  breakdown (medians): input → sent {med['debounce']:.0f} ms · sent → first reply (server) "
              f"{med['server']:.0f} ms · first reply → metric shown {med['stream_render']:.0f} ms · "
              f"reply {med['msgs']:.0f} messages, {med['kbytes']:.1f} kB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=21, help="keyboard presses")
    ap.add_argument("--drags", type=int, default=5)
    ap.add_argument("--plain", action="store_true", help="start the server with streamlit run app.py (cold)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    s = max(available_samples(), key=lambda s: len(load_sample(s, load_rulebook(s.rulebook))))
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    unit = Unit(table, rb)
    print(f"Dữ liệu: mẫu {s.key}, {len(table)} đơn vị; xã {unit.code}; phím: {unit.lever}; kéo: {unit.first}")
    print(f"Tải máy lúc bắt đầu: {uptime()}")
    port = free_port()
    proc = start_server(port, warm=not args.plain)
    print("Server: " + ("streamlit run app.py (cold start)" if args.plain else
                        "python -m ui.serve, as scripts/run_app.sh starts it (samples scored before it listens)"))
    url = f"http://127.0.0.1:{port}"
    src = f"{url}/?src={s.key}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold = first_render(browser, src)
            warm = [first_render(browser, src) for _ in range(5)]
            print(f"First render (Tổng quan, ?src={s.key}): cold {cold:.2f} s, warm median "
                  f"{statistics.median(warm):.2f} s, max {max(warm):.2f} s (targets < 3 s / < 2 s)")
            floor(browser)
            every_page(browser, url, s.key)
            sw = [page_switch(browser, src) for _ in range(5)]
            print(f"Page switch Tổng quan → Mô phỏng: median {statistics.median(sw):.2f} s (target < 1 s)")
            sw = [page_switch(browser, src, from_unit=True) for _ in range(5)]
            print(f"Đơn vị → «Mô phỏng cải thiện cho đơn vị này»: median {statistics.median(sw):.2f} s (target < 1 s)")
            returning_visitor(p, url, s.key)
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            ctx.add_init_script(PROBE)
            page = ctx.new_page()
            page.goto(f"{url}/simulate?src={s.key}&rb={rb.id}&unit={unit.code}")
            page.wait_for_selector(TOTAL, timeout=60_000)
            t, parts = keyboard(page, unit, args.repeat)
            summary("Keyboard → updated score", t, parts, "target median < 200 ms, p90 < 350 ms")
            t, parts = drags(page, unit, args.drags)
            summary("Drag (mouse-up) → updated score", t, parts, "target median < 200 ms, p90 < 350 ms")
            ctx.close()
            browser.close()
    finally:
        stop_server(proc)
    print(f"Tải máy lúc kết thúc: {uptime()}")


if __name__ == "__main__":
    main()
