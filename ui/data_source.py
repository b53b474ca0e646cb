"""The loaded, scored data of one (source, rulebook, period), with its read-only baseline and cohort ranks.

Loading is cached process-wide (``st.cache_resource``): every session looking at the same data shares one
copy. Hand revisions of a source (ui.edits_store) are applied on top and re-scored, cached by their stamp.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from chiso.edits import apply_revisions
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample, sample
from chiso.scored import ScoredData as AppData
from chiso.scored import score_table
from chiso.source_key import SourceKey
from chiso.workspace import database_url
from ui import edits_store
from ui.datasets import dataset_id, label_of, read_table, stored_info
from ui.session import COLUMN_MAP, LAST_UPLOAD

UPLOAD = "__upload__"  # sidebar source values that are not a sample key or a stored dataset
LAST = "__last__"


@st.cache_resource(show_spinner="Đang đọc dữ liệu mẫu…", max_entries=8)
def _sample_data(key: str, rulebook_id: str, period: str | None) -> AppData:
    s = sample(key)
    rb = load_rulebook(rulebook_id)
    table = load_sample(s, rb)
    return score_table(table.for_period(period), rb, s.label_vi, key)


def warm_samples() -> None:
    """Score every bundled sample into the process-wide cache before the server accepts anyone (ui/serve.py),
    so that the first visitor of a freshly started server waits no longer than the next ones."""
    for s in available_samples():
        periods = _sample_data(s.key, s.rulebook, None).table.periods
        for period in periods if len(periods) > 1 else ():  # the sidebar then asks for one period
            _sample_data(s.key, s.rulebook, period)


@st.cache_resource(show_spinner="Đang đọc tệp…", max_entries=4)
def upload_data(
    files: tuple[tuple[str, bytes], ...],
    rulebook_id: str,
    period: str | None,
    column_map: tuple[tuple[str, str], ...] = (),
) -> AppData:
    from chiso.io.upload import load_uploaded

    rb = load_rulebook(rulebook_id)
    table = load_uploaded(list(files), rb, column_map=dict(column_map) or None)
    names = tuple(n for n, _ in files)
    return replace(score_table(table.for_period(period), rb, f"Tệp tải lên: {', '.join(names)}"), file_names=names)


@st.cache_resource(show_spinner="Đang tính điểm bộ số liệu đã lưu…", max_entries=8)
def _stored_data(dataset: int, rulebook_id: str, imported_at: str, url: str, label: str) -> AppData:
    table = read_table(dataset, imported_at, url)
    return score_table(table, load_rulebook(rulebook_id), label)


def load(source: str, rb_id: str, files, period: str | None) -> AppData:
    cmap = tuple(sorted(st.session_state.get(COLUMN_MAP, {}).items()))
    version = ""  # which stored version of a dataset: a restored or new one is other data under the same key
    if source in (UPLOAD, LAST):
        files = files if source == UPLOAD else st.session_state[LAST_UPLOAD]
        data, key = upload_data(files, rb_id, period, cmap), SourceKey.upload(files)
    elif (ds := dataset_id(source)) is not None:
        info, key = stored_info(ds), SourceKey.dataset(ds)
        version = info.imported_at.isoformat()
        data = _stored_data(ds, rb_id, version, database_url(), label_of(info))
        data = replace(data, store_key=str(key))
    else:
        data, key = _sample_data(source, rb_id, period), SourceKey.sample(source)
        data = replace(data, store_key=str(key))
    # a source with several periods: revisions are kept per period (units repeat)
    key = str(key.for_period(period))
    revs = edits_store.current(key, rb_id)
    if not revs.items:
        return replace(data, edit_key=key)
    return _with_revisions(data, (key, rb_id, period, cmap, version, database_url()), revs.stamp, revs.items)


@st.cache_resource(show_spinner=False, max_entries=8)
def _with_revisions(_data: AppData, ident: tuple, stamp: tuple, _revs: list) -> AppData:
    """The imported data with the hand revisions of its source applied, re-scored (cached by the revisions'
    stamp, which changes with every save and undo: hashing 11.514 revisions on every rerun cost more)."""
    table = apply_revisions(_data.table, _data.rb, _revs)
    return replace(score_table(table, _data.rb, _data.source_label, _data.source_key), edit_key=ident[0],
                   store_key=_data.store_key, file_names=_data.file_names)
