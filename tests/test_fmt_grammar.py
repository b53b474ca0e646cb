"""One formatter and one parser (issue 23): what chiso.fmt prints reads back through the one grammar, the
importers' cell parser is that grammar, and the texts the old parsers let through are refused."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.fmt import fmt_delta, fmt_exact, fmt_int, fmt_number, fmt_percent, fmt_points, parse_vn_number
from chiso.io.cells import EMPTY_TOKENS, NumberError, parse_number

FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def test_no_negative_zero():
    assert fmt_points(-0.004) == "0,00"
    assert fmt_number(-0.004, 2) == "0"
    assert fmt_number(-0.0004, 3, trim=False) == "0,000"
    assert fmt_percent(-0.00001) == "0%"
    assert fmt_points(-0.005) == "-0,01" and fmt_points(-1234.5) == "-1.234,50"


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "1e3", "1E3", "1_000", "0x10", "٥٠",
                                  "５０", "1,234.5", "1.23.456", "1,2,3", "--1", "+-1", "%", "", " ", "1 %%"])
def test_the_grammar_refuses(text):
    with pytest.raises(ValueError):
        parse_vn_number(text)


@pytest.mark.parametrize(("text", "want"), [
    ("1.234,5", 1234.5), ("91,48", 91.48), ("91,48 %", 91.48), ("1234.5", 1234.5), ("1.234", 1234.0),
    ("−0,50", -0.5), ("− 2", -2.0), ("+1,93", 1.93), ("+ 1,70", 1.7), ("1\u00a0234,5", 1234.5), (",5", 0.5),
    ("12.345.678", 12345678.0), ("-0", 0.0),
])
def test_the_grammar_reads(text, want):
    assert parse_vn_number(text) == want


def test_a_point_file():
    assert parse_vn_number("1,234.5", decimal=".") == 1234.5
    assert parse_vn_number("74.6", decimal=".") == 74.6
    assert parse_vn_number("1.234", decimal=".") == 1.234


@settings(max_examples=300, deadline=None)
@given(FINITE, st.integers(0, 4), st.booleans())
def test_what_is_printed_reads_back(x, decimals, trim):
    assert parse_vn_number(fmt_number(x, decimals, trim)) == pytest.approx(round(x, decimals), abs=10 ** -decimals)
    assert parse_vn_number(fmt_points(x)) == float(fmt_points(x).replace(".", "").replace(",", "."))
    assert parse_vn_number(fmt_delta(x)) == pytest.approx(round(x, 2), abs=0.01)
    assert parse_vn_number(fmt_percent(x / 1e6)) == pytest.approx(round(x / 1e4, 2), abs=0.01)
    assert parse_vn_number(fmt_int(round(x))) == round(x)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_exact_text_reads_back_exactly(x):
    assert parse_vn_number(fmt_exact(x)) == x
    assert parse_vn_number(fmt_exact(x, "."), decimal=".") == x
    assert parse_number(fmt_exact(x)) == x


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789.,+-−% \u00a0e", max_size=12), st.sampled_from([",", "."]),
       st.booleans())
def test_the_cell_parser_is_the_grammar(text, decimal, percent):
    """``io.cells.parse_number`` adds only what a cell needs: empty tokens, and Vietnamese messages."""
    if text.strip().replace("\u2212", "-").replace("\u00a0", " ").strip().lower() in EMPTY_TOKENS:
        assert math.isnan(parse_number(text, decimal, percent))
        return
    try:
        want = parse_vn_number(text, decimal, percent)
    except ValueError:
        with pytest.raises(NumberError):
            parse_number(text, decimal, percent)
        return
    if not percent and text.strip().endswith("%"):  # a rate where a count is expected: said in words
        with pytest.raises(NumberError):
            parse_number(text, decimal, percent)
        return
    assert parse_number(text, decimal, percent) == want
