"""Saved scenarios and plans: named per source and rulebook, versioned for optimistic concurrency.

Every write is one statement or one transaction: a new name is inserted (the unique constraint turns a
race between two sessions into "name taken"), an existing row is updated only ``WHERE version = the
version the caller read`` and gets version + 1, so a save on a stale version changes nothing and is
refused with a message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chiso.workspace.errors import NameTakenError, NotFoundError, StaleVersionError
from chiso.workspace.models import PlanRow, ScenarioRow, utc

KINDS = {"scenario": ScenarioRow, "plan": PlanRow}
KIND_VI = {"scenario": "kịch bản", "plan": "kế hoạch"}


@dataclass(frozen=True)
class SavedItem:
    kind: str  # "scenario" or "plan"
    id: int
    name: str
    unit_code: str
    source_key: str
    rulebook: str
    period: str
    body: dict
    version: int
    saved_at: datetime
    saved_by: str = ""
    deleted_at: datetime | None = None



def _item(kind: str, r) -> SavedItem:
    return SavedItem(
        kind, r.id, r.name, r.unit_code, r.source_key, r.rulebook, r.period, json.loads(r.body_json), r.version,
        utc(r.saved_at), r.saved_by, utc(r.deleted_at),
    )


def clean_name(name: str, kind: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise NameTakenError(f"Hãy đặt tên cho {KIND_VI[kind]}.")
    if len(name) > 200:
        raise NameTakenError(f"Tên {KIND_VI[kind]} dài quá 200 ký tự.")
    return name


def find(s: Session, kind: str, source_key: str, rulebook: str, name: str):
    model = KINDS[kind]
    return s.scalars(
        select(model).where(model.source_key == source_key, model.rulebook == rulebook, model.name == name,
                            model.deleted_at.is_(None))
    ).one_or_none()


def save(
    s: Session,
    kind: str,
    fields: dict,
    body: dict,
    version: int | None,
    overwrite: bool,
) -> SavedItem:
    """Insert a new name, or overwrite an existing one at the version the caller read."""
    model = KINDS[kind]
    name = clean_name(fields["name"], kind)
    row = find(s, kind, fields["source_key"], fields["rulebook"], name)
    now = datetime.now(timezone.utc)
    body_json = json.dumps(body, ensure_ascii=False)
    if row is None:
        if version is not None:
            raise StaleVersionError(f"{KIND_VI[kind].capitalize()} «{name}» vừa bị phiên khác xóa hoặc đổi tên; chưa lưu.")
        new = model(**{**fields, "name": name}, body_json=body_json, version=1, saved_at=now)
        s.add(new)
        try:
            s.flush()
        except IntegrityError:
            raise _taken(kind, name, None) from None
        return _item(kind, new)
    if not overwrite:
        raise _taken(kind, name, row.version)
    _bump(s, kind, row.id, version, name, {**fields, "name": name, "body_json": body_json, "saved_at": now})
    s.refresh(row)
    return _item(kind, row)


def _taken(kind: str, name: str, version: int | None) -> NameTakenError:
    err = NameTakenError(f"Đã có {KIND_VI[kind]} tên «{name}». Ghi đè lên {KIND_VI[kind]} cũ?")
    err.version = version  # the version to pass back when the user confirms the overwrite
    return err


def _bump(s: Session, kind: str, row_id: int, version: int | None, name: str, values: dict,
          doing_vi: str = "ghi đè") -> None:
    """UPDATE … WHERE version = read version: zero rows changed means someone saved in between."""
    model = KINDS[kind]
    done = s.execute(
        update(model)
        .where(model.id == row_id, model.version == version)
        .values(**values, version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise StaleVersionError(
            f"{KIND_VI[kind].capitalize()} «{name}» vừa được phiên khác lưu (phiên bản mới hơn bản bạn đang xem); "
            f"chưa {doing_vi}. Hãy mở lại rồi thử lại."
        )


def listing(s: Session, kind: str, source_key: str | None, rulebook: str, unit_code: str | None) -> list[SavedItem]:
    """Saved items of one source (``None``: of every source, e.g. a unit's plans across periods)."""
    model = KINDS[kind]
    q = select(model).where(model.rulebook == rulebook, model.deleted_at.is_(None))
    if source_key is not None:
        q = q.where(model.source_key == source_key)
    if unit_code is not None:
        q = q.where(model.unit_code == unit_code)
    return [_item(kind, r) for r in s.scalars(q.order_by(model.name))]


def get(s: Session, kind: str, item_id: int, deleted: bool = False) -> SavedItem:
    row = s.get(KINDS[kind], item_id)
    if row is None or (row.deleted_at is not None) != deleted:
        raise NotFoundError(f"Không còn {KIND_VI[kind]} này trong cơ sở dữ liệu làm việc (đã bị xóa?).")
    return _item(kind, row)


def rename(s: Session, kind: str, item_id: int, version: int, new_name: str) -> SavedItem:
    cur = get(s, kind, item_id)
    name = clean_name(new_name, kind)
    if name != cur.name and find(s, kind, cur.source_key, cur.rulebook, name) is not None:
        raise _taken(kind, name, None)
    try:
        _bump(s, kind, item_id, version, cur.name, {"name": name})
        s.flush()
    except IntegrityError:
        raise _taken(kind, name, None) from None
    return get(s, kind, item_id)


def remove(s: Session, kind: str, item_id: int, version: int) -> SavedItem:
    """Soft delete at the version the caller read: the row stays, hidden, and can be restored."""
    cur = get(s, kind, item_id)
    _bump(s, kind, item_id, version, cur.name, {"deleted_at": datetime.now(timezone.utc)}, "xóa")
    return cur


def deleted(s: Session, kind: str, source_key: str | None, rulebook: str | None) -> list[SavedItem]:
    """Deleted items, newest deletion first (what «Khôi phục» offers)."""
    model = KINDS[kind]
    q = select(model).where(model.deleted_at.is_not(None))
    if source_key is not None:
        q = q.where(model.source_key == source_key)
    if rulebook is not None:
        q = q.where(model.rulebook == rulebook)
    return [_item(kind, r) for r in s.scalars(q.order_by(model.deleted_at.desc()))]


def restore(s: Session, kind: str, item_id: int) -> SavedItem:
    cur = get(s, kind, item_id, deleted=True)
    if find(s, kind, cur.source_key, cur.rulebook, cur.name) is not None:
        raise NameTakenError(f"Đã có {KIND_VI[kind]} khác tên «{cur.name}»; hãy đổi tên {KIND_VI[kind]} đó trước "
                             "khi khôi phục.")
    _bump(s, kind, item_id, cur.version, cur.name, {"deleted_at": None}, "khôi phục")
    return get(s, kind, item_id)
