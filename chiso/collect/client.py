"""The careful HTTP client: one request at a time, a pause with jitter between requests, and a stop at
the first sign that the portal does not want us (the rules of the careful collectors, api.md).

- 429, 403, a WAF page or any HTML, another unexpected status: stop at once, no retry.
- 5xx, a timeout or a dropped connection: a longer pause, then the same request again; after
  ``BREAKER`` such failures in a row the circuit opens and the run stops.
- A connection that cannot be opened at all (some office networks are refused by the portal): stop,
  explaining the manual route.
No rotated addresses or identities: the User-Agent says who we are.
"""
from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

import httpx

from chiso.errors import ChisoError
from chiso.io.limits import MAX_JSON_BYTES
from chiso.workspace.evidence import Evidence

DEFAULT_URL = "https://dichvucong.gov.vn"
ENV_PORTAL = "CHISO_PORTAL_URL"
PATH = "/api/v1/reporting/evaluation/"
BREAKER = 3  # transient failures in a row before the circuit opens
RETRY_PAUSE_S = 5.0  # the least pause before asking again after a transient failure, doubled each time
USER_AGENT = "chiso (tinh lai Bo chi so 766; mot yeu cau mot luc)"
MANUAL_ROUTE = ("Cách thủ công vẫn dùng được: mở trang «Đánh giá chất lượng phục vụ» của Cổng DVCQG trên một máy "
                "vào được Cổng, tải sáu tệp JSON của kỳ đó rồi đưa vào ứng dụng (thanh bên, «Chọn tệp») hoặc "
                "lệnh «python -m chiso import THƯ_MỤC --period KỲ».")


def portal_url(given: str | None = None) -> str:
    """The base URL: given (``--portal-url``), else ``CHISO_PORTAL_URL``, else the portal's own."""
    return given or os.environ.get(ENV_PORTAL) or DEFAULT_URL


class PortalBlocked(ChisoError):
    """The run stopped: the portal refused, misbehaved or could not be reached. Nothing was stored."""


ENDPOINT_VI = {  # what a ward chair calls each of the six evaluation groups the portal answers
    "transparency": "Công khai, minh bạch",
    "handling-satisfaction": "Mức độ hài lòng",
    "dossier-digitized": "Số hóa hồ sơ",
    "dvc-progress-tree": "Tiến độ giải quyết",
    "provide-online-tree": "Dịch vụ công trực tuyến",
    "formality-online-payment-tree": "Thanh toán trực tuyến",
}


def endpoint_vi(endpoint: str) -> str:
    """«Số hóa hồ sơ «dossier-digitized»»: the user's words, and the endpoint an administrator looks up."""
    return f"{ENDPOINT_VI.get(endpoint, 'nhóm')} «{endpoint}»"


def blocked(endpoint: str, reason: str) -> PortalBlocked:
    return PortalBlocked(f"Dừng tải từ Cổng DVCQG ở nhóm {endpoint_vi(endpoint)}: {reason} Chưa lưu gì; bộ số liệu "
                         "đã kiểm chứng trước đó (nếu có) vẫn giữ nguyên.")


class PortalClient:
    """POSTs to the six endpoints, strictly one at a time, ``delay`` seconds (±25 %) apart."""

    def __init__(self, base_url: str = DEFAULT_URL, delay: float = 2.0, timeout: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.delay, self.sleep = max(0.0, delay), sleep
        self._http = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=False,
                                  trust_env=True)
        self._one_at_a_time = threading.Lock()
        self._sent = 0
        self._failures = 0  # transient failures in a row

    def close(self) -> None:
        self._http.close()

    def post(self, endpoint: str, page: int, body: dict[str, object]) -> Evidence:
        """The response to ``body``, or PortalBlocked; transient failures are retried until the breaker opens."""
        with self._one_at_a_time:  # never two requests at once, even if called from two threads
            while True:
                # a retry waits longer (never hammered, even with --delay 0): 10 s, then 20 s by default
                self._pause(max(self.delay, RETRY_PAUSE_S) * 2 ** self._failures if self._failures else self.delay)
                try:
                    fetched = self._send(endpoint, page, body)
                except _Transient as t:
                    self._failures += 1
                    if self._failures >= BREAKER:
                        raise blocked(endpoint, f"{t.reason} {BREAKER} lần liên tiếp; ngắt mạch, không thử lại nữa. "
                                      "Hãy chạy lại sau (ví dụ ngày mai)." + (" " + MANUAL_ROUTE if t.network else "")) from None
                    continue
                self._failures = 0
                return fetched

    def _pause(self, seconds: float) -> None:
        if self._sent and seconds > 0:
            self.sleep(seconds * random.uniform(0.75, 1.25))  # jitter: no fixed rhythm hitting the portal
        self._sent += 1

    def _send(self, endpoint: str, page: int, body: dict[str, object]) -> Evidence:
        url = f"{self.base_url}{PATH}{endpoint}"
        sent = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        at = datetime.now(timezone.utc)
        try:
            with self._http.stream("POST", url, content=sent.encode("utf-8"),
                                   headers={"Content-Type": "application/json", "Accept": "application/json"}) as r:
                _check_status(endpoint, r)
                content = _read_bounded(endpoint, r)
        except httpx.TimeoutException as exc:
            if isinstance(exc, httpx.ConnectTimeout):
                raise _unreachable(endpoint, url, "hết thời gian chờ khi mở kết nối") from None
            raise _Transient("Cổng DVCQG không trả lời trong thời hạn chờ", network=True) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise _Transient("kết nối bị ngắt giữa chừng", network=True) from None
        except (httpx.ConnectError, httpx.ProxyError) as exc:
            raise _unreachable(endpoint, url, _reason(exc)) from None
        except httpx.HTTPError as exc:  # an invalid URL, an unsupported scheme
            raise blocked(endpoint, f"không gửi được yêu cầu tới «{url}» ({type(exc).__name__}).") from None
        _check_not_html(endpoint, content)
        return Evidence(endpoint, page, url, sent, at, r.status_code, content)


class _Transient(Exception):
    def __init__(self, reason: str, network: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.network = reason, network


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "reset" in text:
        return "kết nối bị đặt lại (reset)"
    if "refused" in text:
        return "kết nối bị từ chối"
    if "name or service" in text or "nodename" in text or "resolution" in text:
        return "không phân giải được tên miền"
    return "không mở được kết nối"


def _unreachable(endpoint: str, url: str, reason: str) -> PortalBlocked:
    return blocked(endpoint, f"không kết nối được tới {url} ({reason}). Mạng của cơ quan có thể không ra được "
                   "Internet hoặc bị Cổng từ chối kết nối (đã gặp: kết nối bị đặt lại sau khoảng 19 giây). "
                   + MANUAL_ROUTE)


def _check_status(endpoint: str, r: httpx.Response) -> None:
    code = r.status_code
    if code in (200, 201):
        return
    if code == 429:
        raise blocked(endpoint, "Cổng báo gửi quá nhiều yêu cầu (HTTP 429). Dừng ngay, không thử lại; hãy chạy lại "
                      "sau vài giờ hoặc ngày mai.")
    if code == 403:
        raise blocked(endpoint, "Cổng từ chối truy cập (HTTP 403), có thể do tường lửa. Dừng ngay, không thử lại; "
                      "không đổi địa chỉ hay danh tính để vượt qua. " + MANUAL_ROUTE)
    if code >= 500:
        raise _Transient(f"Cổng DVCQG lỗi máy chủ (HTTP {code})")
    raise blocked(endpoint, f"Cổng không chấp nhận yêu cầu (HTTP {code}); có thể Cổng đã đổi cách hỏi số liệu.")


def _read_bounded(endpoint: str, r: httpx.Response) -> bytes:
    """The body, refused past the JSON size limit while it streams in (a runaway answer never fills memory)."""
    chunks, size = [], 0
    for chunk in r.iter_bytes():
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            raise blocked(endpoint, f"phản hồi lớn hơn {MAX_JSON_BYTES // (1024 * 1024)} MB, không giống số liệu đánh giá.")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_not_html(endpoint: str, content: bytes) -> None:
    head = content[:2048].lstrip().lower()
    if b"request rejected" in content[:8192].lower():
        raise blocked(endpoint, "tường lửa của Cổng chặn yêu cầu (trang «Request Rejected»). Dừng ngay, không thử "
                      "lại. " + MANUAL_ROUTE)
    if head.startswith(b"<"):
        raise blocked(endpoint, "Cổng trả về một trang HTML thay vì dữ liệu JSON (có thể là trang chặn hoặc "
                      "bảo trì). Dừng ngay, không thử lại.")
