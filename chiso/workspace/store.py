"""The workspace: one object per database, every public method one transaction.

Opened by ``open_workspace`` (which applies the migrations); the app caches one per server, the CLI
opens one per command. Nothing is kept in memory between calls, so two servers on one PostgreSQL see
each other's saves at once.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from chiso.edits import Revision
from chiso.errors import DataError
from chiso.rulebook import Rulebook
from chiso.scenario import Scenario, scenario_from_json
from chiso.units import UnitTable
from chiso.workspace import datasets, saved
from chiso.workspace.datasets import DatasetInfo
from chiso.workspace.db import database_url, guarded, make_engine, migrate
from chiso.workspace.models import Dataset, RevisionRow, Unit
from chiso.workspace.saved import SavedItem, as_utc


def sample_key(key: str) -> str:
    """Source key of a bundled sample (read-only file; only revisions and saved items point at it)."""
    return f"sample:{key}"


def dataset_key(dataset_id: int) -> str:
    return f"dataset:{dataset_id}"


class Workspace:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _tx(self, action_vi: str) -> Iterator[Session]:
        with guarded(action_vi), self._sessions.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ datasets

    def import_table(self, table: UnitTable, source: str, digest: str, rulebook: str) -> list[int]:
        """Store every period of ``table`` as one dataset each, replacing the same source × period."""
        periods = table.periods
        if not periods or table.frame["period"].isna().any() or (table.frame["period"].astype(str) == "").any():
            raise DataError("Số liệu không có kỳ đánh giá; hãy ghi rõ kỳ (ví dụ --period 2026-Q3).")
        with self._tx("lưu bộ số liệu") as s:
            return [datasets.write_dataset(s, table.for_period(p), source, digest, p, rulebook) for p in periods]

    def import_paths(self, paths: list[str | Path], table: UnitTable, rulebook: str) -> list[int]:
        source = " + ".join(sorted(Path(p).name for p in paths))
        return self.import_table(table, source, datasets.content_hash(paths), rulebook)

    def datasets(self, rulebook: str | None = None) -> list[DatasetInfo]:
        with self._tx("đọc danh sách bộ số liệu") as s:
            q = select(Dataset).order_by(Dataset.period, Dataset.id)
            if rulebook:
                q = q.where(Dataset.rulebook == rulebook)
            return [datasets.info(r) for r in s.scalars(q)]

    def datasets_with_unit(self, unit_code: str) -> list[DatasetInfo]:
        with self._tx("đọc lịch sử đơn vị") as s:
            q = select(Dataset).join(Unit, Unit.dataset_id == Dataset.id).where(Unit.unit_code == unit_code)
            return [datasets.info(r) for r in s.scalars(q.distinct().order_by(Dataset.period, Dataset.id))]

    def load_dataset(self, dataset_id: int) -> UnitTable:
        with self._tx("đọc bộ số liệu") as s:
            return datasets.read_dataset(s, dataset_id)

    def delete_dataset(self, dataset_id: int) -> None:
        with self._tx("xóa bộ số liệu") as s:
            s.execute(delete(Dataset).where(Dataset.id == dataset_id))

    # ------------------------------------------------------------ hand revisions

    def add_revision(self, source_key: str, rulebook: str, rev: Revision) -> int:
        return self.add_revisions(source_key, rulebook, [rev])[0]

    def add_revisions(self, source_key: str, rulebook: str, revs: list[Revision]) -> list[int]:
        """Store ``revs`` in order, in one transaction: all of them or none (a grid saved at once)."""
        with self._tx("lưu số liệu nhập tay") as s:
            rows = [
                RevisionRow(source_key=source_key, rulebook=rulebook, unit_code=r.unit_code, key=r.key,
                            old=r.old, new=r.new, at=r.at, author=r.author)
                for r in revs
            ]
            for row in rows:  # one by one: ids follow the order the user saved them in
                s.add(row)
                s.flush()
            return [row.id for row in rows]

    def revisions(self, source_key: str, rulebook: str) -> list[Revision]:
        with self._tx("đọc số liệu nhập tay") as s:
            return [_revision(r) for r in s.scalars(_rev_query(source_key, rulebook).order_by(RevisionRow.id))]

    def undo_revision(self, source_key: str, rulebook: str) -> Revision | None:
        """Remove and return the last revision (None when there is none)."""
        with self._tx("hoàn tác") as s:
            last = s.scalars(_rev_query(source_key, rulebook).order_by(RevisionRow.id.desc()).limit(1)).first()
            if last is None:
                return None
            s.delete(last)
            return _revision(last)

    def revision_count(self, source_key: str, rulebook: str) -> int:
        with self._tx("đọc số liệu nhập tay") as s:
            q = select(func.count()).select_from(RevisionRow)
            return int(s.scalar(q.where(RevisionRow.source_key == source_key, RevisionRow.rulebook == rulebook)) or 0)

    # ------------------------------------------------------------ saved scenarios and plans

    def save_scenario(
        self, sc: Scenario, source_key: str, version: int | None = None, overwrite: bool = False
    ) -> SavedItem:
        fields = {"name": sc.name, "unit_code": sc.unit_code, "source_key": source_key, "rulebook": sc.rulebook, "period": sc.period}
        body = json.loads(sc.to_json())
        with self._tx("lưu kịch bản") as s:
            return saved.save(s, "scenario", fields, body, version, overwrite)

    def save_plan(
        self, name: str, plan: dict, source_key: str, period: str = "", version: int | None = None, overwrite: bool = False
    ) -> SavedItem:
        """``plan`` is ``chiso.plan.solver.Plan.to_dict()`` (target, steps with lever, from, to, …)."""
        fields = {"name": name, "unit_code": str(plan["unit"]), "source_key": source_key, "rulebook": str(plan["rulebook"]), "period": period}
        with self._tx("lưu kế hoạch") as s:
            return saved.save(s, "plan", fields, plan, version, overwrite)

    def saved(self, kind: str, source_key: str | None, rulebook: str, unit_code: str | None = None) -> list[SavedItem]:
        """Saved items by name; ``source_key=None`` lists them across every source (other periods too)."""
        with self._tx("đọc danh sách đã lưu") as s:
            return saved.listing(s, kind, source_key, rulebook, unit_code)

    def get_saved(self, kind: str, item_id: int) -> SavedItem:
        with self._tx("đọc mục đã lưu") as s:
            return saved.get(s, kind, item_id)

    def rename_saved(self, kind: str, item_id: int, version: int, new_name: str) -> SavedItem:
        with self._tx("đổi tên") as s:
            return saved.rename(s, kind, item_id, version, new_name)

    def delete_saved(self, kind: str, item_id: int, version: int) -> None:
        with self._tx("xóa") as s:
            saved.remove(s, kind, item_id, version)


def scenario_of(item: SavedItem, rb: Rulebook) -> Scenario:
    """A saved scenario back as a validated Scenario (its name is the saved name)."""
    sc = scenario_from_json(json.dumps({**item.body, "name": item.name}), rb, filename=item.name)
    return sc


def _rev_query(source_key: str, rulebook: str):
    return select(RevisionRow).where(RevisionRow.source_key == source_key, RevisionRow.rulebook == rulebook)


def _revision(r: RevisionRow) -> Revision:
    return Revision(r.unit_code, r.key, r.old, r.new, as_utc(r.at), r.author)


def open_workspace(url: str | None = None, upgrade: bool = True) -> Workspace:
    """Open (and create or migrate) the workspace at ``url`` / ``CHISO_DATABASE_URL`` / the default file."""
    engine = make_engine(database_url(url))
    if upgrade:
        migrate(engine)
    return Workspace(engine)
