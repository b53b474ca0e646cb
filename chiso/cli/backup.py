"""``python -m chiso backup PATH`` and ``python -m chiso restore PATH --yes``: the whole workspace as one
portable file (SQLite ↔ PostgreSQL), see chiso.workspace.backup."""
from __future__ import annotations

import argparse
import sys

from chiso.fmt import fmt_number
from chiso.workspace import ENV_URL, open_workspace
from chiso.workspace.backup import Manifest, backup, describe, refuse_other_revision, restore, row_counts

WHERE = f"Cơ sở dữ liệu / database: {ENV_URL}, mặc định / default .chiso/workspace.sqlite3."

BACKUP_HELP = f"""\
Ghi toàn bộ cơ sở dữ liệu làm việc (bộ số liệu, số liệu nhập tay, kịch bản, kế hoạch, mọi bảng) vào
một tệp PATH (.jsonl.gz) từ một trạng thái nhất quán, kể cả khi ứng dụng đang chạy. Tệp dùng được cho
cả SQLite và PostgreSQL: sao lưu từ máy này, khôi phục trên máy chủ kia. Không ghi đè tệp đã có.
Write the whole workspace to one portable file PATH from one consistent snapshot (app may keep running);
restorable into SQLite or PostgreSQL. An existing file is never overwritten.

{WHERE}
"""

RESTORE_HELP = f"""\
THAY TOÀN BỘ nội dung cơ sở dữ liệu làm việc bằng bản sao lưu PATH (lệnh backup), trong một giao dịch:
lỗi ở bất kỳ đâu thì không thay đổi gì. Chỉ nhận bản sao lưu cùng phiên bản lược đồ. Không có --yes:
chỉ in những gì sẽ bị thay (số dòng từng bảng) và không thay đổi gì.
REPLACE everything in the workspace by the backup PATH, in one transaction, only from a backup of the
same schema revision. Without --yes: print what would be replaced and change nothing.

{WHERE}
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu làm việc ra một tệp / back up the workspace",
                       description=BACKUP_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("path", metavar="PATH", help="tệp sao lưu sẽ tạo, ví dụ chiso-2026-11-30.jsonl.gz / file to create")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu làm việc từ bản sao lưu / restore the workspace",
                       description=RESTORE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("path", metavar="PATH", help="tệp do lệnh backup tạo ra / a file written by backup")
    r.add_argument("--yes", action="store_true", help="đồng ý thay toàn bộ dữ liệu hiện có / confirm the replacement")
    r.set_defaults(func=cmd_restore)


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {fmt_number(n, 0)}" for name, n in counts.items()) or "—"


def cmd_backup(args: argparse.Namespace) -> int:
    ws = open_workspace()
    try:
        m = backup(ws.engine, args.path)
    finally:
        ws.close()
    print(f"Đã sao lưu {ws.url} vào «{args.path}»: {fmt_number(m.total, 0)} dòng, lược đồ {m.schema_revision} "
          f"({_rows(m.rows)}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    manifest = describe(args.path)  # a file that is no backup is refused before the workspace is touched
    ws = open_workspace()
    try:
        refuse_other_revision(manifest, ws.engine)
        if not args.yes:
            _ask(ws.url, args.path, row_counts(ws.engine), manifest)
            return 1
        restore(ws.engine, args.path)
        now = row_counts(ws.engine)
    finally:
        ws.close()
    print(f"Đã khôi phục {ws.url} từ «{args.path}» (tạo lúc {manifest.created_at}): {_rows(now)}.")
    return 0


def _ask(url: str, path: str, now: dict[str, int], manifest: Manifest) -> None:
    print(
        f"Khôi phục sẽ THAY TOÀN BỘ cơ sở dữ liệu làm việc {url}:\n"
        f"  hiện có:      {_rows(now)}\n"
        f"  bản sao lưu:  {_rows(manifest.rows)} (tạo lúc {manifest.created_at}, lược đồ {manifest.schema_revision})\n"
        "Chưa thay đổi gì. Nếu đúng như vậy, chạy lại lệnh với --yes.",
        file=sys.stderr,
    )
