"""Who is acting and what they may change: roles, the actor of a call, and the one place rights are checked.

The workspace checks every write against its actor (``Workspace.for_actor``), so a page that forgot to
hide a button, or a script calling ``chiso.workspace`` directly, is refused all the same.

Roles (the floor the offices asked for):
- ``quan_tri`` (quản trị): everything, including accounts, restores and the audit trail;
- ``tong_hop`` (cán bộ tổng hợp): every unit under the province or city codes in its scope;
- ``don_vi`` (đơn vị): only the unit codes in its scope (counts, scenarios, plans);
- ``khach`` (khách / học viên): reads and simulates; nothing it does is stored for others.

Without accounts (the default on one's own machine) every visitor acts as ``LOCAL``, a quản trị.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import Enum

from chiso.workspace.errors import WorkspaceError


class Role(str, Enum):
    ADMIN = "quan_tri"
    AGGREGATOR = "tong_hop"
    UNIT = "don_vi"
    GUEST = "khach"


ROLE_VI = {
    Role.ADMIN: "quản trị",
    Role.AGGREGATOR: "cán bộ tổng hợp",
    Role.UNIT: "đơn vị",
    Role.GUEST: "khách / học viên",
}


class AccessError(WorkspaceError):
    """The actor has no right to this change; nothing was written."""


@dataclass(frozen=True)
class Actor:
    """Who makes a call. ``login`` is the account ("" without accounts); ``session`` tells two anonymous
    browsers apart, so that undo takes back one's own batch, never a neighbour's."""

    login: str
    role: Role
    scope: tuple[str, ...] = ()  # unit codes (đơn vị) or province/city codes (cán bộ tổng hợp)
    name: str = ""  # shown in «Người nhập» and the audit trail
    session: str = ""

    @property
    def label(self) -> str:
        who = self.name or self.login or "người dùng không đăng nhập"
        return f"{who} ({self.login})" if self.login and self.name and self.name != self.login else who

    def in_session(self, session: str) -> "Actor":
        return replace(self, session=session)

    def named(self, name: str) -> "Actor":
        """Without accounts the user may type a name; with accounts the account's name stays."""
        return self if self.login else replace(self, name=" ".join(name.split())[:100])

    def owns(self, login: str, session: str) -> bool:
        """Is a batch saved by (login, session) this actor's own?"""
        return login == self.login if self.login else (not login and session == self.session)


LOCAL = Actor("", Role.ADMIN)  # one's own machine, no accounts: may do everything
SERVER_CLI = Actor("", Role.ADMIN, name="dòng lệnh trên máy chủ")  # whoever runs python -m chiso on the server


def parse_role(text: str) -> Role:
    """A role from its code or Vietnamese name (``don_vi``, «đơn vị»)."""
    t = " ".join(text.strip().lower().replace("-", "_").split())
    for role in Role:
        if t in (role.value, ROLE_VI[role], role.name.lower()):
            return role
    choices = ", ".join(f"{r.value} ({ROLE_VI[r]})" for r in Role)
    raise WorkspaceError(f"Vai trò «{text}» không có; chọn một trong: {choices}.")


Parents = Callable[[str], str | None]  # a unit's parent code (None at the top)


def covers(actor: Actor, unit_code: str, parent_of: Parents) -> bool:
    """May ``actor`` change things of ``unit_code``? Walks up the unit's parents for cán bộ tổng hợp."""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.UNIT:
        return unit_code in actor.scope
    if actor.role is Role.AGGREGATOR:
        seen: set[str] = set()
        code: str | None = unit_code
        while code and code not in seen:  # a loop in the parents must not hang the check
            if code in actor.scope:
                return True
            seen.add(code)
            code = parent_of(code)
    return False


def require_units(actor: Actor, unit_codes: Iterable[str], parent_of: Parents, what_vi: str) -> None:
    """Refuse the whole change when one unit is outside the actor's rights, naming the first few."""
    outside = sorted({c for c in unit_codes if not covers(actor, c, parent_of)})
    if outside:
        shown = ", ".join(outside[:5]) + (f" và {len(outside) - 5} đơn vị khác" if len(outside) > 5 else "")
        raise AccessError(
            f"Tài khoản «{actor.label}» ({ROLE_VI[actor.role]}) không có quyền {what_vi} của đơn vị {shown}; "
            "chưa lưu gì."
        )


def require_role(actor: Actor, roles: Iterable[Role], what_vi: str) -> None:
    if actor.role not in set(roles):
        raise AccessError(f"Tài khoản «{actor.label}» ({ROLE_VI[actor.role]}) không có quyền {what_vi}.")


def require_store(actor: Actor, what_vi: str) -> None:
    """Anything kept for others: refused to khách / học viên (they keep scenarios in their session)."""
    if actor.role is Role.GUEST:
        raise AccessError(
            f"Tài khoản khách / học viên không {what_vi} vào cơ sở dữ liệu chung; kịch bản chỉ được giữ trong phiên này."
        )


def parents_from(pairs: Mapping[str, str | None]) -> Parents:
    return lambda code: pairs.get(code) or None


def scope_label(actor: Actor) -> str:
    return ", ".join(actor.scope) if actor.scope else "—"




AUTH_ENV = "CHISO_AUTH"
AUTH_MODES = {"": "không đăng nhập (máy cá nhân)", "password": "tài khoản và mật khẩu trong cơ sở dữ liệu làm việc",
              "oidc": "đăng nhập qua nhà cung cấp định danh (st.login)"}


def auth_mode(value: str | None) -> str:
    """``CHISO_AUTH`` checked: a typo must not open a shared server to everyone, so it stops the app."""
    mode = (value or "").strip().lower()
    if mode in ("none", "off"):
        return ""
    if mode not in AUTH_MODES:
        raise WorkspaceError(f"{AUTH_ENV}=«{value}» không hợp lệ; dùng password, oidc, hoặc để trống.")
    return mode
