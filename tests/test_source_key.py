"""chiso.source_key: the one place source keys are built and read (issue 23)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chiso.source_key import SourceKey
from chiso.workspace import dataset_key, sample_key


def test_the_text_written_in_the_database_is_unchanged():
    assert str(SourceKey.sample("tay-ninh")) == sample_key("tay-ninh") == "sample:tay-ninh"
    assert str(SourceKey.dataset(7)) == dataset_key(7) == "dataset:7"
    assert str(SourceKey.dataset(7).for_period("2026-Q3")) == "dataset:7@2026-Q3"
    assert str(SourceKey.upload((("a.csv", b"x"),))).startswith("upload:")


def test_same_files_same_key_other_bytes_other_key():
    a = SourceKey.upload((("a.csv", b"x"),))
    assert a == SourceKey.upload((("a.csv", b"x"),))
    assert a != SourceKey.upload((("a.csv", b"y"),)) and a != SourceKey.upload((("b.csv", b"x"),))


def test_parse_reads_back_and_refuses_what_is_not_a_key():
    key = SourceKey.parse("dataset:12@2026-Q2")
    assert key is not None and key.dataset_id == 12 and key.period == "2026-Q2" and key.sample_key is None
    assert SourceKey.parse("sample:phu-tho").sample_key == "phu-tho"
    for bad in ("", "dataset:", "dataset:x", "ds:3", "phu-tho", "file:a"):
        assert SourceKey.parse(bad) is None, bad
    assert not SourceKey.upload(()).kept_in_database and SourceKey.sample("x").kept_in_database


@given(st.sampled_from(["sample", "dataset", "upload"]), st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True),
       st.from_regex(r"(20[0-9]{2}-(Q[1-4]|[01][0-9]))?", fullmatch=True))
def test_round_trip(kind, ident, period):
    if kind == "dataset":
        ident = str(len(ident))
    key = SourceKey(kind, ident, period)
    assert SourceKey.parse(str(key)) == key
