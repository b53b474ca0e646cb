"""The daily run (cron or a systemd timer, about midnight Vietnam time): a few provinces, the periods that
move, each endpoint checkpointed so an interrupted run resumes without asking the portal again.

Checkpoints live in a state folder, one sub-folder per day: ``<day>/<province>/<period>/`` holds each
verified endpoint's responses (bytes + a meta file with the request, time, status, SHA-256) and ``done``
once the dataset is stored. A second run the same day does nothing for what is done. Checkpoints are
never data: a set reaches the workspace only complete and verified (``run.store``).
"""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

from chiso.collect.manifest import file_name
from chiso.collect.periods import Period, parse_period
from chiso.collect.provinces import Province
from chiso.errors import DataError
from chiso.workspace.evidence import Evidence

KEEP_DAYS = 7  # older day folders are removed at the start of a run


def daily_periods(today: date) -> list[Period]:
    """What moves on ``today``: the last finished month, the current quarter and year (to date), and during
    the first month of a new quarter/year the one just finished (its final figures)."""
    last_month = today.replace(day=1) - timedelta(days=1)
    labels = [f"{last_month:%Y-%m}", f"{today.year}-Q{(today.month - 1) // 3 + 1}", f"{today.year}"]
    if today.month in (1, 4, 7, 10):
        labels.append(f"{last_month.year}-Q{(last_month.month - 1) // 3 + 1}")
    if today.month == 1:
        labels.append(f"{last_month.year}")
    return [parse_period(p, today) for p in labels]


class Checkpoints:
    def __init__(self, root: Path, today: date) -> None:
        self.root, self.today = root, today

    def lock(self) -> IO[str]:
        """Hold the state folder for this run: a second run (the timer and a manual one) is refused, so the
        portal never sees two collectors from this server at once. Released when the process ends."""
        try:
            import fcntl  # POSIX only: imported here so that the rest of the command line works everywhere
        except ImportError:
            raise DataError("Lệnh collect-daily cần một máy chủ Linux/Unix (khóa tệp); trên máy này hãy dùng lệnh "
                            "collect.") from None
        self.root.mkdir(parents=True, exist_ok=True)
        handle = (self.root / "lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise DataError("Một lần tải khác từ Cổng DVCQG đang chạy trên máy này; lần này không chạy.") from None
        return handle

    def prune(self) -> None:
        """Remove day folders older than KEEP_DAYS (only folders named like a date: nothing else is touched)."""
        if not self.root.is_dir():
            return
        for d in self.root.iterdir():
            try:
                day = date.fromisoformat(d.name)
            except ValueError:
                continue
            if d.is_dir() and day < self.today - timedelta(days=KEEP_DAYS):
                shutil.rmtree(d, ignore_errors=True)

    def _dir(self, province: Province, period: Period) -> Path:
        return self.root / self.today.isoformat() / province.code / period.label

    def is_done(self, province: Province, period: Period) -> bool:
        return (self._dir(province, period) / "done").is_file()

    def mark_done(self, province: Province, period: Period, note: str) -> None:
        (self._dir(province, period) / "done").write_text(note + "\n", encoding="utf-8")

    def saver(self, province: Province, period: Period):
        folder = self._dir(province, period)

        def save(endpoint: str, pages: list[Evidence]) -> None:
            folder.mkdir(parents=True, exist_ok=True)
            for e in pages:
                (folder / file_name(endpoint, e.page)).write_bytes(e.body)
            meta = [{"page": e.page, "request_url": e.request_url, "request_body": e.request_body,
                     "requested_at": e.requested_at.isoformat(), "http_status": e.http_status, "sha256": e.sha256}
                    for e in pages]
            (folder / f"{endpoint}.meta.json").write_text(json.dumps(meta), encoding="utf-8")

        return save

    def loader(self, province: Province, period: Period):
        folder = self._dir(province, period)

        def load(endpoint: str) -> list[Evidence] | None:
            """The endpoint's kept pages, or None when absent or damaged (then it is asked again)."""
            try:
                meta = json.loads((folder / f"{endpoint}.meta.json").read_text(encoding="utf-8"))
                pages = [Evidence(endpoint, m["page"], m["request_url"], m["request_body"],
                                  datetime.fromisoformat(m["requested_at"]), m["http_status"],
                                  (folder / file_name(endpoint, m["page"])).read_bytes())
                         for m in meta]
                ok = [p.sha256 for p in pages] == [m["sha256"] for m in meta]
            except (OSError, ValueError, KeyError, TypeError):
                return None
            return pages if ok and pages else None

        return load
