"""Accounts kept in the workspace database (``CHISO_AUTH=password``), and signing in.

Passwords are hashed with argon2id (argon2-cffi, its recommended parameters); a hash made with older
parameters is renewed at the next good sign-in. Failed sign-ins are throttled per account in the database,
so every replica of a shared server sees the same count: after ``FREE_TRIES`` failures the account waits,
doubling from 30 s up to 15 minutes. The message never says whether the login exists.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chiso.workspace import audit
from chiso.workspace.access import Actor, Role, require_role
from chiso.workspace.errors import NotFoundError, WorkspaceError
from chiso.workspace.models import Account, utc

FREE_TRIES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
MIN_PASSWORD = 10  # an office server on a LAN: long passphrases beat clever rules
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("chiso: a hash to verify when the login does not exist")


class LoginError(WorkspaceError):
    """Wrong login or password, a disabled account, or too many tries: said the same way."""


@dataclass(frozen=True)
class AccountInfo:
    login: str
    display_name: str
    role: Role
    scope: tuple[str, ...]
    disabled: bool
    has_password: bool
    created_at: datetime

    def actor(self) -> Actor:
        return Actor(self.login, self.role, self.scope, self.display_name or self.login)




def _info(a: Account) -> AccountInfo:
    return AccountInfo(a.login, a.display_name, Role(a.role), tuple(json.loads(a.scope_json)), a.disabled,
                       bool(a.password_hash), utc(a.created_at))


def clean_login(login: str) -> str:
    t = login.strip().lower()
    if not t or len(t) > 200 or any(c.isspace() or not c.isprintable() for c in t):
        raise WorkspaceError(f"Tên đăng nhập «{login[:50]}» không hợp lệ: 1–200 ký tự, không có khoảng trắng.")
    return t


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WorkspaceError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    if len(password) > 1024:
        raise WorkspaceError("Mật khẩu dài quá 1.024 ký tự.")


def _get(s: Session, login: str) -> Account | None:
    return s.scalars(select(Account).where(Account.login == login.strip().lower())).one_or_none()


def _scope_for(role: Role, scope: tuple[str, ...]) -> tuple[str, ...]:
    if role in (Role.UNIT, Role.AGGREGATOR) and not scope:
        raise WorkspaceError("Tài khoản đơn vị hoặc cán bộ tổng hợp cần ít nhất một mã đơn vị (--unit MÃ).")
    return tuple(dict.fromkeys(c.strip() for c in scope if c.strip()))


def add(s: Session, by: Actor, login: str, role: Role, scope: tuple[str, ...], display_name: str,
        password: str | None) -> AccountInfo:
    """A new account; ``password`` None makes one that signs in only through the identity provider."""
    require_role(by, [Role.ADMIN], "tạo tài khoản")
    if password is not None:
        check_password(password)
    a = Account(login=clean_login(login), display_name=" ".join(display_name.split())[:200], role=role.value,
                scope_json=json.dumps(list(_scope_for(role, scope)), ensure_ascii=False),
                password_hash=_HASHER.hash(password) if password is not None else "", disabled=False,
                failed_logins=0, created_at=datetime.now(timezone.utc))
    s.add(a)
    try:
        s.flush()
    except IntegrityError:
        raise WorkspaceError(f"Đã có tài khoản «{a.login}».") from None
    audit.record(s, by, "account_add", a.login, role=role.value, scope=json.loads(a.scope_json))
    return _info(a)


def listing(s: Session) -> list[AccountInfo]:
    return [_info(a) for a in s.scalars(select(Account).order_by(Account.login))]


def _existing(s: Session, login: str) -> Account:
    a = _get(s, login)
    if a is None:
        raise NotFoundError(f"Không có tài khoản «{login}».")
    return a


def set_disabled(s: Session, by: Actor, login: str, disabled: bool) -> AccountInfo:
    require_role(by, [Role.ADMIN], "khóa hay mở tài khoản")
    a = _existing(s, login)
    a.disabled = disabled
    audit.record(s, by, "account_disable" if disabled else "account_enable", a.login)
    return _info(a)


def set_password(s: Session, by: Actor, login: str, password: str) -> AccountInfo:
    a = _existing(s, login)
    if by.login != a.login:
        require_role(by, [Role.ADMIN], "đổi mật khẩu của tài khoản khác")
    check_password(password)
    a.password_hash = _HASHER.hash(password)
    a.failed_logins, a.locked_until = 0, None
    audit.record(s, by, "account_passwd", a.login)
    return _info(a)


def _wait(failures: int) -> timedelta:
    return min(FIRST_WAIT * 2 ** max(0, failures - FREE_TRIES), LONGEST_WAIT)


_REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."


def verify(s: Session, login: str, password: str, now: datetime | None = None) -> AccountInfo:
    """The account when ``password`` is right; ``LoginError`` otherwise (throttled, same words every time)."""
    now = now or datetime.now(timezone.utc)
    a = _get(s, login) if login.strip() else None
    if a is None or a.disabled or not a.password_hash:
        _safe_verify(_DUMMY, password)  # the same time whether or not the login exists
        raise LoginError(_REFUSED)
    locked = utc(a.locked_until)
    if locked is not None and locked > now:
        wait = int((locked - now).total_seconds()) + 1
        raise LoginError(f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {wait} giây.")
    if not _safe_verify(a.password_hash, password):
        a.failed_logins += 1
        if a.failed_logins >= FREE_TRIES:
            a.locked_until = now + _wait(a.failed_logins)
        audit.record(s, a.login, "login_failed", a.login, failures=a.failed_logins)
        raise LoginError(_REFUSED)
    a.failed_logins, a.locked_until = 0, None
    if _HASHER.check_needs_rehash(a.password_hash):
        a.password_hash = _HASHER.hash(password)
    return _info(a)


def _safe_verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password[:1024])
    except (VerificationError, InvalidHashError):
        return False


def by_login(s: Session, login: str) -> AccountInfo | None:
    """An enabled account by login (the identity provider's e-mail); None when unknown or disabled."""
    a = _get(s, login)
    return None if a is None or a.disabled else _info(a)
