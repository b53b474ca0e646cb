"""``python -m chiso collect`` (a province's evaluation from Cổng DVCQG into the workspace) and
``python -m chiso evidence`` (the responses it came from, written back byte for byte)."""
from __future__ import annotations

import argparse
from pathlib import Path

from chiso.collect.client import BREAKER, DEFAULT_URL, ENV_PORTAL, PortalClient, portal_url
from chiso.collect.manifest import write_evidence
from chiso.collect.periods import parse_period
from chiso.collect.provinces import find_province
from chiso.collect.run import collect, source_name, store
from chiso.errors import DataError
from chiso.fmt import fmt_number
from chiso.rulebook import DEFAULT_RULEBOOK
from chiso.workspace import ENV_URL, open_workspace
from chiso.workspace.access import SERVER_CLI
from chiso.workspace.evidence import Evidence

COLLECT_HELP = f"""\
Tải sáu nhóm số liệu đánh giá của một tỉnh, một kỳ từ Cổng DVCQG và lưu vào cơ sở dữ liệu làm việc
(nguồn «Cổng DVCQG · <tỉnh>», kỳ như đã ghi, bộ quy tắc {DEFAULT_RULEBOOK}), kèm bằng chứng: từng byte của
mỗi phản hồi, yêu cầu đã gửi, thời điểm, mã HTTP, SHA-256 (lệnh evidence ghi lại ra tệp).
Kỳ: tháng 2026-08 (chỉ sau ngày cuối tháng), quý 2026-Q3, năm 2026 (quý/năm hiện tại: tính đến nay).
Tải lại cùng kỳ: nội dung mới thành phiên bản mới (phiên bản cũ vẫn giữ), nội dung không đổi thì không làm gì.

Luôn luôn: mỗi lần một yêu cầu, nghỉ --delay giây (±25 %) giữa hai yêu cầu. Dừng ngay, không thử lại, khi
Cổng trả HTTP 429/403, trang tường lửa hoặc HTML, JSON hỏng, số liệu của tỉnh khác; lỗi máy chủ 5xx,
quá thời gian chờ hoặc đứt kết nối: nghỉ lâu hơn (10 rồi 20 giây) rồi hỏi lại, {BREAKER} lần liên tiếp thì ngắt mạch và dừng.
Dừng ở đâu cũng không lưu gì; bộ số liệu đã kiểm chứng trước đó giữ nguyên. Không bao giờ đổi địa chỉ
hay danh tính để vượt chặn.

Collect the six evaluation endpoints of one province and period from the portal into the workspace,
with the exact response bytes as evidence. One request at a time with a jittered delay; stops on
429/403/WAF/HTML/invalid JSON/another province, and after {BREAKER} 5xx or timeouts in a row; a stopped
run stores nothing. Exit 0 when stored (or unchanged), 2 with a Vietnamese message otherwise.

Địa chỉ Cổng / portal URL: --portal-url, hoặc {ENV_PORTAL}, mặc định {DEFAULT_URL}.
Cơ sở dữ liệu / database: {ENV_URL}, mặc định / default .chiso/workspace.sqlite3.
"""
EVIDENCE_HELP = """\
Ghi ra thư mục các phản hồi của Cổng DVCQG mà bộ số liệu đang dùng của một tỉnh, một kỳ được tính từ:
<nhóm>.json giống hệt từng byte đã nhận, và manifest.json (yêu cầu, thời điểm, mã HTTP, kích thước,
SHA-256, kỳ). «python -m chiso import THƯ_MỤC» đọc kỳ từ manifest.json.
Write the responses behind the stored dataset of a province and period, byte-identical, with manifest.json.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect", help="tải số liệu từ Cổng DVCQG / collect a province from the portal",
                       description=COLLECT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _province_period(p)
    add_portal_options(p)
    p.set_defaults(func=cmd_collect)
    e = sub.add_parser("evidence", help="ghi lại bằng chứng đã tải / write back the collected responses",
                       description=EVIDENCE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _province_period(e)
    e.add_argument("--output", required=True, metavar="DIR", help="thư mục ghi ra (trống) / output folder")
    e.set_defaults(func=cmd_evidence)


def add_portal_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--portal-url", default=None, metavar="URL",
                   help=f"địa chỉ Cổng / base URL (mặc định {ENV_PORTAL} hoặc {DEFAULT_URL})")
    p.add_argument("--delay", type=float, default=2.0, metavar="GIÂY",
                   help="nghỉ giữa hai yêu cầu, giây, ±25 %% (mặc định 2; 0 được) / pause between requests")
    p.add_argument("--timeout", type=float, default=60.0, metavar="GIÂY",
                   help="thời gian chờ một phản hồi, giây (mặc định 60) / per-request timeout")


def portal_client(args: argparse.Namespace) -> PortalClient:
    """The client the options ask for (checked first: a NaN fails both comparisons too)."""
    if not (0 <= args.delay <= 600 and 0 < args.timeout <= 600):
        raise DataError("--delay phải từ 0 đến 600 giây, --timeout lớn hơn 0 và tối đa 600 giây.")
    return PortalClient(portal_url(args.portal_url), args.delay, args.timeout)


def _province_period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--province", required=True, metavar="MÃ|TÊN",
                   help="mã (H44) hoặc tên tỉnh, có hoặc không dấu / province code or name")
    p.add_argument("--period", required=True, metavar="KỲ", help="2026-08, 2026-Q3 hoặc / or 2026")


def cmd_collect(args: argparse.Namespace) -> int:
    province, period = find_province(args.province), parse_period(args.period)  # refused before any request
    client = portal_client(args)
    print(f"Tải {province.name}, kỳ {period.label} từ {client.base_url} (mỗi lần một yêu cầu, "
          f"nghỉ {fmt_number(args.delay, 1)} giây).")
    try:
        collected = collect(client, province, period, progress=_progress)
    finally:
        client.close()
    ws = open_workspace().for_actor(SERVER_CLI)
    try:
        ds_id, stored = store(ws, collected)
    finally:
        ws.close()
    n = len(collected.table)
    if stored:
        print(f"Đã lưu bộ số liệu {ds_id}: «{collected.source}», kỳ {period.label}, {n} đơn vị, "
              f"bộ quy tắc {DEFAULT_RULEBOOK}, {len(collected.responses)} phản hồi làm bằng chứng — {ws.url}")
    else:
        print(f"Số liệu không đổi so với lần tải trước (bộ số liệu {ds_id}, kỳ {period.label}); không lưu thêm.")
    return 0


def _progress(i: int, endpoint: str, pages: list[Evidence]) -> None:
    size = sum(len(e.body) for e in pages)
    print(f"  [{i}/6] {endpoint}: {len(pages)} trang, {fmt_number(size, 0)} byte, đã kiểm tra", flush=True)


def cmd_evidence(args: argparse.Namespace) -> int:
    province, period = find_province(args.province), parse_period(args.period)
    ws = open_workspace()
    try:
        info, items = ws.collected_evidence(source_name(province), period.label, DEFAULT_RULEBOOK)
    finally:
        ws.close()
    written = write_evidence(Path(args.output), info, province, items)
    print(f"Đã ghi {len(written)} tệp (bộ số liệu {info.id}, kỳ {info.period}) vào {args.output}")
    return 0
