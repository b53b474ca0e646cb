"""The loaded, scored data of one (source, rulebook, period), with its read-only baseline and cohort ranks.

Loading is cached process-wide (``st.cache_resource``): every session looking at the same data shares one
copy. Hand revisions of a source (ui.edits_store) are applied on top and re-scored, cached by their stamp.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from chiso.calibration import baseline, discrepancy, published_total
from chiso.cohort import competition_rank, stats_by_cohort
from chiso.edits import apply_revisions
from chiso.engine import Scores, input_matrix, level_index
from chiso.rulebook import LEVELS, Rulebook, load_rulebook
from chiso.samples import available_samples, load_sample, sample
from chiso.units import UnitTable
from chiso.workspace import database_url
from ui import edits_store
from ui.datasets import dataset_id, label_of, read_table, stored_info
from ui.session import COLUMN_MAP, LAST_UPLOAD

UPLOAD = "__upload__"  # sidebar source values that are not a sample key or a stored dataset
LAST = "__last__"


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
    return replace(_build(table.for_period(period), rb, f"Tệp tải lên: {', '.join(names)}"), file_names=names)


@st.cache_resource(show_spinner="Đang tính điểm bộ số liệu đã lưu…", max_entries=8)
def _stored_data(dataset: int, rulebook_id: str, imported_at: str, url: str, label: str) -> AppData:
    table = read_table(dataset, imported_at, url)
    return _build(table, load_rulebook(rulebook_id), label)


def load(source: str, rb_id: str, files, period: str | None) -> AppData:
    cmap = tuple(sorted(st.session_state.get(COLUMN_MAP, {}).items()))
    version = ""  # which stored version of a dataset: a restored or new one is other data under the same key
    if source in (UPLOAD, LAST):
        files = files if source == UPLOAD else st.session_state[LAST_UPLOAD]
        data, key = upload_data(files, rb_id, period, cmap), edits_store.upload_key(files)
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
