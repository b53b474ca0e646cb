"""ui/serve.py: the bundled samples are scored into the pages' cache before the server starts, so the first
visitor of a fresh server does not pay for them (the time itself is measured by bench/bench_browser.py)."""
from __future__ import annotations

import pytest

import ui.state
from chiso.samples import available_samples
from ui.serve import warm


def test_warm_fills_the_cache_the_pages_read(monkeypatch: pytest.MonkeyPatch) -> None:
    warm()

    def must_not_load(*_args, **_kwargs):
        raise AssertionError("a sample was read again after the warm start")

    monkeypatch.setattr(ui.state, "load_sample", must_not_load)
    for s in available_samples():
        data = ui.state._sample_data(s.key, s.rulebook, None)  # what the sidebar calls for a sample
        assert data.source_key == s.key and len(data.table.frame) > 0
