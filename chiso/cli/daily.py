"""``python -m chiso collect-daily``: the scheduled run (cron / systemd timer), idempotent and resumable."""
from __future__ import annotations

import argparse
from pathlib import Path

from chiso.cli.collect import add_portal_options, portal_client
from chiso.collect.client import PortalBlocked, PortalClient
from chiso.collect.daily import Checkpoints, daily_periods
from chiso.collect.periods import Period, parse_period, today_in_vietnam
from chiso.collect.provinces import Province, find_province, provinces
from chiso.collect.run import collect, store
from chiso.workspace import ENV_URL, Workspace, open_workspace
from chiso.workspace.access import SERVER_CLI

DAILY_HELP = f"""\
Lần tải hằng ngày (cron hoặc systemd timer, khoảng nửa đêm giờ Việt Nam; mẫu trong deploy/): với mỗi tỉnh,
tải các kỳ đang thay đổi — tháng vừa kết thúc, quý và năm hiện tại (tính đến nay), và trong tháng đầu của
quý/năm mới thì cả quý/năm vừa qua — như lệnh collect, từng tỉnh một, mỗi lần một yêu cầu.
Mỗi nhóm đã kiểm tra được giữ trong --state; bị dừng giữa chừng thì lần chạy sau tiếp tục, không hỏi lại
những gì đã có. Chạy lại trong cùng ngày: bỏ qua những gì đã lưu. Chỉ một lần chạy một lúc trên máy.
Bị Cổng chặn (429/403/tường lửa…): dừng cả lần chạy, không sang tỉnh khác, mã thoát 2.

The daily run: for each province the periods that move (last month, current quarter and year, and the
one just finished in the first month of a new quarter/year), checkpointed per province, period and
endpoint in --state so an interrupted run resumes; a second run the same day does nothing; one run at a
time; a block stops the whole run (exit 2).
Cơ sở dữ liệu / database: {ENV_URL}.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect-daily", help="lần tải hằng ngày từ Cổng DVCQG / the scheduled daily collection",
                       description=DAILY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--province", action="append", metavar="MÃ|TÊN", help="tỉnh (lặp lại được) / province, repeatable")
    which.add_argument("--all", action="store_true", help="cả 34 tỉnh / all 34 provinces")
    p.add_argument("--period", action="append", metavar="KỲ", help="thay cho các kỳ mặc định (lặp lại được) / instead of the default periods")
    p.add_argument("--state", default=".chiso/collect-state", metavar="DIR",
                   help="thư mục điểm dừng (mặc định .chiso/collect-state) / checkpoint folder")
    add_portal_options(p)
    p.set_defaults(func=cmd_daily)


def cmd_daily(args: argparse.Namespace) -> int:
    today = today_in_vietnam()
    chosen = list(provinces()) if args.all else [find_province(p) for p in args.province]
    periods = [parse_period(p, today) for p in args.period] if args.period else daily_periods(today)
    checkpoints = Checkpoints(Path(args.state), today)
    lock = checkpoints.lock()
    checkpoints.prune()
    client, ws = portal_client(args), open_workspace().for_actor(SERVER_CLI)
    try:
        for province in chosen:
            for period in periods:
                _one(client, ws, checkpoints, province, period)
    except PortalBlocked as exc:
        raise PortalBlocked(exc.message + " Những nhóm đã tải hôm nay được giữ lại; lần chạy sau tiếp tục từ chỗ dừng.") from None
    finally:
        client.close()
        ws.close()
        lock.close()
    return 0


def _one(client: PortalClient, ws: Workspace, checkpoints: Checkpoints, province: Province, period: Period) -> None:
    where = f"{province.code} {province.short_name}, kỳ {period.label}"
    if checkpoints.is_done(province, period):
        print(f"{where}: đã tải hôm nay, bỏ qua.")
        return
    collected = collect(client, province, period, resume=checkpoints.loader(province, period),
                        checkpoint=checkpoints.saver(province, period))
    ds_id, stored = store(ws, collected)
    note = f"đã lưu (bộ số liệu {ds_id})" if stored else f"không đổi (bộ số liệu {ds_id})"
    checkpoints.mark_done(province, period, note)
    print(f"{where}: {note}.", flush=True)
