"""Training-room load test: N concurrent sessions work on one bundled sample at once (Phú Thọ by default).

    .venv/bin/python bench/bench_load.py --sessions 10 30 60 --seconds 300 [--batch] [--url URL --pid PID]

How: a protocol-level client (``bench/load_client.py``) speaks Streamlit's websocket protocol with
Streamlit's own protobufs, so 60 sessions fit on the 2-core machine next to the server (60 chromiums
do not). Each session opens ``/simulate?src=phu-tho&unit=<its own commune>`` (``--source``: the issue's
first look opened Phú Thọ communes; ``gia-lap`` is the national set) and then, until the time
is up, waits a think time (``--think``, uniform 0,5–1,5×) and moves one lever slider to a new random
count; every ``--every`` moves it also switches page (Tổng quan and back), saves a scenario under a new
name (the «Lưu kịch bản» button) and plans its commune's target on Lập kế hoạch (its button, the
default target: next band) before returning to Mô phỏng. ``--batch`` adds one session that meanwhile
plans every commune of the national set (Lập kế hoạch › Nhiều đơn vị cùng lúc: 3.321 communes to ≥ 70,
71, … 79 in turn, so that each run plans anew), again and again, through the app's heavy-job queue.

What it measures:
- lever latency: from sending the slider's new value to the run's ``script_finished`` — the server's
  whole fragment rerun (callbacks, engine, every element of the fragment) plus the transfer on
  localhost. Every move is checked: the slider label that comes back must show the count sent.
- page switch, save and plan: the same send → ``script_finished`` time of those reruns (a save
  includes the ``st.rerun()`` that follows it), each checked by the text it must show;
- errors: exception elements or compile errors in a reply, websocket drops, replies slower than
  ``--timeout`` (20 s; opening a session: 60 s), widgets not found, checks that fail. After any error
  the session reconnects and reopens its commune (its old state is unknown);
- server memory (VmRSS of the server process and its children, from /proc): cold (no session yet),
  idle (after one warm-up session went once through every step: shared data and caches loaded), once
  all sessions opened, peak (sampled twice a second) and at the end, before the sessions close;
  per session = (end − idle) / N. Own server: a fresh one per N.

What it does not measure: the browser. No rendering, no JavaScript: the live score bar on Mô phỏng
(``ui/score_bar.py``) answers in the browser without the server, so what a user sees first is faster
than the lever latency here; what it adds (the metrics, waterfall and hints a rerun re-renders) is
measured by ``bench/bench_browser.py``. The client sends only the widgets it changes (the browser sends
all it holds: the server's run is the same, see ``load_client.py``), fetches no static files, and runs
on the same 2 cores as the server (its protobuf parsing competes with the server a little).
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import RunError, Session, slider_state, text_state, trigger_state  # noqa: E402

from chiso.fmt import fmt_int  # noqa: E402
from chiso.rulebook import load_rulebook  # noqa: E402
from chiso.samples import load_sample, sample  # noqa: E402

SOURCE = "phu-tho"  # --source; the first look opened Phú Thọ communes
BATCH_SOURCE = "gia-lap"  # the batch plans the national set's 3.321 communes
RUN = time.strftime("%Hh%M %S")  # scenario names stay new when a server is reused (--url)


def _e2e_server():
    """tests/e2e/conftest.py's start_server/stop_server, loaded by path: under pytest another
    ``conftest`` module may already own that name."""
    spec = importlib.util.spec_from_file_location("chiso_e2e_conftest", ROOT / "tests" / "e2e" / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_E2E = _e2e_server()
free_port, start_server, stop_server = _E2E.free_port, _E2E.start_server, _E2E.stop_server
SUCCESS = 4  # streamlit.proto.Alert.Format.SUCCESS


@dataclass
class Options:
    seconds: float = 300.0
    think: float = 2.0  # mean seconds between a session's actions
    every: int = 10  # page switch + save + plan every this many moves
    timeout: float = 20.0
    open_timeout: float = 60.0  # first render of a session: the room logs in over ``ramp`` seconds
    ramp: float = 0.5  # seconds between two sessions opening
    moves: int | None = None  # stop each session after this many moves (tests)
    batch: bool = False
    batch_timeout: float = 900.0


@dataclass
class Room:
    """Everything the sessions of one run recorded."""

    lever: list[float] = field(default_factory=list)
    actions: dict[str, list[float]] = field(default_factory=dict)  # "open", "page → …", "save", "plan", "batch"
    errors: Counter = field(default_factory=Counter)  # reason → count
    opened: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.actions.setdefault(kind, []).append(seconds)

    def error(self, exc: Exception) -> None:
        self.errors[str(exc)[:120]] += 1


def communes(n: int) -> list[str]:
    """n distinct commune codes spread over the sample (plus one more for the warm-up session)."""
    s = sample(SOURCE)  # set by --source
    f = load_sample(s, load_rulebook(s.rulebook)).frame
    codes = f.loc[f["level"] == "commune", "unit_code"].astype(str).tolist()
    if n + 1 > len(codes):
        raise SystemExit(f"only {len(codes)} communes in the sample")
    stride = len(codes) // (n + 1)
    return [codes[i * stride] for i in range(n + 1)]


# ------------------------------------------------------------------ one session's actions


async def open_commune(url: str, code: str, opt: Options) -> Session:
    s = await Session.open(url, opt.timeout)
    try:
        await s.rerun(page="simulate", query=f"src={SOURCE}&unit={code}", timeout=opt.open_timeout)
    except BaseException:
        await s.close()
        raise
    return s


def pick_lever(s: Session) -> str:
    """The key of the first lever slider with room to move (at least 2 values, so a move changes it)."""
    for w in sorted(s.widgets.values(), key=lambda w: w.seen):
        p = w.proto
        if w.kind == "slider" and p.id.rsplit("-", 1)[-1].startswith("lv_n_") and p.max - p.min >= 1:
            return p.id.rsplit("-", 1)[-1]
    raise RunError("no movable lever slider on Mô phỏng")


async def move(s: Session, key: str, rng: random.Random) -> float:
    wid, w = s.widget(key, "slider")
    lo, hi, now = int(w.proto.min), int(w.proto.max), int((list(w.proto.value) or list(w.proto.default))[0])
    value = rng.randint(lo, hi - 1)  # uniform over the counts other than the current one
    value += value >= now
    reply = await s.rerun(widgets=[slider_state(wid, value)], fragment_id=w.fragment_id)
    label = s.widget(key, "slider")[1].proto.label
    if f": {fmt_int(value)} /" not in label:
        raise RunError(f"lever not applied: sent {value}, label «{label[:60]}»")
    return reply.seconds


async def switch(s: Session, page: str, room: Room) -> None:
    s.forget_widgets()
    room.add(f"page → {page}", (await s.rerun(page=page)).seconds)


async def save(s: Session, name: str, room: Room) -> None:
    name_id, _ = s.widget("sim_name", "text_input")
    button_id, _ = s.widget("save_scenario", "button")
    reply = await s.rerun(widgets=[text_state(name_id, name), trigger_state(button_id)])
    if not any(f == SUCCESS and f"Đã lưu kịch bản «{name}»" in body for f, body in reply.alerts):
        raise RunError("save: no «Đã lưu kịch bản» message")
    room.add("save", reply.seconds)


async def plan(s: Session, room: Room) -> None:
    button_id, _ = s.widget("plan_solve", "button")
    reply = await s.rerun(widgets=[trigger_state(button_id)])
    if not any(t.startswith("Kế hoạch cải thiện") for t in reply.texts):
        raise RunError("plan: no «Kế hoạch cải thiện» shown")
    room.add("plan", reply.seconds)


async def cycle(s: Session, tag: str, room: Room) -> None:
    """Tổng quan and back, save the scenario, plan the commune's target, back to Mô phỏng."""
    await switch(s, "overview", room)
    await switch(s, "simulate", room)
    await save(s, tag, room)
    await switch(s, "plan", room)
    await plan(s, room)
    await switch(s, "simulate", room)


async def trainee(n: int, url: str, code: str, deadline: float, opt: Options, room: Room,
                  opened: set[int], all_open: asyncio.Event, total: int) -> Session | None:
    """One person of the room: open the commune, then move a lever, now and then the full cycle.
    Returns the open session (closed by the caller once the server's memory is read)."""
    rng = random.Random(n)
    s, key, moves, saves = None, None, 0, 0
    while time.monotonic() < deadline and (opt.moves is None or moves < opt.moves):
        try:
            if s is None:
                t0 = time.perf_counter()
                s = await open_commune(url, code, opt)
                room.add("open", time.perf_counter() - t0)
                opened.add(n)
                if len(opened) == total:
                    all_open.set()
                key = pick_lever(s)
            await asyncio.sleep(opt.think * rng.uniform(0.5, 1.5))
            room.lever.append(await move(s, key, rng))
            moves += 1
            if moves % opt.every == 0:
                saves += 1
                # no markdown specials in the name: the app's message escapes them
                await cycle(s, f"Phòng tập {RUN} · {n + 1} lần {saves}", room)
        except RunError as exc:
            room.error(exc)
            s = await _drop(s)  # reopen the commune: the old session's page and state are unknown
        except OSError as exc:
            room.error(RunError(f"connect failed: {exc}"))
            await asyncio.sleep(1)
    return s


async def _drop(s: Session | None) -> None:
    if s is not None:
        try:
            await s.close()
        except Exception:  # the socket is already gone: nothing to close
            pass
    return None


async def batch_planner(url: str, deadline: float, opt: Options, room: Room) -> None:
    """Plans every commune again and again on Lập kế hoạch while the room works."""
    s = await Session.open(url, opt.timeout)
    try:
        await s.rerun(page="plan", query=f"src={BATCH_SOURCE}", timeout=opt.open_timeout)
        target = 70
        while time.monotonic() < deadline:
            button_id, _ = s.widget("batch_solve", "button")
            text_id, _ = s.widget("batch_target_text", "text_input")
            target = 70 + (target - 69) % 10  # a new target each time: the page keeps the last result of a target
            t0 = time.perf_counter()
            reply = await s.rerun(widgets=[text_state(text_id, str(target)), trigger_state(button_id)],
                                  timeout=opt.batch_timeout)
            # the job runs in the heavy-job queue; the page polls it (st.fragment run_every, sent by the
            # browser): poll the same way with plain reruns until the result shows
            while not any("kế hoạch trong" in t for t in reply.texts):
                shown = reply.texts + [body for _, body in reply.alerts]
                if not any(t.startswith(("Đang chờ", "Đang lập kế hoạch")) for t in shown):
                    raise RunError("batch: neither progress nor «Lập … kế hoạch trong … giây» shown")
                await asyncio.sleep(0.7)
                reply = await s.rerun(timeout=opt.batch_timeout)
            room.add("batch", time.perf_counter() - t0)
    except RunError as exc:
        room.error(RunError(f"batch: {exc}"))
    except asyncio.CancelledError:
        room.notes.append(f"batch: {len(room.actions.get('batch', []))} finished; one more was still running "
                          "at the end (abandoned, the server finishes it alone)")
        raise
    finally:
        await _drop(s)


# ------------------------------------------------------------------ server memory


def rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` and its descendants, in MB (0 when the process is gone)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


@dataclass
class Memory:
    pids: list[int]  # every replica's server process (their RSS is added up)
    points: dict[str, float] = field(default_factory=dict)
    peak: float = 0.0

    def rss(self) -> float:
        return sum(rss_mb(p) for p in self.pids)

    def mark(self, name: str) -> None:
        if self.pids:
            self.points[name] = self.rss()
            self.peak = max(self.peak, self.points[name])

    async def sample(self, stop: asyncio.Event) -> None:
        while self.pids and not stop.is_set():
            self.peak = max(self.peak, self.rss())
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass


# ------------------------------------------------------------------ one room


async def run_room(urls: list[str], pids: list[int], n: int, opt: Options) -> tuple[Room, Memory]:
    """n sessions spread over the replicas ``urls`` (session i on replica i mod R: what a proxy with sticky
    sessions does), plus the batch session on the first replica."""
    codes = communes(n)
    room, mem = Room(), Memory(pids)
    mem.mark("cold")
    for r, url in enumerate(urls):  # shared data and caches once per replica, outside the figures
        warm = await open_commune(url, codes[-1], opt)
        # a server reused by --url keeps earlier names
        await cycle(warm, f"Khởi động {r + 1} {time.strftime('%Hh%M %S')}", Room())
        await warm.close()
    await asyncio.sleep(1)
    mem.mark("idle")
    stop, all_open, opened = asyncio.Event(), asyncio.Event(), set()
    sampler = asyncio.create_task(mem.sample(stop))
    deadline = time.monotonic() + n * opt.ramp + opt.seconds
    people = [_delayed(i * opt.ramp, trainee(i, urls[i % len(urls)], codes[i], deadline, opt, room, opened,
                                              all_open, n))
              for i in range(n)]
    batch = asyncio.create_task(batch_planner(urls[0], deadline, opt, room)) if opt.batch else None
    marker = asyncio.create_task(_mark_when(all_open, mem, "connected"))
    sessions = await asyncio.gather(*people)
    mem.mark("end")  # before closing: a closed session's state is what the server may drop
    for s in sessions:
        await _drop(s)
    for t in (batch, marker):
        if t is not None:
            t.cancel()  # a batch still running is abandoned (the server finishes it alone)
            await asyncio.gather(t, return_exceptions=True)
    stop.set()
    await sampler
    room.opened = len(opened)
    return room, mem


async def _delayed(seconds: float, coro):
    await asyncio.sleep(seconds)
    return await coro


async def _mark_when(event: asyncio.Event, mem: Memory, name: str) -> None:
    await event.wait()
    mem.mark(name)


# ------------------------------------------------------------------ report


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] if s else float("nan")


def ms(v: float) -> str:
    return f"{v * 1000:.0f}"


def report(n: int, room: Room, mem: Memory) -> str:
    lv = room.lever
    idle = mem.points.get("idle")
    per = (mem.points["end"] - idle) / n if idle is not None and "end" in mem.points else None
    rss = f"{idle:.0f} / {mem.peak:.0f}" if idle is not None else "not measured"
    row = (f"| {n} | {len(lv)} | {ms(pct(lv, .5))} | {ms(pct(lv, .95))} | {ms(pct(lv, .99))} | "
           f"{ms(max(lv, default=float('nan')))} | {sum(room.errors.values())} | {rss} | "
           f"{f'{per:.1f}' if per is not None else '—'} |")
    lines = [row]
    for kind, v in room.actions.items():
        lines.append(f"    {kind}: {len(v)}, median {ms(statistics.median(v))} ms, p95 {ms(pct(v, .95))} ms, "
                     f"max {ms(max(v))} ms")
    if mem.points:
        lines.append("    RSS MB: " + ", ".join(f"{k} {v:.0f}" for k, v in mem.points.items())
                     + f", peak {mem.peak:.0f}; shared data and caches (idle − cold) "
                     f"{mem.points['idle'] - mem.points['cold']:.0f} MB; per session at end {per:.1f} MB"
                     + (" (includes the batch session's plans)" if "batch" in " ".join(room.notes + list(room.actions))
                        else "")
                     + (f", once all opened {(mem.points['connected'] - idle) / n:.1f} MB"
                        if "connected" in mem.points else ""))
    lines += [f"    {note}" for note in room.notes]
    for reason, count in room.errors.most_common():
        lines.append(f"    error ×{count}: {reason}")
    return "\n".join(lines)


HEADER = ("| N | moves | p50 ms | p95 ms | p99 ms | max ms | errors | RSS idle / peak MB | MB per session |\n"
          "|---|---|---|---|---|---|---|---|---|")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_one(n: int, opt: Options, url: str | None, pid: int | None, replicas: int = 1) -> tuple[Room, Memory]:
    """One room of n sessions, on ``url`` or on fresh servers of its own: ``replicas`` processes sharing one
    workspace database, as in docs/deploy.md (one Python process uses one core: the GIL)."""
    if url:
        return asyncio.run(run_room([url], [pid] if pid else [], n, opt))
    db = {"CHISO_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(prefix='chiso-load-')}/workspace.sqlite3"}
    ports = [free_port() for _ in range(replicas)]
    procs = [start_server(port, db) for port in ports]
    try:
        return asyncio.run(run_room([f"http://127.0.0.1:{p}" for p in ports], [p.pid for p in procs], n, opt))
    finally:
        for proc in procs:
            stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[10, 30, 60])
    ap.add_argument("--seconds", type=float, default=300.0, help="per N, counted from the end of the ramp")
    ap.add_argument("--think", type=float, default=2.0, help="mean seconds between a person's actions")
    ap.add_argument("--every", type=int, default=10, help="page switch + save + plan every k moves")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds before a reply counts as an error")
    ap.add_argument("--ramp", type=float, default=0.5, help="seconds between two sessions opening")
    ap.add_argument("--batch", action="store_true", help="one more session plans every commune meanwhile")
    ap.add_argument("--source", default="phu-tho", help="the bundled sample whose communes the room opens")
    ap.add_argument("--replicas", type=int, default=1, help="fresh server processes sharing one database; "
                    "sessions spread over them as a proxy with sticky sessions would")
    ap.add_argument("--url", help="a running server (default: a fresh server per N)")
    ap.add_argument("--pid", type=int, help="with --url: the server's pid, for its memory")
    a = ap.parse_args()
    global SOURCE
    SOURCE = a.source
    opt = Options(seconds=a.seconds, think=a.think, every=a.every, timeout=a.timeout, ramp=a.ramp, batch=a.batch)
    print(f"Data: ?src={SOURCE}; think {a.think} s (×0,5–1,5), cycle every {a.every} moves, ramp {a.ramp} s, "
          f"{a.seconds:.0f} s per N{', with a batch plan of all communes' if a.batch else ''}; "
          f"{'server ' + a.url if a.url else f'fresh servers per N: {a.replicas} replica(s), one database'}")
    print(f"Load before: {uptime()}")
    print(HEADER)
    for n in a.sessions:
        room, mem = run_one(n, opt, a.url, a.pid, a.replicas)
        print(report(n, room, mem), flush=True)
    print(f"Load after: {uptime()}")


if __name__ == "__main__":
    main()
