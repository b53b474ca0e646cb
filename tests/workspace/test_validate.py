"""Values a database column cannot hold are refused before the database, with one Vietnamese message on
every backend (PostgreSQL refused a code over 100 characters or a NUL in English; SQLite stored both)."""
from __future__ import annotations

import pytest

from chiso.errors import DataError
from chiso.identifiers import MAX_CODE_CHARS, MAX_NAME_CHARS
from chiso.io.tabular import load_tabular
from chiso.rulebook import load_rulebook
from chiso.workspace.models import Unit

RB = load_rulebook("portal-2026")
CSV = "Mã đơn vị;Tên đơn vị;Cấp;Kỳ;Tổng số hồ sơ tiếp nhận\nX1;Xã Một;Cấp xã;2026-Q3;10\nX2;Xã Hai;Cấp xã;2026-Q3;20\n"


def table_with(column: str, value: str):
    t = load_tabular("du-lieu.csv", CSV.encode(), RB)
    t.frame[column] = t.frame[column].astype(object)
    t.frame.loc[1, column] = value
    return t


CASES = [
    ("unit_code", "X" * 101, "«Mã đơn vị» của đơn vị thứ 2 (mã «XXXXXXXXXXXXXXXXXXXXXXXXXXXXX…») dài 101 ký tự, tối đa 100"),
    ("unit_name", "Xã\x00Hai", "«Tên đơn vị» của đơn vị thứ 2 (mã «X2») chứa ký tự ẩn hoặc ký tự điều khiển (U+0000)"),
    ("parent_code", "P" * 101, "«Mã đơn vị cấp trên» của đơn vị thứ 2 (mã «X2») dài 101 ký tự, tối đa 100"),
    ("level", "c" * 51, "«Cấp» của đơn vị thứ 2 (mã «X2») dài 51 ký tự, tối đa 50"),
    ("unit_code", "X\x00", "«Mã đơn vị» của đơn vị thứ 2 (mã «X�») chứa ký tự ẩn hoặc ký tự điều khiển (U+0000)"),
]


@pytest.mark.parametrize("column, value, message", CASES, ids=[f"{c}-{n}" for n, (c, _, _) in enumerate(CASES)])
def test_values_the_database_cannot_hold_are_refused_by_name(ws, column, value, message):
    with pytest.raises(DataError) as info:
        ws.import_table(table_with(column, value), "du-lieu.csv", "h", RB.id)
    assert info.value.message == f"Chưa lưu bộ số liệu: {message}."
    assert info.value.location.file == "du-lieu.csv"
    assert ws.datasets() == []


def test_source_and_count_names_are_bounded_too(ws):
    t = load_tabular("du-lieu.csv", CSV.encode(), RB)
    with pytest.raises(DataError, match="Chưa lưu bộ số liệu: «Nguồn» dài 501 ký tự, tối đa 500."):
        ws.import_table(t, "a" * 501, "h", RB.id)
    t.frame["k" * 201] = 1.0
    with pytest.raises(DataError, match="«Tên cột số liệu» «kkkkk.*» dài 201 ký tự, tối đa 200"):
        ws.import_table(t, "du-lieu.csv", "h", RB.id)
    assert ws.datasets() == []


def test_import_limits_are_the_workspace_columns():
    assert (MAX_CODE_CHARS, MAX_NAME_CHARS) == (Unit.unit_code.type.length, Unit.unit_name.type.length)
