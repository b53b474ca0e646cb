"""Loading unit data once per (source, rulebook, period) and the shared sidebar."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from chiso.calibration import baseline
from chiso.engine import Scores, input_matrix
from chiso.errors import ChisoError
from chiso.rulebook import DEFAULT_RULEBOOK, Rulebook, available_rulebooks, load_rulebook
from chiso.samples import available_samples, load_sample, sample
from chiso.units import UnitTable

UPLOAD = "__upload__"
LAST = "__last__"
REFERENCE_NOTE = "Số liệu tham khảo, không thay thế số liệu chính thức trên Cổng DVCQG."
SYNTHETIC_NOTE = "Dữ liệu mô phỏng, không phải số liệu chính thức."


@dataclass(frozen=True)
class AppData:
    """The loaded data and its read-only baseline under one rulebook."""

    table: UnitTable
    rb: Rulebook
    base: Scores
    x: np.ndarray  # (N, inputs) counts with fallbacks applied
    source_label: str

    @property
    def frame(self):
        return self.table.frame

    def index_of(self, code: str) -> int:
        return self.base.position(code)


def _build(table: UnitTable, rb: Rulebook, label: str) -> AppData:
    return AppData(table, rb, baseline(table, rb), input_matrix(table.frame, rb), label)


@st.cache_resource(show_spinner="Đang đọc dữ liệu mẫu…", max_entries=8)
def _sample_data(key: str, rulebook_id: str, period: str | None) -> AppData:
    s = sample(key)
    rb = load_rulebook(rulebook_id)
    table = load_sample(s, rb)
    return _build(table.for_period(period), rb, s.label_vi)


@st.cache_resource(show_spinner="Đang đọc tệp…", max_entries=4)
def _upload_data(files: tuple[tuple[str, bytes], ...], rulebook_id: str, period: str | None) -> AppData:
    from chiso.io.upload import load_uploaded

    rb = load_rulebook(rulebook_id)
    table = load_uploaded(list(files), rb)
    names = ", ".join(n for n, _ in files)
    return _build(table.for_period(period), rb, f"Tệp tải lên: {names}")


def sidebar() -> AppData:
    """Draw the shared sidebar (data source, rulebook, period) and return the loaded data."""
    sb = st.sidebar
    samples = available_samples()
    labels = {s.key: f"Dữ liệu mẫu: {s.label_vi}" for s in samples}
    labels[UPLOAD] = "Tải tệp lên…"
    if "last_upload" in st.session_state:
        labels[LAST] = "Tệp đã tải gần nhất"
    source = sb.selectbox("Nguồn dữ liệu", list(labels), format_func=labels.get, key="data_source")
    files = _uploaded_files() if source == UPLOAD else None
    rulebooks = available_rulebooks()
    default_rb = sample(source).rulebook if source in {s.key for s in samples} else DEFAULT_RULEBOOK
    rb_id = sb.selectbox(
        "Bộ quy tắc tính điểm (phiên bản)",
        rulebooks,
        index=rulebooks.index(default_rb),
        format_func=lambda r: f"{r} — {load_rulebook(r).name_vi}",
        key="rulebook_choice",
    )
    try:
        data = _load(source, rb_id, files, None)
        periods = data.table.periods
        if len(periods) > 1:
            period = sb.selectbox("Kỳ đánh giá", periods, key="period_choice")
            data = _load(source, rb_id, files, period)
        elif periods:
            sb.caption(f"Kỳ đánh giá: {periods[0]}")
    except ChisoError as exc:
        st.error(str(exc))
        st.stop()
    if data.table.synthetic:
        sb.warning(SYNTHETIC_NOTE, icon="⚠️")
    for msg in data.table.warnings:
        sb.info(msg)
    sb.caption(f"Bộ quy tắc: **{data.rb.id}**. {REFERENCE_NOTE}")
    return data


def _uploaded_files() -> tuple[tuple[str, bytes], ...]:
    files = st.sidebar.file_uploader(
        "Chọn tệp (JSON của Cổng DVCQG, CSV hoặc XLSX)",
        type=["json", "csv", "tsv", "txt", "xlsx"],
        accept_multiple_files=True,
        key="uploader",
    )
    if not files:
        st.info("Hãy chọn tệp số liệu ở thanh bên để bắt đầu.")
        st.stop()
    packed = tuple((f.name, f.getvalue()) for f in files)
    st.session_state["last_upload"] = packed
    return packed


def _load(source: str, rb_id: str, files, period: str | None) -> AppData:
    if source == UPLOAD:
        return _upload_data(files, rb_id, period)
    if source == LAST:
        return _upload_data(st.session_state["last_upload"], rb_id, period)
    return _sample_data(source, rb_id, period)


def rulebook_caption(data: AppData) -> None:
    """The rulebook version, named on every screen."""
    st.caption(f"Bộ quy tắc tính điểm: **{data.rb.id}** — {data.rb.name_vi}. Nguồn: {data.source_label}.")
