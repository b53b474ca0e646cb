"""Share links the server can open, and a Vietnamese page for a request it cannot.

The server (uvicorn with h11, under Streamlit) refuses a request head — address plus headers — over h11's
16 KB with a bare English «400 Invalid HTTP request received.»; a reverse proxy such as nginx already stops
at 8 KB per request line. So the app makes no share link longer than ``MAX_LINK_CHARS``, and
``ui.serve`` answers a request too long (or malformed) with :func:`refusal_page` instead.
"""
from __future__ import annotations

import html

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from chiso.fmt import fmt_int

# nginx's default large_client_header_buffers is 8 KB a line; h11 takes 16 KB for the whole head
MAX_LINK_CHARS = 8_000


def link_too_long(link: str) -> str | None:
    """A Vietnamese note when ``link`` is longer than a server opens, else None."""
    if len(link) <= MAX_LINK_CHARS:
        return None
    return (f"Liên kết chia sẻ dài {fmt_int(len(link))} ký tự, quá giới hạn {fmt_int(MAX_LINK_CHARS)} ký tự mà máy chủ "
            "mở được, nên không tạo liên kết. Hãy đặt tên kịch bản ngắn hơn, hoặc gửi tệp kịch bản (thẻ «Tải lên / "
            "tải về» bên dưới).")


def refusal_page(too_long: bool) -> bytes:
    """The small Vietnamese HTML page sent instead of uvicorn's English one."""
    if too_long:
        title = "Liên kết quá dài"
        text = (f"Địa chỉ này dài hơn mức máy chủ nhận được. Liên kết chia sẻ của chiso dài tối đa "
                f"{fmt_int(MAX_LINK_CHARS)} ký tự: hãy nhờ người gửi tạo lại liên kết với tên kịch bản ngắn hơn, "
                "hoặc gửi tệp kịch bản (JSON).")
    else:
        title = "Yêu cầu không hợp lệ"
        text = "Máy chủ không đọc được yêu cầu này. Hãy mở lại ứng dụng từ địa chỉ gốc."
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>").encode("utf-8")


class VietnameseH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose refusal of a bad request is a Vietnamese page: 414 when the request head
    outgrew h11's buffer (a link too long), else 400."""

    def send_400_response(self, msg: str) -> None:
        # h11 keeps the unparsed head in its receive buffer (private, hence the fallback): past the limit,
        # the request was refused for its length
        pending = len(getattr(self.conn, "_receive_buffer", b""))
        too_long = pending > getattr(self.conn, "_max_incomplete_event_size", h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE)
        status = 414 if too_long else 400
        body = refusal_page(too_long)
        head = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"connection", b"close")]
        for event in (h11.Response(status_code=status, headers=head), h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
