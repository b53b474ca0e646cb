"""``python -m chiso import``: store a dataset in the workspace (the same database the app uses)."""
from __future__ import annotations

import argparse

from chiso.cli.common import add_data_options, read_data
from chiso.workspace import ENV_URL, open_workspace
from chiso.workspace.access import SERVER_CLI

IMPORT_HELP = f"""\
Đọc số liệu (như lệnh score) và lưu vào cơ sở dữ liệu làm việc: mỗi kỳ một bộ số liệu, kèm nguồn,
mã băm nội dung, bộ quy tắc, mọi số liệu gốc và nguồn gốc của chúng, điểm công bố và cảnh báo.
Nhập lại cùng nguồn, cùng kỳ và cùng nội dung thì không làm gì; nội dung khác bị từ chối, trừ khi thêm
--new-version: khi đó tệp mới thành phiên bản đang dùng, phiên bản cũ vẫn được giữ và khôi phục được
(trang Nhật ký). Mọi lần lưu được ghi vào nhật ký thay đổi. Thư mục JSON của Cổng DVCQG: không có --period
thì kỳ lấy từ manifest.json bên cạnh (lệnh evidence ghi ra), không bao giờ từ tên thư mục.
Read unit data (as score does) and store it in the workspace database, one dataset per period.
The same source, period and content again changes nothing; other content is refused unless
--new-version is given: then it becomes the version in use and the old one is kept, restorable.
A portal folder without --period takes its period from a manifest.json beside it, never from its name.

Cơ sở dữ liệu / database: {ENV_URL} (URL SQLAlchemy bất kỳ, ví dụ postgresql+psycopg://…),
mặc định tệp .chiso/workspace.sqlite3 trong thư mục dự án / default: .chiso/workspace.sqlite3.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="lưu số liệu vào cơ sở dữ liệu làm việc / store a dataset in the workspace",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_data_options(p)
    p.add_argument("--new-version", action="store_true",
                   help="lưu thành phiên bản mới nếu nguồn và kỳ này đã có nội dung khác / store as a new version")
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    rb, table = read_data(args)
    ws = open_workspace().for_actor(SERVER_CLI)  # recorded in the audit trail as the server's command line
    try:
        ids = ws.import_paths(args.paths, table, rb.id, new_version=args.new_version)
        stored = {d.id: d for d in ws.datasets()}
    finally:
        ws.close()
    for i in ids:
        d = stored[i]
        n = int((table.frame["period"].astype(str) == d.period).sum())
        print(f"Đã lưu bộ số liệu {i}: «{d.source}», kỳ {d.period}, {n} đơn vị, bộ quy tắc {d.rulebook}"
              + (" (dữ liệu giả lập)" if d.synthetic else "") + f" — {ws.url}")
    return 0
