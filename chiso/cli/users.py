"""``python -m chiso users add|list|disable|enable|passwd``: the accounts of a shared server (CHISO_AUTH).

Whoever runs commands on the server is its administrator, so these act as quản trị; each change is still
recorded in the audit trail. Passwords are read without echo from the terminal, or from standard input
with --password-stdin (one line), never from the command line where ``ps`` would show them.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from chiso.workspace import ENV_URL, WorkspaceError, open_workspace
from chiso.workspace.access import ROLE_VI, SERVER_CLI, Role, parse_role

USERS_HELP = f"""\
Quản lý tài khoản đăng nhập (khi chạy ứng dụng với CHISO_AUTH=password hoặc oidc).
Manage sign-in accounts (for CHISO_AUTH=password or oidc).

Vai trò / roles: {', '.join(f'{r.value} ({ROLE_VI[r]})' for r in Role)}
  quan_tri  mọi việc, kể cả tài khoản, khôi phục và Nhật ký
  tong_hop  sửa mọi đơn vị thuộc tỉnh/thành phố có mã trong --unit (theo mã đơn vị cấp trên)
  don_vi    chỉ sửa số liệu, kịch bản, kế hoạch của các đơn vị có mã trong --unit
  khach     xem và mô phỏng; kịch bản chỉ giữ trong phiên

Ví dụ / examples:
  python -m chiso users add phuong1 --role don_vi --unit 000.20.30.H53 --name "UBND Phường 1"
  python -m chiso users add lan@tayninh.gov.vn --role tong_hop --unit 000.00.30.H53 --sso
  python -m chiso users list
  python -m chiso users disable phuong1
  python -m chiso users passwd phuong1

Cơ sở dữ liệu / database: {ENV_URL}, mặc định .chiso/workspace.sqlite3.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="quản lý tài khoản đăng nhập / manage accounts", description=USERS_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = p.add_subparsers(dest="verb", metavar="{add,list,disable,enable,passwd}", required=True)
    add = verbs.add_parser("add", help="tạo tài khoản / add an account")
    add.add_argument("login", help="tên đăng nhập (với --sso: e-mail ở nhà cung cấp định danh) / login")
    add.add_argument("--role", required=True, help="quan_tri | tong_hop | don_vi | khach")
    add.add_argument("--unit", action="append", default=[], metavar="MÃ",
                     help="mã đơn vị phụ trách (lặp lại cho nhiều đơn vị) / unit code, repeatable")
    add.add_argument("--name", default="", help="tên hiển thị / display name")
    add.add_argument("--sso", action="store_true",
                     help="không mật khẩu: chỉ đăng nhập qua nhà cung cấp định danh (CHISO_AUTH=oidc)")
    add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin / read it from stdin")
    verbs.add_parser("list", help="liệt kê tài khoản / list accounts")
    for verb, text in (("disable", "khóa tài khoản / disable"), ("enable", "mở lại tài khoản / enable")):
        verbs.add_parser(verb, help=text).add_argument("login")
    pw = verbs.add_parser("passwd", help="đặt mật khẩu mới / set a new password")
    pw.add_argument("login")
    pw.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin / read it from stdin")
    p.set_defaults(func=cmd_users)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise WorkspaceError("Không có bàn phím để nhập mật khẩu: dùng --password-stdin.")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise WorkspaceError("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    ws = open_workspace().for_actor(SERVER_CLI)  # recorded in the audit trail as the server's command line
    try:
        if args.verb == "add":
            role = parse_role(args.role)
            password = None if args.sso else _password(args.password_stdin)
            a = ws.add_account(args.login, role, tuple(args.unit), args.name, password)
            print(f"Đã tạo tài khoản «{a.login}» ({ROLE_VI[a.role]}"
                  + (f": {', '.join(a.scope)}" if a.scope else "") + ").")
        elif args.verb == "list":
            for a in ws.accounts():
                state = "đã khóa" if a.disabled else "đang dùng"
                how = "mật khẩu" if a.has_password else "nhà cung cấp định danh"
                print(f"{a.login}\t{a.display_name or '—'}\t{ROLE_VI[a.role]}\t{', '.join(a.scope) or '—'}\t{how}\t{state}")
        elif args.verb in ("disable", "enable"):
            a = ws.set_account_disabled(args.login, args.verb == "disable")
            print(f"Tài khoản «{a.login}» " + ("đã bị khóa." if a.disabled else "đã được mở lại."))
        else:
            a = ws.set_password(args.login, _password(args.password_stdin))
            print(f"Đã đặt mật khẩu mới cho «{a.login}».")
    finally:
        ws.close()
    return 0
