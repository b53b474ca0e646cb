"""Several processes on one workspace: saves seen across servers, and SIGKILL in the middle of saves."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.workspace import open_workspace

WORKER = Path(__file__).with_name("worker.py")
ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), url], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert self.read() == {"ready": True}

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"worker exited with {self.proc.wait()}"
        return json.loads(line)

    def ask(self, *cmd) -> dict:
        self.proc.stdin.write(json.dumps(list(cmd)) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def test_two_servers_on_one_postgresql_see_each_others_saves(pg_url):
    open_workspace(pg_url).close()  # migrate once, as the first server start does
    a, b = Worker(pg_url), Worker(pg_url)
    try:
        assert a.ask("save", "Phương án A", 10, None) == {"saved": "Phương án A", "version": 1}
        assert b.ask("list") == {"items": [["Phương án A", 1, {"e_results": 10}]]}
        assert b.ask("save", "Phương án A", 20, 1) == {"saved": "Phương án A", "version": 2}
        # server A still holds version 1: its overwrite is refused, B's save is not lost
        refused = a.ask("save", "Phương án A", 30, 1)
        assert refused["error"] == "StaleVersionError" and "phiên khác" in refused["message"]
        assert a.ask("list") == {"items": [["Phương án A", 2, {"e_results": 20}]]}
        clash = a.ask("save", "Phương án A", 40, None)
        assert clash["error"] == "NameTakenError"
    finally:
        a.stop()
        b.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_during_a_save_loop_leaves_the_last_committed_state(backend, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    w = Worker(url)
    w.proc.stdin.write(json.dumps(["loop", 1]) + "\n")
    w.proc.stdin.flush()
    last = 0
    for _ in range(4):  # a few commits, then kill at an arbitrary point of the next transaction
        last = w.read()["committed"]
    os.kill(w.proc.pid, signal.SIGKILL)
    w.proc.wait()
    ws = open_workspace(url)
    try:
        if backend == "sqlite":
            with ws.engine.connect() as c:
                assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        (item,) = ws.saved("scenario", "sample:phu-tho", "portal-2026")
        n = item.body["levers"]["e_results"]
        assert n in (last, last + 1), "the last committed save, or the one committed just before the kill"
        assert item.version == n
        rb = load_rulebook("portal-2026")
        expected = load_paths([Path(SAMPLE_DIR) / "portal" / "phu-tho-2026-q3"], rb, period="2026-Q3")
        (ds,) = ws.datasets()
        pd.testing.assert_frame_equal(ws.load_dataset(ds.id).frame, expected.frame, check_exact=True)
    finally:
        ws.close()
