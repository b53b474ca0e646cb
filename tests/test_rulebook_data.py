"""What Python used to know about lever and input keys by name now comes from the rulebook: the count
roles of the importer, the header words, the policy presets and the guide's example levers. Each test
renames keys in a copy of portal-2026 (or drops a table) and checks that the code follows the data."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from chiso.errors import RulebookError
from chiso.io.tabular import load_tabular
from chiso.rulebook import RULEBOOK_DIR, load_rulebook

PORTAL = (RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "custom.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_rulebook(str(path))


def rename(text: str, old: str, new: str) -> str:
    """Rename a key everywhere it is quoted (inputs, numerators, levers, roles, rules)."""
    return text.replace(f'"{old}"', f'"{new}"')


def drop_table(text: str, header: str) -> str:
    """Remove a [table] (up to the next comment or table) from a rulebook's text."""
    return re.sub(rf"^\[{re.escape(header)}\]\n(?:[^#\[\n].*\n)*", "", text, count=1, flags=re.M)


# ---------------------------------------------------------------- count roles ([counts])

REPORT = ("Tên đơn vị;Cấp;Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ;Số hồ sơ xử lý quá hạn\n"
          "Xã A;Cấp xã;40;3\nXã B;Cấp xã;10;0\n").encode("utf-8")


def test_on_time_dossiers_come_from_the_roles_the_rulebook_names(tmp_path: Path) -> None:
    text = rename(rename(PORTAL, "dossiers_received", "hs_tiep_nhan"), "dossiers_on_time", "hs_dung_han")
    rb = write(tmp_path, text)
    assert (rb.counts.received, rb.counts.on_time) == ("hs_tiep_nhan", "hs_dung_han")
    f = load_tabular("bao-cao.csv", REPORT, rb).frame
    np.testing.assert_array_equal(f["hs_dung_han"], [37, 10])


def test_without_count_roles_an_overdue_column_is_set_aside_with_a_warning(tmp_path: Path) -> None:
    rb = write(tmp_path, drop_table(PORTAL, "counts"))
    assert rb.counts is None
    table = load_tabular("bao-cao.csv", REPORT, rb)
    assert table.frame["dossiers_on_time"].isna().all()
    assert any("không khai báo tổng số hồ sơ và số hồ sơ đúng hạn ([counts])" in w for w in table.warnings)


@pytest.mark.parametrize("replacement, message", [
    ("", "[counts]: thiếu trường «on_time»"),
    ('on_time = "dossiers_on_time"\non_tme = "x"', "[counts]: khóa «on_tme» không có trong bộ quy tắc"),
])
def test_broken_count_roles_are_refused(tmp_path: Path, replacement: str, message: str) -> None:
    with pytest.raises(RulebookError) as info:
        write(tmp_path, PORTAL.replace('on_time = "dossiers_on_time"\n', replacement + "\n", 1))
    assert message in str(info.value)


def test_count_roles_must_be_declared_inputs(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match=r"\[counts\]: received «nope» không phải số liệu đã khai báo"):
        write(tmp_path, PORTAL.replace('received = "dossiers_received"', 'received = "nope"', 1))
