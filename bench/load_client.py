"""A protocol-level Streamlit client: one browser session spoken over ``/_stcore/stream`` with Streamlit's
own protobufs (``BackMsg`` out, ``ForwardMsg`` in), without a browser.

It does what the browser's websocket layer does and nothing of its rendering: it sends ``rerun_script``
(query string, page hash, widget states, the fragment a widget lives in) and reads the reply until the
run's ``script_finished``, remembering every widget the deltas announced (id, element, fragment) so a
caller can move a slider or press a button by its Streamlit key.

Widget states: the browser re-sends every widget value it holds (``createWidgetStatesMsg`` in
Streamlit 1.67's frontend bundle pushes all of ``widgetStates``); this client sends only the widgets it
changes. The server keeps the previous value of any widget absent from the message
(``SessionState.__getitem__`` falls back to ``_old_state``), and callbacks fire only for changed values,
so both produce the same run — ``bench_load`` checks it on every move (the slider label must show the
count that was sent).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# a run stopped by st.rerun() is followed by the next run in the same reply: keep reading
_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR



def url_path(page: str) -> str:
    """A page's URL path: Tổng quan is the default page, served at the root ("/overview" is «Page not found»)."""
    return "" if page == "overview" else page

class RunError(Exception):
    """A run that failed in a way a user would see (or would wait forever for): the reason is the message."""


@dataclass
class Widget:
    kind: str  # the Element oneof: "slider", "button", "text_input", …
    proto: object  # the element's own message (Slider, Button, …)
    fragment_id: str  # the @st.fragment it was drawn in ("" outside fragments)
    seen: int = 0  # message counter when last drawn: the newest id of a key wins


@dataclass
class Reply:
    """What one rerun sent back."""

    seconds: float
    messages: int = 0
    nbytes: int = 0
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body)
    texts: list[str] = field(default_factory=list)  # markdown / headings / captions, for checks
    exceptions: list[str] = field(default_factory=list)


class Session:
    """One simulated browser tab. ``await Session.open(url)``, then ``rerun(...)`` as often as wanted."""

    def __init__(self, ws, timeout: float) -> None:
        self._ws = ws
        self.timeout = timeout
        self.widgets: dict[str, Widget] = {}  # widget id → widget, from every delta seen
        self.pages: dict[str, str] = {}  # url_pathname → page_script_hash
        self.page_hash = ""  # the page the last full run executed
        self._seen = 0

    @classmethod
    async def open(cls, url: str, timeout: float = 20.0) -> Session:
        ws_url = url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        ws = await asyncio.wait_for(
            websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout),
            timeout)
        return cls(ws, timeout)

    async def close(self) -> None:
        await self._ws.close()

    async def rerun(self, *, page: str | None = None, query: str = "", widgets: Sequence[WidgetState] = (),
                    fragment_id: str = "", timeout: float | None = None) -> Reply:
        """Send one rerun_script (``page`` is a url path such as "simulate"; None = stay) and wait for its end."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        if page is not None:
            cs.page_name = url_path(page)
            cs.page_script_hash = self.pages.get(url_path(page), "")
        else:
            cs.page_script_hash = self.page_hash
        cs.widget_states.widgets.extend(widgets)
        cs.fragment_id = fragment_id
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        reply = Reply(0.0)
        try:
            await asyncio.wait_for(self._read_until_finished(reply), timeout or self.timeout)
        except asyncio.TimeoutError:
            raise RunError(f"no script_finished within {timeout or self.timeout:.0f} s") from None
        except websockets.ConnectionClosed as exc:
            raise RunError(f"websocket closed ({exc.rcvd.code if exc.rcvd else 'no close frame'})") from None
        reply.seconds = time.perf_counter() - t0
        if reply.exceptions:
            raise RunError("exception element: " + reply.exceptions[0][:200])
        return reply

    async def _read_until_finished(self, reply: Reply) -> None:
        while True:
            raw = await self._ws.recv()
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            reply.messages += 1
            reply.nbytes += len(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                self._delta(fm, reply)
            elif kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash
                self._pages(fm.new_session.app_pages)
            elif kind == "navigation":
                self._pages(fm.navigation.app_pages)
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "session_event" and fm.session_event.HasField("script_compilation_exception"):
                reply.exceptions.append(fm.session_event.script_compilation_exception.message)
            elif kind == "script_finished":
                if fm.script_finished == _COMPILE_ERROR:
                    reply.exceptions.append("script compile error")
                if fm.script_finished != _EARLY:
                    return

    def _pages(self, app_pages) -> None:
        for p in app_pages:
            self.pages[p.url_pathname] = p.page_script_hash

    def _delta(self, fm: ForwardMsg, reply: Reply) -> None:
        if fm.delta.WhichOneof("type") != "new_element":
            return
        el = fm.delta.new_element
        kind = el.WhichOneof("type")
        if kind is None:
            return
        sub = getattr(el, kind)
        if kind == "exception":
            reply.exceptions.append(f"{sub.type}: {sub.message}")
        elif kind == "alert":
            reply.alerts.append((sub.format, sub.body))
        elif kind in ("markdown", "heading"):
            reply.texts.append(sub.body)
        elif kind == "progress":
            reply.texts.append(sub.text)
        wid = getattr(sub, "id", "")
        if wid and isinstance(wid, str):
            self._seen += 1
            self.widgets[wid] = Widget(kind, sub, fm.delta.fragment_id, self._seen)

    def widget(self, key: str, kind: str | None = None) -> tuple[str, Widget]:
        """The widget drawn with Streamlit key ``key`` (ids end with ``-<key>``); RunError when absent."""
        hits = [(w.seen, wid) for wid, w in self.widgets.items()
                if wid.endswith(f"-{key}") and (kind is None or w.kind == kind)]
        if not hits:
            raise RunError(f"widget «{key}» not found in the page's deltas")
        wid = max(hits)[1]
        return wid, self.widgets[wid]

    def forget_widgets(self) -> None:
        """Before a page switch: ids of the old page must not be mistaken for the new page's."""
        self.widgets.clear()


def slider_state(wid: str, value: float) -> WidgetState:
    ws = WidgetState(id=wid)
    ws.double_array_value.data.append(float(value))
    return ws


def trigger_state(wid: str) -> WidgetState:
    return WidgetState(id=wid, trigger_value=True)


def text_state(wid: str, text: str) -> WidgetState:
    return WidgetState(id=wid, string_value=text)
