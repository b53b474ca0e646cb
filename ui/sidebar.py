"""The shared sidebar: data source, rulebook, period, import notes and the upload's column mapping."""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.notes import REFERENCE_VI as REFERENCE_NOTE
from chiso.notes import SYNTHETIC_VI as SYNTHETIC_NOTE
from chiso.reasons import TableNote
from chiso.rulebook import DEFAULT_RULEBOOK, available_rulebooks, load_rulebook, rulebook_for_periods
from chiso.samples import available_samples, sample
from chiso.scenario import Scenario
from chiso.source_key import SourceKey
from ui import address, upload_panel
from ui.data_source import LAST, UPLOAD, AppData, load
from ui.datasets import stored_sources
from ui.fit import FIT_CSS
from ui.html_table import TABLE_CSS
from ui.projector import projector_toggle, projector_view
from ui.routing import enter_through_app
from ui.safe_md import md
from ui.session import (
    LAST_SOURCE, LAST_UPLOAD, PENDING_SCENARIO, PERIOD, RULEBOOK, SOURCE, bound_selectbox, unit_code,
)
from ui.signin import require as require_sign_in


_VI_CSS = """<style>
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after
  {content: 'Chọn tệp'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: '%s'; font-size: 0.8rem;}
[data-testid='InputInstructions'] {display: none;}  /* «Press Enter to apply»: English; a value applies on leaving the box too */
</style>""" % upload_panel.UPLOAD_LIMIT_VI


def sidebar() -> AppData:
    """Draw the shared sidebar (data source, rulebook, period, notices) and return the loaded data; the
    address bar is read first and then made to show what is open."""
    enter_through_app()  # a shared link as a fresh server's first request: reroute through app.py
    require_sign_in()  # with accounts on, no data before signing in, even on a page run directly
    st.html(_VI_CSS + FIT_CSS + TABLE_CSS)
    address.read()
    source = _source_picker()
    files = upload_panel.uploaded_files() if source == UPLOAD else None
    rb_id = _rulebook_picker(source, files)
    try:
        data = _period_picker(source, rb_id, files)
    except ChisoError as exc:
        st.error(md(exc))
        st.stop()
    _notices(data, source)
    if source in (UPLOAD, LAST):
        upload_panel.column_mapping_form(data)
        upload_panel.offer_to_store(source, files, rb_id)
    address.link_to_pending(data)
    code = unit_code()
    asked = address.opened("unit")
    if asked and asked not in set(data.codes) and not address.opened("lv"):
        st.warning(f"Không có đơn vị mã «{md(asked)}» trong dữ liệu đang mở: đang hiện đơn vị đầu tiên.",
                   icon=":material/link_off:")
    address.put_view(data, None if source in (UPLOAD, LAST) else source, code if code in set(data.codes) else None)
    return data


def _source_picker() -> str:
    ss = st.session_state
    labels = {s.key: f"Mẫu: {_short_sample_label(s)}" for s in available_samples()}  # short: the sidebar is narrow
    labels.update(stored_sources())  # uploads the user kept in the workspace database
    labels[UPLOAD] = "Tải tệp lên…"
    if LAST_UPLOAD in ss:
        labels[LAST] = "Tệp đã tải gần nhất"
    asked = address.opened("src")
    if asked is not None and asked not in labels:
        st.warning(f"Không có nguồn dữ liệu «{md(asked)}» trong địa chỉ này (bộ số liệu đã bị xóa, hoặc địa chỉ "
                   "bị sửa): đang mở nguồn đầu tiên.", icon=":material/link_off:")
    if ss.get(SOURCE) not in labels:
        ss[SOURCE] = next(iter(labels))
    return bound_selectbox(
        st.sidebar, "Nguồn dữ liệu", list(labels), SOURCE, format_func=labels.get,
        help="Dữ liệu mẫu đi kèm chương trình, hoặc tệp của đơn vị (JSON Cổng DVCQG, CSV, XLSX).",
    )


def _rulebook_picker(source: str, files) -> str:
    """A newly chosen source (or a new upload) opens under the rulebook of its period (a sample: the one it
    was published with); the user's choice stands until the source changes."""
    ss = st.session_state
    rulebooks = available_rulebooks()
    ident = source if files is None else str(SourceKey.upload(files))
    if ss.get(LAST_SOURCE) != ident:
        ss[LAST_SOURCE] = ident
        if RULEBOOK in ss:
            ss[RULEBOOK] = _rulebook_of(source, files)
    pending = ss.get(PENDING_SCENARIO)
    if isinstance(pending, Scenario) and pending.rulebook in rulebooks:
        ss[RULEBOOK] = pending.rulebook  # a plan or upload names its rulebook: follow it
    if ss.get(RULEBOOK) not in rulebooks:
        ss[RULEBOOK] = _rulebook_of(source, files)
    return bound_selectbox(st.sidebar, "Bộ quy tắc tính điểm (phiên bản)", rulebooks, RULEBOOK,
                           format_func=rulebook_label)


def _rulebook_of(source: str, files) -> str:
    """The rulebook in force in the source's period (chiso.rulebook.rulebook_for_periods): Tây Ninh 02/2023
    opens under qd766-2022, Phú Thọ 2026-Q3 under portal-2026. Periods under two versions, or data that does
    not load: the default (the sidebar then says what is wrong)."""
    if source in {s.key for s in available_samples()}:
        return sample(source).rulebook
    try:
        return rulebook_for_periods(list(load(source, DEFAULT_RULEBOOK, files, None).table.periods))
    except ChisoError:
        return DEFAULT_RULEBOOK


def _period_picker(source: str, rb_id: str, files) -> AppData:
    """The data of the chosen period: a file with several periods asks for one (the address's, if any)."""
    ss = st.session_state
    data = load(source, rb_id, files, None)
    periods = data.table.periods
    if len(periods) > 1:
        if address.opened("period") in periods:
            ss[PERIOD] = address.opened("period")
        if ss.get(PERIOD) not in periods:
            ss[PERIOD] = periods[-1]
        period = bound_selectbox(st.sidebar, "Kỳ đánh giá", periods, PERIOD)
        return load(source, rb_id, files, period)
    if periods:
        st.sidebar.caption(f"Kỳ đánh giá: {md(periods[0])}")
    return data


def _notices(data: AppData, source: str) -> None:
    sb = st.sidebar
    if data.table.synthetic:
        sb.warning(SYNTHETIC_NOTE, icon="⚠️")
    _import_notes(data, bundled=source not in (UPLOAD, LAST))
    if data.table.rejected:
        sb.warning(f"{len(data.table.rejected)} dòng dữ liệu bị loại khi đọc tệp (xem trang Đơn vị).")
    projector_toggle()
    sb.caption(f"Nguồn: {md(data.source_label)}.  \nBộ quy tắc tính điểm (phiên bản): **{data.rb.id}** — "
               f"{data.rb.name_vi}.  \n{REFERENCE_NOTE}")


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



def rulebook_caption(data: AppData) -> None:
    """The rulebook version, named on every screen."""
    synthetic = f" {SYNTHETIC_NOTE}" if data.table.synthetic else ""
    st.caption(
        f"Bộ quy tắc tính điểm (phiên bản): **{data.rb.id}** — {data.rb.name_vi}. "
        f"Nguồn: {md(data.source_label)}.{synthetic}"
    )
