"""The sidebar's upload: the file picker (refused over the importers' limits, in Vietnamese), the mapping of
columns the importer did not recognise, and keeping the upload in the workspace."""
from __future__ import annotations

import zlib

import streamlit as st

from chiso.errors import ChisoError
from chiso.io.columns import mapping_targets
from chiso.io.limits import check_file_size
from chiso.rulebook import DEFAULT_RULEBOOK
from ui.data_source import UPLOAD, AppData, upload_data
from ui.datasets import save_upload_button
from ui.safe_md import md
from ui.session import COLUMN_MAP, LAST_UPLOAD, RULEBOOK, SOURCE
from ui.upload_help import upload_help
from ui.vi_text import UPLOAD_LIMIT_VI

# the importers' limits (chiso.io.limits, written once in ui.vi_text), not Streamlit's own (set higher, so that the
# app refuses in Vietnamese)


def uploaded_files() -> tuple[tuple[str, bytes], ...]:
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
        last = st.session_state.get(LAST_UPLOAD)
        if last:  # the uploader forgets its files on a page switch: keep using the last ones
            st.sidebar.caption("Đang dùng tệp đã tải: " + md(", ".join(n for n, _ in last)))
            return last
        upload_help(st.session_state.get(RULEBOOK, DEFAULT_RULEBOOK))
        st.stop()
    packed = tuple((f.name, f.getvalue()) for f in files)
    if packed != st.session_state.get(LAST_UPLOAD):
        st.session_state.pop(COLUMN_MAP, None)  # a new file starts with no column mapping
    st.session_state[LAST_UPLOAD] = packed
    return packed


def offer_to_store(source: str, files, rb_id: str) -> None:
    files = files if source == UPLOAD else st.session_state[LAST_UPLOAD]
    cmap = tuple(sorted(st.session_state.get(COLUMN_MAP, {}).items()))

    def _open_stored(value: str) -> None:
        st.session_state[SOURCE] = value
        st.rerun()

    save_upload_button(files, upload_data(files, rb_id, None, cmap).table, rb_id, _open_stored)



def column_mapping_form(data: AppData) -> None:
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
