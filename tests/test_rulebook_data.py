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


# ---------------------------------------------------------------- report headers ([[headers]])

# The keyword rules as Python held them before they moved into the rulebook (chiso/io/columns.py,
# `_rules()`, printed before the move): the rulebook's [[headers]], folded and placed between the identity
# rules and the official total, must give back exactly this list, in this order (first match wins).
RULES_BEFORE_THE_MOVE = (
    (('so voi',), (('truoc',),), (), 'published_total_delta'),
    (('tang giam',), (('diem',),), (), 'published_total_delta'),
    (('xep hang',), (), (), 'ignore'),
    (('cap tren',), (('ma', 'don vi'),), (), 'parent_code'),
    (('ma',), (('dinh danh', 'don vi', 'co quan'),), ('cap tren',), 'unit_code'),
    (('ten',), (('don vi', 'co quan'),), (), 'unit_name'),
    (('gia lap',), (), (), 'synthetic'),
    ((), (('qua han', 'tre han'),), ('ty le', '%', 'muc do', 'pakn', 'phan anh', 'mcdt', 'mot cua'), 'dossiers_overdue'),
    ((), (('qua han', 'tre han'),), ('ty le', '%', 'muc do', 'pakn', 'phan anh'), 'dossiers_overdue_mcdt'),
    ((), (('pakn', 'phan anh'), ('dung han', 'truoc han'), ('ty le', '%', 'muc do')), (), 'rate:petitions_on_time'),
    ((), (('pakn', 'phan anh'), ('dung han', 'truoc han')), (), 'petitions_on_time'),
    (('hai long',), (('pakn', 'phan anh'), ('ty le', '%', 'muc do')), (), 'rate:petitions_satisfied'),
    (('hai long',), (('pakn', 'phan anh'),), (), 'petitions_satisfied'),
    ((), (('pakn', 'phan anh'),), ('ty le', '%', 'muc do'), 'petitions_received'),
    (('hai long',), (('ty le', '%', 'muc do'),), (), 'rate:dossiers_satisfied'),
    (('ho so',), (('dung han', 'truoc han'), ('ty le', '%', 'muc do')), (), 'rate:dossiers_on_time'),
    (('ho so',), (('dung han', 'truoc han'),), (), 'dossiers_on_time'),
    (('truc tuyen', 'nop'), (('ty le', '%', 'muc do'),), ('thanh toan',), 'rate:dossiers_online'),
    (('truc tuyen', 'nop', 'ho so'), (), ('thanh toan',), 'dossiers_online'),
    (('ket qua dien tu',), (('ty le', '%', 'muc do'),), (), 'rate:dossiers_e_result'),
    (('ket qua dien tu',), (), (), 'dossiers_e_result'),
    (('so hoa',), (('tai su dung', 'khai thac'), ('ty le', '%', 'muc do')), (), 'rate:dossiers_reused'),
    (('so hoa',), (('ty le', '%', 'muc do'),), ('chia se', 'ket noi'), 'rate:dossiers_digitised'),
    (('so ho so', 'so hoa'), (), ('chia se', 'ket noi', 'tai su dung', 'khai thac'), 'dossiers_digitised'),
    (('chung thuc', 'dien tu'), (), ('ty le', '%', 'muc do'), 'e_certified_copies'),
    (('chung thuc',), (('tong so', 'ban sao'),), ('dien tu', 'ty le', '%', 'muc do'), 'certified_copies_total'),
    (('thanh toan truc tuyen',), (('ty le', '%', 'muc do'),), ('tthc', 'thu tuc'), 'rate:dossiers_paid_online'),
    (('thanh toan truc tuyen',), (), ('tthc', 'thu tuc', 'ty le', '%', 'muc do'), 'dossiers_paid_online'),
    (('ho so', 'phi'), (('phat sinh', 'nghia vu', 'co thu'),), ('thanh toan', 'ty le', '%', 'muc do'), 'dossiers_fee_bearing'),
    (('ho so',), (('tong so ho so', 'so ho so tiep nhan', 'ho so nhan', 'ho so tiep nhan'),), ('ty le', '%', 'muc do', 'qua han', 'tre han', 'truc tuyen', 'dien tu', 'so hoa', 'thanh toan', 'chung thuc', 'phi'), 'dossiers_received'),
    (('diem',), (('danh gia', 'tong diem', 'chinh thuc', 'dat duoc'),), ('nhom', 'chi tieu', 'so voi'), 'published_total'),
)


@pytest.mark.parametrize("rid", ["portal-2026", "qd766-2022"])
def test_header_rules_from_the_rulebook_equal_the_ones_python_held(rid: str) -> None:
    from chiso.io.columns import header_rules

    assert tuple(header_rules(load_rulebook(rid))) == RULES_BEFORE_THE_MOVE


def test_report_headers_follow_renamed_keys(tmp_path: Path) -> None:
    rb = write(tmp_path, rename(PORTAL, "dossiers_e_result", "kq_dien_tu"))
    data = "Tên đơn vị;Tổng số hồ sơ nhận trong tháng;Tỷ lệ hồ sơ cấp kết quả điện tử (%)\nXã A;200;25\n"
    f = load_tabular("bao-cao.csv", data.encode("utf-8"), rb).frame
    assert f["kq_dien_tu"].tolist() == [50.0]


@pytest.mark.parametrize("entry, message", [
    ('[[headers]]\nall = ["hồ sơ"]\ncount = "nope"\n', "[[headers]] số 22: count «nope» không phải số liệu đã khai báo"),
    ('[[headers]]\nall = ["hồ sơ"]\ncount = "dossiers_received"\nrate = true\n', "không phải tử số của chỉ tiêu nào"),
    ('[[headers]]\ncount = "dossiers_received"\n', "cần ít nhất một từ trong «all» hoặc «any»"),
    ('[[headers]]\nall = ["hồ sơ", ""]\ncount = "dossiers_received"\n', "«all» phải là danh sách từ"),
    ('[[headers]]\nall = ["hồ sơ"]\ncount = "dossiers_received"\nrate = "có"\n', "«rate» phải là true hoặc false"),
    ('[[headers]]\nall = ["hồ sơ"]\ncount = "dossiers_received"\nnone_of = ["x"]\n', "khóa «none_of» không có"),
])
def test_broken_header_rules_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    text = PORTAL.replace("# ---------------------------------------------------------------- groups",
                          entry + "# ---------------------------------------------------------------- groups", 1)
    with pytest.raises(RulebookError) as info:
        write(tmp_path, text)
    assert message in str(info.value)


# ---------------------------------------------------------------- policy presets ([[presets]])


def test_presets_from_the_rulebook_equal_the_ones_python_held() -> None:
    from chiso.policy import PolicyRule, presets_vi

    before_the_move = {  # chiso/policy.py PRESETS_VI, as it was
        "Mọi phường đạt ít nhất 80% kết quả điện tử": (PolicyRule("e_results", 0.8, ("commune",), "phường"),),
        "Không còn hồ sơ quá hạn ở cấp xã": (PolicyRule("overdue_avoided", 1.0, ("commune",)),),
        "Mọi đơn vị cấp xã số hóa ít nhất 50% hồ sơ": (PolicyRule("digitised", 0.5, ("commune",)),),
    }
    for rid in ("portal-2026", "qd766-2022"):
        assert presets_vi(load_rulebook(rid)) == before_the_move
        assert list(presets_vi(load_rulebook(rid))) == list(before_the_move)


def test_presets_follow_renamed_levers(tmp_path: Path) -> None:
    from chiso.policy import presets_vi

    rb = write(tmp_path, rename(PORTAL, "e_results", "ket_qua_dien_tu"))
    assert presets_vi(rb)["Mọi phường đạt ít nhất 80% kết quả điện tử"][0].lever == "ket_qua_dien_tu"


PRESET = 'rules = [{ lever = "digitised", min_rate = 0.5, levels = ["commune"] }]'


@pytest.mark.parametrize("rules, message", [
    ('rules = [{ lever = "nope", min_rate = 0.5, levels = ["commune"] }]', "lever «nope» không có trong [[levers]]"),
    ('rules = [{ lever = "digitised", min_rate = 50, levels = ["commune"] }]', "min_rate phải trong khoảng [0, 1]"),
    ('rules = [{ lever = "digitised", min_rate = 0.5, levels = ["ward"] }]', "levels phải là danh sách cấp"),
    ('rules = [{ lever = "digitised", min_rate = 0.5, levels = [] }]', "levels phải là danh sách cấp"),
    ('rules = []', "«rules» phải là danh sách quy tắc"),
    ('rules = [{ lever = "digitised", min_rate = 0.5, level = ["commune"] }]',
     "[[presets]] số 3, quy tắc số 1: khóa «level» không có trong bộ quy tắc"),
])
def test_broken_presets_are_refused(tmp_path: Path, rules: str, message: str) -> None:
    assert PRESET in PORTAL
    with pytest.raises(RulebookError) as info:
        write(tmp_path, PORTAL.replace(PRESET, rules, 1))
    assert message in str(info.value)


# ---------------------------------------------------------------- the guide's example levers ([examples])


def _units(rb):
    from chiso.calibration import baseline
    from chiso.engine import input_matrix
    from chiso.guide.calc import Units
    from chiso.samples import available_samples, load_sample

    table = load_sample(available_samples()[0], rb)
    return Units(baseline(table, rb), input_matrix(table.frame, rb), tuple(table.frame["unit_name"].astype(str)))


def test_example_levers_come_from_the_rulebook(tmp_path: Path) -> None:
    from chiso.guide.examples import example_indicator, overdue_example

    for rid in ("portal-2026", "qd766-2022"):  # what Python named: e_results and overdue_avoided
        rb = load_rulebook(rid)
        assert (rb.examples.loss, rb.examples.overdue) == ("e_results", "overdue_avoided")
        assert example_indicator(rb).code == "ORIGINAL_RESULT_AVAILABLE"
    renamed = write(tmp_path, rename(rename(PORTAL, "e_results", "kqdt"), "overdue_avoided", "bot_qua_han"))
    assert example_indicator(renamed).code == "ORIGINAL_RESULT_AVAILABLE"
    ex = overdue_example(_units(renamed))
    assert ex is not None and {p.indicator.code for p in ex.parts} == {"PROGRESS_ON_TIME", "DOSSIER_RECEIVING_SATISFACTION"}


def test_without_example_levers_the_examples_say_why_they_are_missing(tmp_path: Path) -> None:
    from chiso.guide.examples import example_indicator, overdue_example, overdue_skip_reason_vi
    from chiso.guide.exercises import make_exercises

    rb = write(tmp_path, drop_table(PORTAL, "examples"))
    assert rb.examples is None and example_indicator(rb) is None
    units = _units(rb)
    assert overdue_example(units) is None
    assert "không nêu yếu tố cải thiện nào giảm hồ sơ quá hạn ([examples])" in overdue_skip_reason_vi(units)
    kinds = {ex.kind for ex in make_exercises(units, seed=1)}
    assert not kinds & {"need_one_point", "overdue_cost"} and kinds


@pytest.mark.parametrize("old, new, message", [
    ('loss = "e_results"', 'loss = "nope"', "[examples]: loss «nope» không có trong [[levers]]"),
    ('overdue = "overdue_avoided"\n', "", "[examples]: thiếu trường «overdue»"),
    ('loss = "e_results"', 'loss = "e_results"\nlos = "x"', "[examples]: khóa «los» không có trong bộ quy tắc"),
])
def test_broken_example_levers_are_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(RulebookError) as info:
        write(tmp_path, PORTAL.replace(old, new, 1))
    assert message in str(info.value)
