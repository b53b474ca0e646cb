"""The workspace: one object per database, every public method one transaction.

Opened by ``open_workspace`` (which applies the migrations); the app caches one per server, the CLI
opens one per command. Nothing is kept in memory between calls, so two servers on one PostgreSQL see
each other's saves at once.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from chiso.edits import Revision
from chiso.errors import DataError
from chiso.rulebook import Rulebook, load_rulebook
from chiso.samples import SAMPLES, load_sample
from chiso.source_key import SourceKey
from chiso.io.scenario_file import scenario_from_json
from chiso.scenario import Scenario
from chiso.units import UnitTable
from chiso.workspace import accounts, audit, batches, datasets, evidence, saved
from chiso.workspace.access import (LOCAL, Actor, Parents, Role, parents_from, require_role, require_store,
                                    require_units)
from chiso.workspace.datasets import DatasetInfo
from chiso.workspace.db import database_url, guarded, make_engine, migrate
from chiso.workspace.errors import NotFoundError
from chiso.workspace.models import Dataset, RevisionRow, Unit
from chiso.workspace.saved import SavedItem


def sample_key(key: str) -> str:
    """Source key of a bundled sample (read-only file; only revisions and saved items point at it)."""
    return str(SourceKey.sample(key))


def dataset_key(dataset_id: int) -> str:
    return str(SourceKey.dataset(dataset_id))


class Workspace:
    """The workspace as one actor sees it: every write is checked against ``actor``'s rights (``access``)
    and recorded in the audit trail in the same transaction. ``for_actor`` gives the same database to
    another actor; the CLI and tests act as ``LOCAL`` (whoever runs commands on the server is its admin)."""

    def __init__(self, engine: Engine, actor: Actor = LOCAL) -> None:
        self.engine = engine
        self.actor = actor
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def for_actor(self, actor: Actor) -> "Workspace":
        other = Workspace.__new__(Workspace)
        other.engine, other.actor, other._sessions = self.engine, actor, self._sessions
        return other

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

    def import_table(self, table: UnitTable, source: str, digest: str, rulebook: str,
                     new_version: bool = False) -> list[int]:
        """Store every period of ``table`` as one dataset each. A source and period stored already with
        other content is refused (``DatasetExistsError``) unless ``new_version``: then the old version is kept."""
        require_role(self.actor, [Role.ADMIN, Role.AGGREGATOR], "lưu bộ số liệu vào cơ sở dữ liệu chung")
        periods = table.periods
        if not periods or table.frame["period"].isna().any() or (table.frame["period"].astype(str) == "").any():
            raise DataError("Số liệu không có kỳ đánh giá; hãy ghi rõ kỳ (ví dụ --period 2026-Q3).")
        with self._tx("lưu bộ số liệu") as s:
            ids = []
            for p in periods:
                ds_id, old_version, new = self._write_period(s, table, source, digest, p, rulebook, new_version)
                if new != old_version:
                    audit.record(s, self.actor, "replace_dataset" if old_version else "store_dataset",
                                 dataset_key(ds_id), source=source, period=p, version=[old_version or None, new])
                ids.append(ds_id)
            return ids

    def _write_period(self, s: Session, table: UnitTable, source: str, digest: str, period: str, rulebook: str,
                      new_version: bool) -> tuple[int, int, int]:
        """Dataset id, version in use before (0: none) and after; equal versions mean nothing changed."""
        before = datasets.find_dataset(s, source, period, rulebook)
        old_version = before.version if before is not None else 0
        ds_id = datasets.write_dataset(s, table.for_period(period), source, digest, period, rulebook,
                                       self.actor.label, new_version)
        return ds_id, old_version, s.get(Dataset, ds_id).version

    def store_collected(self, table: UnitTable, source: str, digest: str, rulebook: str,
                        responses: list[evidence.Evidence]) -> tuple[int, bool]:
        """A dataset collected from the portal and the responses it came from, in one transaction: a new
        version when the content changed (the old one stays restorable), nothing at all when it did not.
        Returns the dataset id and whether anything was stored."""
        require_role(self.actor, [Role.ADMIN, Role.AGGREGATOR], "tải số liệu từ Cổng DVCQG vào cơ sở dữ liệu chung")
        (period,) = table.periods
        with self._tx("lưu số liệu tải từ Cổng DVCQG") as s:
            ds_id, old_version, new = self._write_period(s, table, source, digest, period, rulebook, True)
            if new != old_version:
                evidence.add(s, ds_id, new, responses)
                audit.record(s, self.actor, "collect_dataset", dataset_key(ds_id), source=source, period=period,
                             version=[old_version or None, new], responses=[e.sha256 for e in responses])
            return ds_id, new != old_version

    def collected_evidence(self, source: str, period: str, rulebook: str) -> tuple[DatasetInfo, list[evidence.Evidence]]:
        """The responses behind the version in use of a collected dataset (NotFoundError if there is none)."""
        with self._tx("đọc bằng chứng tải từ Cổng DVCQG") as s:
            row = datasets.find_dataset(s, source, period, rulebook)
            found = evidence.of_version(s, row.id, row.version) if row is not None else []
            if not found:
                raise NotFoundError(f"Chưa có số liệu «{source}» kỳ {period} tải từ Cổng DVCQG trong cơ sở dữ liệu "
                                    "làm việc (dùng lệnh collect).")
            return datasets.info(row), found

    def import_paths(self, paths: list[str | Path], table: UnitTable, rulebook: str,
                     new_version: bool = False) -> list[int]:
        source = " + ".join(sorted(Path(p).name for p in paths))
        return self.import_table(table, source, datasets.content_hash(paths), rulebook, new_version)

    def datasets(self, rulebook: str | None = None) -> list[DatasetInfo]:
        with self._tx("đọc danh sách bộ số liệu") as s:
            q = select(Dataset).order_by(Dataset.period, Dataset.id)
            if rulebook:
                q = q.where(Dataset.rulebook == rulebook)
            return [datasets.info(r) for r in s.scalars(q)]

    def datasets_with_unit(self, unit_code: str) -> list[DatasetInfo]:
        with self._tx("đọc lịch sử đơn vị") as s:
            mine = (Unit.dataset_id == Dataset.id) & (Unit.version == Dataset.version)
            q = select(Dataset).join(Unit, mine).where(Unit.unit_code == unit_code)
            return [datasets.info(r) for r in s.scalars(q.distinct().order_by(Dataset.period, Dataset.id))]

    def load_dataset(self, dataset_id: int, version: int | None = None) -> UnitTable:
        """The version in use, or an earlier one (a replaced upload, an earlier collection of the period)."""
        with self._tx("đọc bộ số liệu") as s:
            return datasets.read_dataset(s, dataset_id, version)

    def dataset_versions(self, dataset_id: int) -> list[datasets.VersionInfo]:
        with self._tx("đọc các phiên bản bộ số liệu") as s:
            return datasets.versions(s, dataset_id)

    def restore_dataset_version(self, dataset_id: int, version: int) -> None:
        """Put an earlier version back in use (quản trị only); the current one stays restorable too."""
        require_role(self.actor, [Role.ADMIN], "khôi phục phiên bản bộ số liệu")
        with self._tx("khôi phục phiên bản bộ số liệu") as s:
            was = datasets._dataset(s, dataset_id).version
            ds = datasets.use_version(s, dataset_id, version)
            audit.record(s, self.actor, "restore_dataset", dataset_key(dataset_id), source=ds.source,
                         period=ds.period, version=[was, version])

    # ------------------------------------------------------------ hand edits, as batches

    def _parents(self, s: Session, source_key: str) -> Parents:
        """Who a unit answers to, for cán bộ tổng hợp (others never need it)."""
        if self.actor.role is not Role.AGGREGATOR:
            return lambda code: None
        key = SourceKey.parse(source_key)
        if key is not None and key.dataset_id is not None:
            return parents_from(datasets.parents(s, key.dataset_id))
        if key is not None and key.sample_key is not None:
            return parents_from(sample_parents(key.sample_key))
        return lambda code: None

    def save_edits(self, source_key: str, rulebook: str, revs: list[Revision]) -> batches.BatchInfo:
        """Store ``revs`` as one batch, all or nothing. Each ``Revision.old`` is the value its author saw:
        if any cell holds another value now, nothing is stored (``ConflictError`` lists them)."""
        require_store(self.actor, "lưu số liệu")
        with self._tx("lưu số liệu nhập tay") as s:
            require_units(self.actor, {r.unit_code for r in revs}, self._parents(s, source_key), "sửa số liệu")
            return batches.save(s, self.actor, source_key, rulebook, revs)

    def add_revisions(self, source_key: str, rulebook: str, revs: list[Revision]) -> list[int]:
        """Kept for scripts: ``save_edits`` and the ids of the stored revisions, in order."""
        info = self.save_edits(source_key, rulebook, revs)
        with self._tx("đọc số liệu nhập tay") as s:
            q = select(RevisionRow.id).where(RevisionRow.batch_id == info.id).order_by(RevisionRow.id)
            return list(s.scalars(q))

    def add_revision(self, source_key: str, rulebook: str, rev: Revision) -> int:
        return self.add_revisions(source_key, rulebook, [rev])[0]

    def revisions(self, source_key: str, rulebook: str) -> list[Revision]:
        """The revisions in force (batches not undone), oldest first."""
        with self._tx("đọc số liệu nhập tay") as s:
            return batches.active(s, source_key, rulebook)

    def revision_stamp(self, source_key: str, rulebook: str) -> tuple[int, int]:
        with self._tx("đọc số liệu nhập tay") as s:
            return batches.stamp(s, source_key, rulebook)

    def edit_batches(self, source_key: str, rulebook: str, limit: int = 200) -> list[batches.BatchInfo]:
        with self._tx("đọc các lần lưu") as s:
            return batches.listing(s, source_key, rulebook, limit)

    def own_last_batch(self, source_key: str, rulebook: str) -> batches.BatchInfo | None:
        """What «Hoàn tác» would take back: this actor's last batch in force, with its cells."""
        with self._tx("đọc các lần lưu") as s:
            return batches.own_last(s, self.actor, source_key, rulebook)

    def undo_batch(self, source_key: str, rulebook: str, batch_id: int) -> batches.BatchInfo:
        """Undo the batch the user confirmed; refused unless it is still their own last one."""
        require_store(self.actor, "hoàn tác")
        with self._tx("hoàn tác") as s:
            return batches.undo(s, self.actor, source_key, rulebook, batch_id)

    def undo_revision(self, source_key: str, rulebook: str) -> Revision | None:
        """Undo this actor's own last batch; returns its last revision (None when there is none)."""
        last = self.own_last_batch(source_key, rulebook)
        if last is None:
            return None
        self.undo_batch(source_key, rulebook, last.id)
        return last.revisions[-1]

    def revision_count(self, source_key: str, rulebook: str) -> int:
        with self._tx("đọc số liệu nhập tay") as s:
            return len(batches.active(s, source_key, rulebook))

    # ------------------------------------------------------------ saved scenarios and plans

    def _may_keep(self, s: Session, source_key: str, unit_code: str, what_vi: str) -> None:
        require_store(self.actor, what_vi)
        require_units(self.actor, [unit_code], self._parents(s, source_key), what_vi)

    def save_scenario(
        self, sc: Scenario, source_key: str, version: int | None = None, overwrite: bool = False
    ) -> SavedItem:
        fields = {"name": sc.name, "unit_code": sc.unit_code, "source_key": source_key, "rulebook": sc.rulebook,
                  "period": sc.period, "saved_by": self.actor.label[:200]}
        body = json.loads(sc.to_json())
        with self._tx("lưu kịch bản") as s:
            self._may_keep(s, source_key, sc.unit_code, "lưu kịch bản")
            item = saved.save(s, "scenario", fields, body, version, overwrite)
            audit.record(s, self.actor, "save_scenario", f"{source_key} · {item.name}", unit=item.unit_code,
                         version=item.version, levers=body.get("deltas"))
            return item

    def save_plan(
        self, name: str, plan: dict, source_key: str, period: str = "", version: int | None = None, overwrite: bool = False
    ) -> SavedItem:
        """``plan`` is ``chiso.plan.solver.Plan.to_dict()`` (target, steps with lever, from, to, …)."""
        fields = {"name": name, "unit_code": str(plan["unit"]), "source_key": source_key, "rulebook": str(plan["rulebook"]),
                  "period": period, "saved_by": self.actor.label[:200]}
        with self._tx("lưu kế hoạch") as s:
            self._may_keep(s, source_key, fields["unit_code"], "lưu kế hoạch")
            item = saved.save(s, "plan", fields, plan, version, overwrite)
            audit.record(s, self.actor, "save_plan", f"{source_key} · {item.name}", unit=item.unit_code,
                         version=item.version, target=plan.get("target"))
            return item

    def saved(self, kind: str, source_key: str | None, rulebook: str, unit_code: str | None = None) -> list[SavedItem]:
        """Saved items by name; ``source_key=None`` lists them across every source (other periods too)."""
        with self._tx("đọc danh sách đã lưu") as s:
            return saved.listing(s, kind, source_key, rulebook, unit_code)

    def get_saved(self, kind: str, item_id: int) -> SavedItem:
        with self._tx("đọc mục đã lưu") as s:
            return saved.get(s, kind, item_id)

    def rename_saved(self, kind: str, item_id: int, version: int, new_name: str) -> SavedItem:
        with self._tx("đổi tên") as s:
            cur = saved.get(s, kind, item_id)
            self._may_keep(s, cur.source_key, cur.unit_code, "đổi tên")
            item = saved.rename(s, kind, item_id, version, new_name)
            audit.record(s, self.actor, f"rename_{kind}", f"{cur.source_key} · {cur.name}", name=[cur.name, item.name])
            return item

    def delete_saved(self, kind: str, item_id: int, version: int) -> None:
        """A soft delete: hidden from every list, kept for «Khôi phục» and the audit trail."""
        with self._tx("xóa") as s:
            cur = saved.get(s, kind, item_id)
            self._may_keep(s, cur.source_key, cur.unit_code, "xóa")
            saved.remove(s, kind, item_id, version)
            audit.record(s, self.actor, f"delete_{kind}", f"{cur.source_key} · {cur.name}", unit=cur.unit_code,
                         version=cur.version)

    def deleted_saved(self, kind: str, source_key: str | None = None, rulebook: str | None = None) -> list[SavedItem]:
        with self._tx("đọc danh sách đã xóa") as s:
            return saved.deleted(s, kind, source_key, rulebook)

    def restore_saved(self, kind: str, item_id: int) -> SavedItem:
        with self._tx("khôi phục") as s:
            cur = saved.get(s, kind, item_id, deleted=True)
            self._may_keep(s, cur.source_key, cur.unit_code, "khôi phục")
            item = saved.restore(s, kind, item_id)
            audit.record(s, self.actor, f"restore_{kind}", f"{cur.source_key} · {cur.name}", unit=cur.unit_code)
            return item

    # ------------------------------------------------------------ accounts and the audit trail

    def add_account(self, login: str, role: Role, scope: tuple[str, ...] = (), display_name: str = "",
                    password: str | None = None) -> accounts.AccountInfo:
        with self._tx("tạo tài khoản") as s:
            return accounts.add(s, self.actor, login, role, scope, display_name, password)

    def accounts(self) -> list[accounts.AccountInfo]:
        require_role(self.actor, [Role.ADMIN], "xem danh sách tài khoản")
        with self._tx("đọc danh sách tài khoản") as s:
            return accounts.listing(s)

    def set_account_disabled(self, login: str, disabled: bool) -> accounts.AccountInfo:
        with self._tx("khóa tài khoản") as s:
            return accounts.set_disabled(s, self.actor, login, disabled)

    def set_password(self, login: str, password: str) -> accounts.AccountInfo:
        with self._tx("đổi mật khẩu") as s:
            return accounts.set_password(s, self.actor, login, password)

    def sign_in(self, login: str, password: str) -> accounts.AccountInfo:
        """The account when the password is right. A failure is counted (and committed) before it is raised."""
        refused: accounts.LoginError | None = None
        with self._tx("đăng nhập") as s:
            try:
                return accounts.verify(s, login, password)
            except accounts.LoginError as exc:
                refused = exc
        raise refused

    def account(self, login: str) -> accounts.AccountInfo | None:
        """An enabled account by login (for the identity provider's users)."""
        with self._tx("đọc tài khoản") as s:
            return accounts.by_login(s, login)

    def audit_entries(self, limit: int = 500, action: str | None = None) -> list[audit.AuditEntry]:
        require_role(self.actor, [Role.ADMIN], "xem nhật ký thay đổi")
        with self._tx("đọc nhật ký") as s:
            return audit.entries(s, limit, action)


@lru_cache(maxsize=8)
def sample_parents(key: str) -> dict[str, str | None]:
    """Unit → parent code of a bundled sample (read-only files: read once per process)."""
    found = next((x for x in SAMPLES if x.key == key), None)
    if found is None or not found.exists():
        return {}
    frame = load_sample(found, load_rulebook(found.rulebook)).frame
    parents = frame["parent_code"] if "parent_code" in frame else [None] * len(frame)
    return {str(c): (str(p) if isinstance(p, str) and p else None) for c, p in zip(frame["unit_code"], parents)}


def scenario_of(item: SavedItem, rb: Rulebook) -> Scenario:
    """A saved scenario back as a validated Scenario (its name is the saved name)."""
    sc = scenario_from_json(json.dumps({**item.body, "name": item.name}), rb, filename=item.name)
    return sc


def open_workspace(url: str | None = None, upgrade: bool = True) -> Workspace:
    """Open (and create or migrate) the workspace at ``url`` / ``CHISO_DATABASE_URL`` / the default file."""
    engine = make_engine(database_url(url))
    if upgrade:
        migrate(engine)
    return Workspace(engine)
