"""Loading unit data once per (source, rulebook, period), the shared sidebar, and the session contract.

Session-state contract between pages (keys of ``st.session_state``):

- ``"unit_code"`` (str): the unit the user is looking at; every page reads and writes it
  (Tổng quan sets it when a row is clicked, Đơn vị / Mô phỏng / Lập kế hoạch pick from it).
- ``"pending_scenario"`` (chiso.scenario.Scenario): a scenario to open in the simulator. Any page
  may set it and then call ``st.switch_page("pages/simulate.py")``; the simulator applies it on its
  next run (unit, lever values clamped to what is possible, name), removes the key and says so.
  Its ``rulebook`` must be the one selected in the sidebar, else it is refused with a message.
  Use ``send_to_simulator(scenario)`` to do both steps. Uploads and shared links go the same way.
- ``"scenarios"`` (dict[str, Scenario]): scenarios saved in this session, by name.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from chiso.calibration import baseline, discrepancy, published_total
from chiso.cohort import competition_rank, stats_by_cohort
from chiso.engine import Scores, input_matrix, level_index
from chiso.edits import apply_revisions
from chiso.errors import ChisoError
from chiso.io.columns import mapping_targets
from chiso.io.limits import MAX_JSON_BYTES, MAX_TABLE_BYTES, check_file_size
from chiso.notes import REFERENCE_VI as REFERENCE_NOTE, SYNTHETIC_VI as SYNTHETIC_NOTE
from chiso.reasons import TableNote
from chiso.rulebook import DEFAULT_RULEBOOK, LEVEL_NAMES_VI, LEVELS, Rulebook, available_rulebooks, load_rulebook
from chiso.samples import available_samples, load_sample, sample
from chiso.scenario import Scenario, scenario_from_query
from chiso.units import UnitTable
from chiso.workspace import database_url
from ui import edits_store
from ui.signin import require as require_sign_in
from ui.datasets import dataset_id, label_of, read_table, save_upload_button, stored_info, stored_sources

from ui.fit import FIT_CSS
from ui.html_table import TABLE_CSS
from ui.projector import projector_toggle, projector_view
from ui.routing import enter_through_app
from ui.safe_md import md
from ui.upload_help import upload_help

UPLOAD = "__upload__"
LAST = "__last__"

UNIT_KEY = "unit_code"
PENDING_SCENARIO = "pending_scenario"
SCENARIOS = "scenarios"
COLUMN_MAP = "column_map"  # dict[str, str]: the user's meaning for unrecognised columns of the upload
SIMULATE_PAGE = "pages/simulate.py"
UNIT_PAGE = "pages/unit.py"
SOURCE, RULEBOOK, PERIOD = "data_source", "rulebook_choice", "period_choice"  # sidebar choices
_LINK_SEEN, _LINK_PARAMS = "_link_seen", "_link_params"


@dataclass(frozen=True)
class AppData:
    """The loaded data and its read-only baseline under one rulebook, with cohort ranks."""

    table: UnitTable
    rb: Rulebook
    base: Scores
    x: np.ndarray  # (N, inputs) counts with fallbacks applied
    source_label: str
    source_key: str = ""  # sample key, "" for uploads (links can reopen samples only)
    level_idx: np.ndarray | None = None  # (N,) LEVELS index = cohort
    rank: np.ndarray | None = None  # (N,) competition rank inside the cohort
    official: np.ndarray | None = None  # (N,) published total, NaN when absent
    gap: np.ndarray | None = None  # (N,) recomputed − official
    edit_key: str = ""  # where hand revisions of this source are kept (ui.edits_store), set by _load
    store_key: str = ""  # "sample:<key>" / "dataset:<id>": where scenarios and plans are kept; "" for uploads
    file_names: tuple[str, ...] = ()  # uploaded files, named in shared links

    @property
    def frame(self):
        return self.table.frame

    @property
    def codes(self) -> np.ndarray:
        return self.base.codes

    @property
    def names(self) -> np.ndarray:
        return self.frame["unit_name"].astype(str).to_numpy(dtype=object)

    @property
    def period(self) -> str:
        p = self.table.periods
        return p[0] if len(p) == 1 else ", ".join(p)

    def index_of(self, code: str) -> int:
        return self.base.position(code)

    def level(self, i: int) -> str:
        return LEVELS[int(self.level_idx[i])]

    def cohort_totals(self, i: int, exclude_self: bool = False) -> np.ndarray:
        mask = self.level_idx == self.level_idx[i]
        if exclude_self:
            mask = mask.copy()
            mask[i] = False
        return self.base.total[mask]

    def cohort_stats(self):
        return stats_by_cohort(self.base.total, self.level_idx)


def _build(table: UnitTable, rb: Rulebook, label: str, key: str = "") -> AppData:
    base = baseline(table, rb)
    lvl = level_index(table.frame["level"])
    return AppData(
        table,
        rb,
        base,
        input_matrix(table.frame, rb),
        label,
        key,
        lvl,
        competition_rank(base.total, lvl),
        published_total(table.frame),
        discrepancy(base, table.frame),
    )


@st.cache_resource(show_spinner="Đang đọc dữ liệu mẫu…", max_entries=8)
def _sample_data(key: str, rulebook_id: str, period: str | None) -> AppData:
    s = sample(key)
    rb = load_rulebook(rulebook_id)
    table = load_sample(s, rb)
    return _build(table.for_period(period), rb, s.label_vi, key)


def warm_samples() -> None:
    """Score every bundled sample into the process-wide cache before the server accepts anyone (ui/serve.py),
    so that the first visitor of a freshly started server waits no longer than the next ones."""
    for s in available_samples():
        periods = _sample_data(s.key, s.rulebook, None).table.periods
        for period in periods if len(periods) > 1 else ():  # the sidebar then asks for one period
            _sample_data(s.key, s.rulebook, period)


@st.cache_resource(show_spinner="Đang đọc tệp…", max_entries=4)
def _upload_data(
    files: tuple[tuple[str, bytes], ...],
    rulebook_id: str,
    period: str | None,
    column_map: tuple[tuple[str, str], ...] = (),
) -> AppData:
    from chiso.io.upload import load_uploaded

    rb = load_rulebook(rulebook_id)
    table = load_uploaded(list(files), rb, column_map=dict(column_map) or None)
    names = tuple(n for n, _ in files)
    return replace(_build(table.for_period(period), rb, f"Tệp tải lên: {', '.join(names)}"), file_names=names)


def _consume_link() -> None:
    """A shared link (?src=…&rb=…&period=…&unit=…&lv=…) is read once, on the session's first run;
    ``?src=<sample>`` alone opens the app on that sample."""
    ss = st.session_state
    if ss.get(_LINK_SEEN):
        return
    ss[_LINK_SEEN] = True
    params = st.query_params.to_dict()
    if params.get("unit"):
        ss[_LINK_PARAMS] = params  # a scenario link: applied by the simulator once the data is loaded
    if params.get("src") in {s.key for s in available_samples()}:
        ss[SOURCE] = ss["_last_source"] = params["src"]
    if params.get("rb") in available_rulebooks():
        ss[RULEBOOK] = params["rb"]


def remembered(key: str, options: list | None = None, default=None, shadow: str | None = None):
    """Give the widget ``key`` back its last value, kept in a ``shadow`` entry of the session state (by
    default a private one): Streamlit forgets a widget's state after a run that does not draw it (a closed
    lazy tab, another page). ``options``: the values the widget accepts (None: any, e.g. a typed answer).
    Call before drawing the widget; returns the ``on_change`` that keeps the shadow up to date."""
    ss = st.session_state
    shadow = shadow or f"_kept_{key}"
    value = ss.get(shadow, ss.get(key, default))
    if options is not None and value not in options:
        value = default if default in options else options[0]
    if value is not None:
        ss[key] = ss[shadow] = value
    return lambda: ss.__setitem__(shadow, ss[key])


def _bound_selectbox(where, label: str, options: list, state_key: str, **kw):
    """A selectbox whose value lives in ``state_key``, where the rest of the app reads it: survives page
    switches (widget ids are per page)."""
    widget_key = f"_w_{state_key}"
    return where.selectbox(label, options, key=widget_key,
                           on_change=remembered(widget_key, options, shadow=state_key), **kw)


# the importers' limits (chiso.io.limits), not Streamlit's own (set higher, so that the app refuses in Vietnamese)
UPLOAD_LIMIT_VI = (f"Tối đa {MAX_TABLE_BYTES // 2**20} MB mỗi tệp CSV/XLSX, "
                   f"{MAX_JSON_BYTES // 2**20} MB mỗi tệp JSON")
# Streamlit's file uploader has English texts and no option to change them: static CSS swaps them.
_VI_CSS = """<style>
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after
  {content: 'Chọn tệp'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: '%s'; font-size: 0.8rem;}
[data-testid='InputInstructions'] {display: none;}  /* «Press Enter to apply»: English; a value applies on leaving the box too */
</style>""" % UPLOAD_LIMIT_VI


def sidebar() -> AppData:
    """Draw the shared sidebar (data source, rulebook, period, notices) and return the loaded data."""
    enter_through_app()  # a shared link as a fresh server's first request: reroute through app.py
    require_sign_in()  # with accounts on, no data before signing in, even on a page run directly
    st.html(_VI_CSS + FIT_CSS + TABLE_CSS)
    _consume_link()
    ss = st.session_state
    sb = st.sidebar
    samples = available_samples()
    labels = {s.key: f"Mẫu: {_short_sample_label(s)}" for s in samples}  # short: the sidebar is narrow
    labels.update(stored_sources())  # uploads the user kept in the workspace database
    labels[UPLOAD] = "Tải tệp lên…"
    if "last_upload" in ss:
        labels[LAST] = "Tệp đã tải gần nhất"
    if ss.get(SOURCE) not in labels:
        ss[SOURCE] = next(iter(labels))
    source = _bound_selectbox(
        sb, "Nguồn dữ liệu", list(labels), SOURCE, format_func=labels.get,
        help="Dữ liệu mẫu đi kèm chương trình, hoặc tệp của đơn vị (JSON Cổng DVCQG, CSV, XLSX).",
    )
    files = _uploaded_files() if source == UPLOAD else None
    rulebooks = available_rulebooks()
    if ss.get("_last_source") != source:  # a newly chosen sample opens under the rulebook it was published with
        ss["_last_source"] = source
        if source in {s.key for s in samples} and RULEBOOK in ss:
            ss[RULEBOOK] = sample(source).rulebook
    pending = ss.get(PENDING_SCENARIO)
    if isinstance(pending, Scenario) and pending.rulebook in rulebooks:
        ss[RULEBOOK] = pending.rulebook  # a plan or upload names its rulebook: follow it
    if ss.get(RULEBOOK) not in rulebooks:
        is_sample = source in {s.key for s in samples}
        ss[RULEBOOK] = sample(source).rulebook if is_sample else DEFAULT_RULEBOOK
    rb_id = _bound_selectbox(sb, "Bộ quy tắc tính điểm (phiên bản)", rulebooks, RULEBOOK, format_func=rulebook_label)
    try:
        data = _load(source, rb_id, files, None)
        periods = data.table.periods
        if len(periods) > 1:
            link_period = ss.get(_LINK_PARAMS, {}).get("period")
            if link_period in periods:
                ss[PERIOD] = link_period
            if ss.get(PERIOD) not in periods:
                ss[PERIOD] = periods[-1]
            period = _bound_selectbox(sb, "Kỳ đánh giá", periods, PERIOD)
            data = _load(source, rb_id, files, period)
        elif periods:
            sb.caption(f"Kỳ đánh giá: {md(periods[0])}")
    except ChisoError as exc:
        st.error(md(exc))
        st.stop()
    if data.table.synthetic:
        sb.warning(SYNTHETIC_NOTE, icon="⚠️")
    _import_notes(data, bundled=source not in (UPLOAD, LAST))
    if data.table.rejected:
        sb.warning(f"{len(data.table.rejected)} dòng dữ liệu bị loại khi đọc tệp (xem trang Đơn vị).")
    projector_toggle()
    sb.caption(f"Nguồn: {md(data.source_label)}.  \nBộ quy tắc tính điểm (phiên bản): **{data.rb.id}** — "
               f"{data.rb.name_vi}.  \n{REFERENCE_NOTE}")
    if source in (UPLOAD, LAST):
        _column_mapping_form(data)
        _offer_to_store(source, files, rb_id)
    _link_to_pending(data)
    return data


def _short_sample_label(s) -> str:
    """«Phú Thọ, quý 2/2026 (giả lập)»: the place and period, and whether the data is synthetic."""
    short = s.label_vi.split(" (")[0]
    return f"{short} (giả lập)" if s.synthetic and "giả lập" not in short else short


def rulebook_label(rb_id: str) -> str:
    """«Cổng DVCQG hiện hành · 6 nhóm»: what the version is, short enough for the sidebar (the caption
    below the picker gives the full name and id)."""
    short = _short_rulebook_name(rb_id)
    twins = sum(_short_rulebook_name(r) == short for r in available_rulebooks())
    return f"{short} ({rb_id})" if twins > 1 else short  # two versions with one name: the id tells them apart


def _short_rulebook_name(rb_id: str) -> str:
    try:
        rb = load_rulebook(rb_id)
    except ChisoError:
        return rb_id
    return f"{rb.name_vi.split(' (')[0]} · {len(rb.groups)} nhóm"


def import_notes(data: AppData) -> list[str]:
    """The importer's notes worth showing: the synthetic-data note is already the sidebar's warning."""
    synthetic = data.table.synthetic
    return [m for m in data.table.warnings if not (synthetic and TableNote.of(m) is TableNote.SYNTHETIC)]


def _import_notes(data: AppData, bundled: bool) -> None:
    """One folded line instead of a stack of notes; open for uploads (the user's own file), folded for
    the bundled samples (known and documented). Hidden in the projector view."""
    notes = import_notes(data)
    if not notes or projector_view():
        return
    label = f"Ghi chú khi đọc {'dữ liệu mẫu' if bundled else 'tệp'} ({len(notes)})"
    with st.sidebar.expander(label, expanded=not bundled, icon=":material/info:"):
        st.markdown("\n".join(f"- {md(m)}" for m in notes))


def _link_to_pending(data: AppData) -> None:
    params = st.session_state.get(_LINK_PARAMS)
    if not params:
        return
    wanted = link_file_names(params)
    if wanted and not data.file_names:  # a link to uploaded data: wait for the recipient's upload
        st.info(f"Liên kết chia sẻ này dùng số liệu từ tệp «{md(wanted)}». Hãy chọn «Tải tệp lên…» ở thanh bên "
                "và tải đúng tệp đó: kịch bản sẽ mở ngay sau khi tải.", icon=":material/upload_file:")
        return
    st.session_state.pop(_LINK_PARAMS)
    params = {**params, "rb": params.get("rb") or data.rb.id}  # no rb in the link: the data's own rulebook
    try:
        sc = scenario_from_query(params, data.rb)
        data.index_of(sc.unit_code)
    except ChisoError as exc:
        where = f" Liên kết được tạo trên tệp «{md(wanted)}»." if wanted else ""
        st.error(f"Không mở được liên kết chia sẻ: {md(exc)}{where}")
        return
    st.session_state[PENDING_SCENARIO] = sc


def link_source(data: AppData) -> dict[str, str]:
    """The data part of a shared link: the sample's key, or the uploaded files' names (the recipient
    must load the same file: links never carry data)."""
    if data.source_key:
        return {"src": data.source_key}
    return {"file": "|".join(data.file_names)} if data.file_names else {}


def link_file_names(params: dict[str, str]) -> str:
    return ", ".join(n for n in str(params.get("file", "")).split("|") if n)


def _uploaded_files() -> tuple[tuple[str, bytes], ...]:
    files = st.sidebar.file_uploader(
        "Chọn tệp (JSON của Cổng DVCQG, CSV hoặc XLSX)",
        type=["json", "csv", "tsv", "txt", "xlsx"],
        accept_multiple_files=True,
        key="uploader",
        help=f"{UPLOAD_LIMIT_VI}; tệp lớn hơn cần chia nhỏ.",
    )
    try:  # by the size Streamlit received, before the bytes are copied out
        for f in files or ():
            check_file_size(f.name, f.size)
    except ChisoError as exc:
        st.error(md(exc))
        st.stop()
    if not files:
        last = st.session_state.get("last_upload")
        if last:  # the uploader forgets its files on a page switch: keep using the last ones
            st.sidebar.caption("Đang dùng tệp đã tải: " + md(", ".join(n for n, _ in last)))
            return last
        upload_help(st.session_state.get(RULEBOOK, DEFAULT_RULEBOOK))
        st.stop()
    packed = tuple((f.name, f.getvalue()) for f in files)
    if packed != st.session_state.get("last_upload"):
        st.session_state.pop(COLUMN_MAP, None)  # a new file starts with no column mapping
    st.session_state["last_upload"] = packed
    return packed


def _offer_to_store(source: str, files, rb_id: str) -> None:
    files = files if source == UPLOAD else st.session_state["last_upload"]
    cmap = tuple(sorted(st.session_state.get(COLUMN_MAP, {}).items()))

    def _open_stored(value: str) -> None:
        st.session_state[SOURCE] = value
        st.rerun()

    save_upload_button(files, _upload_data(files, rb_id, None, cmap).table, rb_id, _open_stored)


@st.cache_resource(show_spinner="Đang tính điểm bộ số liệu đã lưu…", max_entries=8)
def _stored_data(dataset: int, rulebook_id: str, imported_at: str, url: str, label: str) -> AppData:
    table = read_table(dataset, imported_at, url)
    return _build(table, load_rulebook(rulebook_id), label)


def _load(source: str, rb_id: str, files, period: str | None) -> AppData:
    cmap = tuple(sorted(st.session_state.get(COLUMN_MAP, {}).items()))
    version = ""  # which stored version of a dataset: a restored or new one is other data under the same key
    if source in (UPLOAD, LAST):
        files = files if source == UPLOAD else st.session_state["last_upload"]
        data, key = _upload_data(files, rb_id, period, cmap), edits_store.upload_key(files)
    elif (ds := dataset_id(source)) is not None:
        info, key = stored_info(ds), f"dataset:{ds}"
        version = info.imported_at.isoformat()
        data = _stored_data(ds, rb_id, version, database_url(), label_of(info))
        data = replace(data, store_key=key)
    else:
        data, key = _sample_data(source, rb_id, period), edits_store.sample_key(source)
        data = replace(data, store_key=key)
    if period is not None:  # a source with several periods: revisions are kept per period (units repeat)
        key = f"{key}@{period}"
    revs = edits_store.current(key, rb_id)
    if not revs.items:
        return replace(data, edit_key=key)
    return _with_revisions(data, (key, rb_id, period, cmap, version, database_url()), revs.stamp, revs.items)


@st.cache_resource(show_spinner=False, max_entries=8)
def _with_revisions(_data: AppData, ident: tuple, stamp: tuple, _revs: list) -> AppData:
    """The imported data with the hand revisions of its source applied, re-scored (cached by the revisions'
    stamp, which changes with every save and undo: hashing 11.514 revisions on every rerun cost more)."""
    table = apply_revisions(_data.table, _data.rb, _revs)
    return replace(_build(table, _data.rb, _data.source_label, _data.source_key), edit_key=ident[0],
                   store_key=_data.store_key, file_names=_data.file_names)


def _column_mapping_form(data: AppData) -> None:
    """Let the user say what the columns the importer did not recognise mean, instead of failing.
    The panel stays (folded) once every column is mapped, so a choice can be reviewed and changed."""
    unmapped = data.table.unmapped_columns
    chosen = st.session_state.get(COLUMN_MAP, {})
    headers = list(dict.fromkeys([*unmapped, *chosen]))
    if not headers:
        return
    targets = mapping_targets(data.rb)
    options = list(targets)
    label = f"Gán cột chưa nhận ra ({len(unmapped)})" if unmapped else f"Cách gán cột đã chọn ({len(chosen)})"
    with st.sidebar.expander(label, expanded=bool(unmapped)):
        with st.form("column_map_form", border=False):
            choice = {
                header: st.selectbox(
                    md(header), options, format_func=targets.get, key=f"map_{zlib.crc32(header.encode())}",
                    index=options.index(chosen[header]) if chosen.get(header) in targets else 0,
                    help="Chọn số liệu mà cột này chứa, hoặc «Bỏ qua cột này».",
                )
                for header in headers
            }
            if st.form_submit_button("Áp dụng cách gán cột"):
                st.session_state[COLUMN_MAP] = {**chosen, **choice}
                st.rerun()


def rulebook_caption(data: AppData) -> None:
    """The rulebook version, named on every screen."""
    synthetic = f" {SYNTHETIC_NOTE}" if data.table.synthetic else ""
    st.caption(
        f"Bộ quy tắc tính điểm (phiên bản): **{data.rb.id}** — {data.rb.name_vi}. "
        f"Nguồn: {md(data.source_label)}.{synthetic}"
    )


def unit_label(data: AppData, i: int) -> str:
    return f"{data.names[i]} ({data.codes[i]})"


def selected_unit(data: AppData) -> int:
    """Index of the unit in ``unit_code`` (the first unit when none or unknown)."""
    code = st.session_state.get(UNIT_KEY)
    hits = np.flatnonzero(data.codes == code) if code is not None else []
    return int(hits[0]) if len(hits) else 0


def unit_picker(data: AppData, key: str) -> int:
    """A searchable unit selectbox bound to the shared ``unit_code``; returns the unit's index."""
    i = selected_unit(data)
    codes = list(data.codes)
    names = dict(zip(codes, data.names))
    levels = dict(zip(codes, (LEVEL_NAMES_VI[LEVELS[j]] for j in data.level_idx)))
    st.session_state[key] = codes[i]

    def _changed() -> None:
        st.session_state[UNIT_KEY] = st.session_state[key]

    st.selectbox(
        "Đơn vị",
        codes,
        format_func=lambda c: f"{names[c]} — {levels[c]} ({c})",
        key=key,
        on_change=_changed,
        help="Gõ để tìm theo tên hoặc mã đơn vị.",
    )
    st.session_state[UNIT_KEY] = st.session_state[key]
    return selected_unit(data)


def send_to_simulator(scenario: Scenario) -> None:
    """Hand a scenario (e.g. a plan) to the simulator and open it."""
    st.session_state[PENDING_SCENARIO] = scenario
    st.switch_page(SIMULATE_PAGE)


def saved_scenarios() -> dict[str, Scenario]:
    return st.session_state.setdefault(SCENARIOS, {})
