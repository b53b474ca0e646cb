"""Browser benchmark: first page render, and lever change → updated score, in Debian's chromium.

    .venv/bin/python bench/bench_browser.py [--repeat 21] [--data PATH]

- First render: a new browser session opens the app until the overview table and the cohort medians
  are on screen (cold = first session of a fresh server, data read from disk; warm = next session).
- Lever latency: with the largest data set loaded (the national synthetic sample when present, else
  the bundled Phú Thọ sample; the script says which), the simulator shows a commune; the keyboard moves
  one lever by one step (alternately right and left, so every press changes the score) and the time
  until "Tổng điểm (kịch bản)" shows the engine's new value is recorded. Median and p90 are printed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402

from chiso.calibration import baseline  # noqa: E402
from chiso.engine import input_matrix, level_index  # noqa: E402
from chiso.fmt import fmt_points  # noqa: E402
from chiso.io.load import load_paths  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.samples import available_samples, load_sample  # noqa: E402
from chiso.scenario import lever_rooms, simulate  # noqa: E402

NATIONAL = ROOT / "sample_data" / "gia-lap" / "gia-lap-toan-quoc-2026-q3.csv"
TOTAL = '[data-testid="stMetric"]:has-text("Tổng điểm (kịch bản)") [data-testid="stMetricValue"]'  # Playwright
TOTAL_JS = """() => { for (const m of document.querySelectorAll('[data-testid="stMetric"]'))
  if (m.innerText.startsWith('Tổng điểm (kịch bản)'))
    return m.querySelector('[data-testid="stMetricValue"]').innerText; return null; }"""


def pick_data(path: str | None):
    """(label, sample key or None, file path or None, UnitTable, rulebook) of the largest data set."""
    rb = load_rulebook("portal-2026")
    samples = sorted(available_samples(), key=lambda s: -len(load_sample(s, load_rulebook(s.rulebook))))
    big = samples[0]
    big_table = load_sample(big, load_rulebook(big.rulebook))
    file = Path(path) if path else (NATIONAL if NATIONAL.exists() else None)
    if file is not None:
        table = load_paths([file], rb)
        if len(table) > len(big_table):
            return f"tệp {file.name} (tải lên qua thanh bên)", None, file, table, rb
    return f"mẫu {big.key}", big.key, None, big_table, load_rulebook(big.rulebook)


def choose_unit_and_lever(table, rb):
    """A commune and a lever whose single step changes the rounded total (so every press shows)."""
    base = baseline(table, rb)
    x = input_matrix(table.frame, rb)
    lvl = level_index(table.frame["level"])
    for i in np.flatnonzero(table.frame["level"].to_numpy() == "commune"):
        rooms = {r.lever.key: r for r in lever_rooms(x[i], "commune", rb)}
        for key in ("paid_online_tthc", "fee_integrated_tthc", "citizen_data_tthc", "overdue_avoided"):
            r = rooms[key]
            if not r.movable or r.room < 2:
                continue
            k = [lv.key for lv in rb.levers].index(key)
            d = np.zeros((2, len(rb.levers)))
            d[1, k] = 1
            s = simulate(np.repeat(x[i][None], 2, 0), lvl[[i, i]], rb, d, base.held[[i, i]])
            if s.total[1] != s.total[0]:
                return str(table.frame["unit_code"][i]), key, fmt_points(s.total[0]), fmt_points(s.total[1])
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


def open_simulator(page, url: str, key: str | None, file: Path | None, code: str) -> float:
    """Open the simulator on ``code`` with the data loaded; returns the upload-to-overview time (or 0)."""
    if key is not None:
        page.goto(f"{url}/simulate?src={key}&rb=portal-2026&unit={code}")
        page.wait_for_selector(TOTAL, timeout=60_000)
        return 0.0
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    page.locator(".st-key-_w_data_source").get_by_role("combobox").click()
    page.get_by_role("option", name="Tải tệp lên…").click()
    t0 = time.perf_counter()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    page.get_by_text(f"Tệp tải lên: {file.name}").first.wait_for(timeout=120_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=120_000)
    upload = time.perf_counter() - t0
    page.get_by_role("link", name="Mô phỏng").click()
    page.wait_for_selector(TOTAL, timeout=60_000)
    box = page.locator(".st-key-unit_pick_sim").get_by_role("combobox")
    box.click()
    box.fill(code)
    page.get_by_role("option", name=f"({code})").first.click()
    page.wait_for_function(
        "c => document.querySelector('.st-key-unit_pick_sim input').value.includes(c)", arg=code, timeout=30_000)
    page.wait_for_timeout(500)
    return upload


def lever_latency(page, key: str, before: str, after: str, repeat: int) -> list[float]:
    slider = page.locator(f".st-key-lv_n_{key} input[type=range]")
    page.wait_for_function(f"t => ({TOTAL_JS})() === t", arg=before, timeout=30_000)
    times = []
    for n in range(repeat):
        target, press = (after, "ArrowRight") if n % 2 == 0 else (before, "ArrowLeft")
        slider.focus()
        t0 = time.perf_counter()
        page.keyboard.press(press)
        page.wait_for_function(
            f"t => ({TOTAL_JS})() === t", arg=target, polling="raf", timeout=30_000)
        times.append(time.perf_counter() - t0)
        page.wait_for_timeout(300)  # let the rerun settle (slider debounce) before the next press
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--data", default=None, help="CSV/XLSX to upload instead of the national synthetic sample")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    label, key, file, table, rb = pick_data(args.data)
    code, lever, before, after = choose_unit_and_lever(table, rb)
    print(f"Dữ liệu: {label}: {len(table)} đơn vị; đơn vị {code}, yếu tố {lever} ({before} ↔ {after})")
    port = free_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold = first_render(browser, url)
            warm = [first_render(browser, url) for _ in range(5)]
            print(f"First page render (Tổng quan, default sample): cold {cold:.2f} s, "
                  f"warm median {statistics.median(warm):.2f} s (target < 3 s)")
            if key is not None and key != available_samples()[0].key:
                big = [first_render(browser, f"{url}/?src={key}") for _ in range(4)]
                print(f"First page render (Tổng quan, {len(table)} đơn vị, ?src={key}): first {big[0]:.2f} s "
                      f"(reads the file), then median {statistics.median(big[1:]):.2f} s")
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = ctx.new_page()
            upload = open_simulator(page, url, key, file, code)
            if upload:
                print(f"Upload of {file.name} → overview table shown: {upload:.2f} s")
            t = lever_latency(page, lever, before, after, args.repeat)
            t_ms = sorted(1000 * v for v in t)
            print(f"Lever change → updated score ({len(t)} presses): median {statistics.median(t_ms):.0f} ms, "
                  f"p90 {t_ms[int(0.9 * (len(t_ms) - 1))]:.0f} ms, min {t_ms[0]:.0f} ms, max {t_ms[-1]:.0f} ms "
                  f"(target < 250 ms)")
            ctx.close()
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
