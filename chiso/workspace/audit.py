"""The audit trail: every change to the shared workspace, written in the same transaction as the change.

Because the record and the change commit together, there is no change without its record and no record
of a change that failed. Details hold before → after in JSON; nothing in them is ever rendered as markup.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chiso.workspace.access import Actor
from chiso.workspace.models import AuditRow, utc

ACTION_VI = {
    "save_counts": "lưu số liệu nhập tay",
    "undo_counts": "hoàn tác số liệu nhập tay",
    "store_dataset": "lưu bộ số liệu",
    "replace_dataset": "thay bộ số liệu bằng phiên bản mới",
    "restore_dataset": "khôi phục phiên bản bộ số liệu",
    "collect_dataset": "tải bộ số liệu từ Cổng DVCQG",
    "save_scenario": "lưu kịch bản",
    "save_plan": "lưu kế hoạch",
    "rename_scenario": "đổi tên kịch bản",
    "rename_plan": "đổi tên kế hoạch",
    "delete_scenario": "xóa kịch bản",
    "delete_plan": "xóa kế hoạch",
    "restore_scenario": "khôi phục kịch bản đã xóa",
    "restore_plan": "khôi phục kế hoạch đã xóa",
    "account_add": "tạo tài khoản",
    "account_disable": "khóa tài khoản",
    "account_enable": "mở lại tài khoản",
    "account_passwd": "đổi mật khẩu",
    "login_failed": "đăng nhập sai",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict

    @property
    def action_vi(self) -> str:
        return ACTION_VI.get(self.action, self.action)


def record(s: Session, actor: Actor | str, action: str, target: str, /, **detail: object) -> None:
    who = actor if isinstance(actor, str) else actor.label
    s.add(AuditRow(at=datetime.now(timezone.utc), actor=who[:200], action=action, target=target[:500],
                   detail_json=json.dumps(detail, ensure_ascii=False, default=str)))


def entries(s: Session, limit: int = 500, action: str | None = None, actor: str | None = None) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first (optionally of one action or actor)."""
    q = select(AuditRow)
    if action:
        q = q.where(AuditRow.action == action)
    if actor:
        q = q.where(AuditRow.actor == actor)
    rows = s.scalars(q.order_by(AuditRow.id.desc()).limit(limit))
    return [AuditEntry(r.id, utc(r.at), r.actor, r.action, r.target, json.loads(r.detail_json)) for r in rows]


def count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(AuditRow)) or 0)


