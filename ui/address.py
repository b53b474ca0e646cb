"""The address bar holds the view: source, rulebook, period, unit and each page's main choice.

Every page writes what it shows into the query string (``put``), so F5, the back button and a copied address
reopen the same view; a shared scenario link is the simulator's case of the same thing. At the start of each
run, ``read`` compares the address with what this session last wrote there. Only a fresh session (F5, a copied
link) and a back/forward step open an address: its values become the session's choices. Any other difference is
a request the browser sent before our last change of the address reached it (a click while a run was ending),
or a page switch through the menu (which drops the query string): nothing is applied then, and the run writes
the view back.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from chiso.errors import ChisoError
from chiso.rulebook import available_rulebooks
from chiso.samples import available_samples
from chiso.scenario import Scenario, scenario_from_query, scenario_to_query
from ui.data_source import AppData
from ui.datasets import PREFIX as DATASET_PREFIX
from ui.routing import entered_through_legacy_pages
from ui.safe_md import md
from ui.session import LAST_SOURCE, PENDING_SCENARIO, RULEBOOK, SOURCE, UNIT_KEY, sim_state

VIEW_KEYS = ("src", "rb", "period", "unit")  # the shared view, on every page
SCENARIO_KEYS = ("name", "lv", "file")  # the simulator's scenario (chiso.scenario.scenario_to_query) and its data
PAGE_KEYS = ("data_tab", "guide_tab", "target", "rule")  # one main choice per page, written only when not the default
ALL_KEYS = VIEW_KEYS + SCENARIO_KEYS + PAGE_KEYS

_WRITTEN = "_address_written"  # our keys of the query string, as this session last wrote them
_OPENED = "_address_opened"
_PLANNED = "_address_planned"  # the keys this run wants in the address, written once by ``flush``  # the address opened in this run (empty when nothing changed outside the app)
LINK_PARAMS = "_link_params"  # a scenario link, applied by the simulator once the data is loaded
HISTORY_SCRIPT_URL = "/app/static/address.js"  # one history entry per visit through the menu (see the file)


def _ours(params: Mapping[str, str]) -> dict[str, str]:
    return {k: str(params[k]) for k in ALL_KEYS if k in params}


def read() -> None:
    """Take the address's values as the session's choices when it changed outside the app (called first by
    the sidebar, on every run of every page)."""
    ss = st.session_state
    ss[_PLANNED] = {}
    params = _ours(st.query_params.to_dict())
    if _WRITTEN in ss and (params == ss[_WRITTEN] or not _stepped_in_history()):
        ss[_OPENED] = {}  # applying a stale address would undo what the user just did (CI saw a typed name lost)
        return
    ss[_OPENED] = params
    ss[_WRITTEN] = params
    src = params.get("src")
    if src in {s.key for s in available_samples()} or (src or "").startswith(DATASET_PREFIX):
        if ss.get(SOURCE) != src and "rb" not in params:
            ss.pop(RULEBOOK, None)  # another source, no rulebook named: the source's own
        ss[SOURCE] = ss[LAST_SOURCE] = src
    if params.get("rb") in available_rulebooks():
        ss[RULEBOOK] = params["rb"]
    if params.get("unit"):
        ss[UNIT_KEY] = params["unit"]
    if params.get("unit") and any(k in params for k in SCENARIO_KEYS):
        ss[LINK_PARAMS] = params


def history_script() -> str:
    """The tag that loads static/address.js: a page opened through the menu writes its view over the bare
    address Streamlit pushed for it, so «back» leaves that page in one press."""
    return f'<script src="{HISTORY_SCRIPT_URL}"></script>'


def _stepped_in_history() -> bool:
    """This run answers a back/forward press (the browser's rerun request says so)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def opened(key: str) -> str | None:
    """The value of ``key`` in an address opened in this run (None when the address did not change)."""
    return st.session_state.get(_OPENED, {}).get(key)


def put(**values: str | None) -> None:
    """Plan these keys of the address (None removes one). The address changes once, at the end of the run
    (``flush``, called by app.py after the page): the browser adds a history entry for each change, so a
    run that wrote three keys one by one would take three presses of «back» to undo. A fragment's rerun
    (the simulator's levers) has no end of run in app.py: its keys go at once."""
    planned = st.session_state.setdefault(_PLANNED, {})
    planned.update(values)
    ctx = get_script_run_ctx()
    if (ctx is not None and ctx.fragment_ids_this_run) or entered_through_legacy_pages():
        flush()  # a page file run on its own (Streamlit's AppTest) has no app.py after it either


def flush() -> None:
    """Write the planned keys into the address bar, in one change, and only if something differs."""
    planned = st.session_state.get(_PLANNED) or {}
    now = st.query_params.to_dict()
    new = {k: v for k, v in {**now, **planned}.items() if v is not None}
    if new != now:
        st.query_params.from_dict(new)
    st.session_state[_WRITTEN] = _ours(new)
    st.session_state[_PLANNED] = {}


def put_view(data: AppData, source: str | None, code: str | None) -> None:
    """The shared view: source (None for an upload, which no address can reopen), rulebook, period, unit, and
    the simulator's levers while they belong to that unit."""
    put(src=source, rb=data.rb.id, period=data.period or None, unit=code, **_working_scenario(data, code))


def _working_scenario(data: AppData, code: str | None) -> dict[str, str | None]:
    sc = _scenario_of(data, code)
    q = scenario_to_query(sc) if sc is not None and sc.levers else {}
    return {"name": q.get("name"), "lv": q.get("lv")}


def _scenario_of(data: AppData, code: str | None) -> Scenario | None:
    """The levers for ``code``: the simulator's, or a scenario on its way there (a link opened on another
    page is applied when Mô phỏng opens; until then the address keeps it)."""
    ss = st.session_state
    pending, sim = ss.get(PENDING_SCENARIO), sim_state()
    if isinstance(pending, Scenario) and pending.unit_code == code and pending.rulebook == data.rb.id:
        return pending
    if sim is not None and code and sim.unit == code and sim.rb == data.rb.id:
        return sim.scenario(data.period)
    return None


def put_unit(data: AppData, code: str) -> None:
    """A unit picked on a page: the levers in the address go unless they are this unit's."""
    put(unit=code, **_working_scenario(data, code))


def replace_scenario(params: Mapping[str, str]) -> None:
    """The simulator's scenario: its keys replace the previous scenario's (a lever back at 0 leaves ``lv``)."""
    put(**{**{k: None for k in SCENARIO_KEYS}, **params})


def slug(label: str) -> str:
    """«Cả bảng» → «ca-bang»: a tab's name in the address, readable and without percent-escapes (an icon
    «:material/…:» is dropped)."""
    label = re.sub(r":material/\w+:", "", label)
    plain = unicodedata.normalize("NFKD", label.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in plain if c.isascii())
    return "-".join(ascii_only.lower().split())


def restore_choice(key: str, state_key: str, choices: Mapping[str, object]) -> None:
    """Before a page draws its main widget: an address just opened with ``key`` = one of ``choices`` (address
    value → widget value) sets the widget."""
    value = opened(key)
    if value in choices:
        st.session_state[state_key] = choices[value]


def restore_tab(key: str, state_key: str, labels: list[str]) -> None:
    """Before ``st.tabs(labels, key=state_key)``: open the tab an address just opened names."""
    restore_choice(key, state_key, {slug(label): label for label in labels})


def put_tab(key: str, state_key: str, labels: list[str]) -> None:
    """After ``st.tabs``: the open tab goes into the address (nothing for the first tab, the default: a page
    opened through the menu then leaves the address as it was, and «back» takes one press)."""
    put_choice(key, slug(st.session_state.get(state_key) or labels[0]), slug(labels[0]))


def put_choice(key: str, value: str, default: str) -> None:
    put(**{key: None if value == default else value})


def link_source(data: AppData) -> dict[str, str]:
    """The data part of a shared link: the sample's key, or the uploaded files' names (the recipient
    must load the same file: links never carry data)."""
    if data.source_key:
        return {"src": data.source_key}
    return {"file": "|".join(data.file_names)} if data.file_names else {}


def link_file_names(params: Mapping[str, str]) -> str:
    return ", ".join(n for n in str(params.get("file", "")).split("|") if n)


def link_to_pending(data: AppData) -> None:
    """A scenario link becomes the simulator's pending scenario once its data is open (an upload's link waits
    for the recipient to upload the named file)."""
    params = st.session_state.get(LINK_PARAMS)
    if not params:
        return
    wanted = link_file_names(params)
    if wanted and not data.file_names:
        st.info(f"Liên kết chia sẻ này dùng số liệu từ tệp «{md(wanted)}». Hãy chọn «Tải tệp lên…» ở thanh bên "
                "và tải đúng tệp đó: kịch bản sẽ mở ngay sau khi tải.", icon=":material/upload_file:")
        return
    st.session_state.pop(LINK_PARAMS)
    params = {**params, "rb": params.get("rb") or data.rb.id}  # no rb in the link: the data's own rulebook
    try:
        sc = scenario_from_query(params, data.rb)
        data.index_of(sc.unit_code)
    except ChisoError as exc:
        where = f" Liên kết được tạo trên tệp «{md(wanted)}»." if wanted else ""
        st.error(f"Không mở được liên kết chia sẻ: {md(exc)}{where}")
        return
    st.session_state[PENDING_SCENARIO] = sc
