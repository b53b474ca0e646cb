"""Rulebook files: the shipped ones load and add up; broken ones are rejected with a clear message."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from chiso.errors import RulebookError
from chiso.rulebook import RULEBOOK_DIR, available_rulebooks, load_rulebook

PORTAL = (RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8")


def test_shipped_rulebooks() -> None:
    assert {"portal-2026", "qd766-2022"} <= set(available_rulebooks())
    portal = load_rulebook("portal-2026")
    assert [g.max for g in portal.groups] == [18, 20, 12, 22, 18, 10]
    old = load_rulebook("qd766-2022")
    assert [g.max for g in old.groups] == [18, 20, 22, 22, 18]
    assert old.inputs == portal.inputs  # extends portal-2026
    for rb in (portal, old):
        assert sum(i.max for i in rb.indicators) == 100
        assert [b.name_vi for b in rb.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


def test_qd766_certified_copy_is_inferred_and_thresholded() -> None:
    ind = load_rulebook("qd766-2022").indicator("ELECTRONIC_CERTIFIED_COPY")
    assert (ind.curve, ind.threshold, ind.confidence) == ("threshold", 0.5, "inferred")
    assert ind.movable_at("commune")
    assert not load_rulebook("portal-2026").indicator("ELECTRONIC_CERTIFIED_COPY").movable_at("commune")


def test_bands() -> None:
    rb = load_rulebook("portal-2026")
    assert [rb.band(x) for x in (95, 90, 89.99, 70, 50, 49.99)] == ["Xuất sắc", "Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


def test_unknown_rulebook_name() -> None:
    with pytest.raises(RulebookError, match="Không có bộ quy tắc «nope»"):
        load_rulebook("nope")


def broken(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def first_indicator(text: str, old: str, new: str) -> str:
    """Replace ``old`` with ``new`` once, inside the first [[indicators]] block."""
    head, _, tail = text.partition("[[indicators]]")
    assert old in tail
    return head + "[[indicators]]" + tail.replace(old, new, 1)


CASES = [
    ("syntax", lambda t: t.replace("[rulebook]", "[rulebook", 1), "sai cú pháp TOML"),
    ("max sum", lambda t: first_indicator(t, "max = 6", "max = 7"), "tổng điểm các chỉ tiêu là 19"),
    ("unknown curve", lambda t: first_indicator(t, 'curve = "linear"', 'curve = "sigmoid"'), "«curve» phải là một trong"),
    ("unknown group", lambda t: first_indicator(t, 'group = "TRANSPARENCY"', 'group = "NOPE"'), "nhóm «NOPE» không có"),
    ("unknown input", lambda t: first_indicator(t, 'numerator = "tthc_published_on_time"', 'numerator = "x"'), "numerator «x»"),
    ("bad zero rule", lambda t: first_indicator(t, 'zero_rule = "zero"', 'zero_rule = "maybe"'), "«zero_rule»"),
    ("bad policy", lambda t: first_indicator(t, 'commune = "inherited"', 'commune = "sometimes"'), "policy.commune"),
    ("max as text", lambda t: first_indicator(t, "max = 6", 'max = "6"'), "«max» phải là số"),
    ("threshold out of range", lambda t: t.replace("threshold = 0.8", "threshold = 80", 1), "threshold phải trong khoảng"),
    ("duplicate code", lambda t: t.replace('code = "PUBLIC_UPDATE_ON_TIME"', 'code = "PUBLISH_ON_TIME"', 1), "bị trùng"),
    ("group maxima", lambda t: t.replace("max = 10\n", "max = 11\n", 1), "phải bằng 100"),
    ("lever moves unknown", lambda t: t.replace('moves = ["dossiers_e_result"]', 'moves = ["nothing"]', 1), "moves phải là"),
    ("fallback cycle", lambda t: t.replace('key = "dossiers_received"\n', 'key = "dossiers_received"\nfallback = "dossiers_sync_base"\n', 1), "vòng lặp"),
    ("no rulebook table", lambda t: t.replace("[rulebook]", "[book]", 1), "Thiếu bảng [rulebook]"),
    ("max nan", lambda t: first_indicator(t, "max = 6", "max = nan"), "«max» phải là số hữu hạn"),
    ("max inf", lambda t: first_indicator(t, "max = 6", "max = inf"), "«max» phải là số hữu hạn"),
    ("band min nan", lambda t: t.replace("min = 90", "min = nan", 1), "«min» phải là số hữu hạn"),
    ("threshold nan", lambda t: t.replace("threshold = 0.8", "threshold = nan", 1), "«threshold» phải là số hữu hạn"),
    ("effort nan", lambda t: t.replace('moves = ["dossiers_e_result"]', 'moves = ["dossiers_e_result"]\neffort = nan', 1),
     "«effort» phải là số hữu hạn"),
    ("effort huge", lambda t: t.replace('moves = ["dossiers_e_result"]', 'moves = ["dossiers_e_result"]\neffort = 1e308', 1),
     "công sức mỗi bước («effort») phải là số từ 0,000001 đến 1.000.000"),
    ("effort tiny", lambda t: t.replace('moves = ["dossiers_e_result"]', 'moves = ["dossiers_e_result"]\neffort = 1e-9', 1),
     "công sức mỗi bước («effort») phải là số từ 0,000001 đến 1.000.000"),
]


@pytest.mark.parametrize("label, mutate, message", CASES, ids=[c[0] for c in CASES])
def test_broken_rulebooks_are_rejected_with_a_message(tmp_path: Path, label: str, mutate, message: str) -> None:
    path = broken(tmp_path, mutate(PORTAL))
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(path))
    assert message in str(info.value)
    assert "broken.toml" in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "latin.toml"
    p.write_bytes(PORTAL.encode("utf-16"))
    with pytest.raises(RulebookError, match="UTF-8"):
        load_rulebook(str(p))


def test_modified_copy_loads_and_changes_scores(tmp_path: Path) -> None:
    text = first_indicator(PORTAL, "max = 6", "max = 4")
    text = re.sub(r'(code = "PUBLIC_UPDATE_ON_TIME"\n(?:.*\n)*?max = )4', r"\g<1>6", text, count=1)
    rb = load_rulebook(str(broken(tmp_path, text, "custom.toml")))
    assert rb.indicator("PUBLISH_ON_TIME").max == 4
    assert rb.indicator("PUBLIC_UPDATE_ON_TIME").max == 6


def test_overdue_lever_is_shown_as_what_remains() -> None:
    for rid in ("portal-2026", "qd766-2022"):
        lv = load_rulebook(rid).lever("overdue_avoided")
        assert lv.moves == ("dossiers_on_time", "dossiers_satisfied") and lv.remaining_vi == "hồ sơ quá hạn"


def test_rulebook_extending_itself_is_refused(tmp_path: Path) -> None:
    text = PORTAL.replace('[rulebook]\n', '[rulebook]\nextends = "self"\n', 1)
    path = broken(tmp_path, text, "self.toml")
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(path))
    assert "kế thừa (extends) vòng tròn: «self» → «self»" in str(info.value)
    assert "self.toml" in str(info.value)


def test_cycle_of_extends_is_refused(tmp_path: Path) -> None:
    for name, base in (("a", "b"), ("b", "c"), ("c", "a")):
        broken(tmp_path, PORTAL.replace('[rulebook]\n', f'[rulebook]\nextends = "{base}"\n', 1), f"{name}.toml")
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(tmp_path / "a.toml"))
    assert "kế thừa (extends) vòng tròn: «a» → «b» → «c» → «a»" in str(info.value)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a=", "}")], ids=["arrays", "inline-tables"])
def test_deeply_nested_toml_is_refused(tmp_path: Path, opening: str, closing: str) -> None:
    depth = 100_000
    path = broken(tmp_path, PORTAL + "\n[extra]\nx = " + opening * depth + closing * depth + "\n", "deep.toml")
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(path))
    assert "lồng nhau quá sâu" in str(info.value) and "deep.toml" in str(info.value)


@pytest.mark.parametrize("where, line, typo", [
    ("[rulebook]", 'observed = "2026-09-26"', 'observed = "2026-09-26"\nobservd = 1'),
    ("[[indicators]] số", 'curve = "threshold"', 'curve = "threshold"\nthresold = 1'),
    ("policy", 'commune = "inherited" }', 'commune = "inherited", provnce = "computed" }'),
])
def test_an_unknown_key_is_refused_naming_it_not_silently_ignored(tmp_path, where, line, typo):
    """A typo such as «thresold» used to be ignored: the indicator then scored with the default."""
    key = typo.split("\n")[-1].split(", ")[-1].split(" = ")[0]
    text = PORTAL.replace(line, typo, 1)
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, text)))
    assert f"khóa «{key}» không có trong bộ quy tắc" in str(info.value) and where in str(info.value)


@pytest.mark.parametrize("value", ["half_up_2", "bankers"])
def test_rounding_is_not_a_rulebook_key(tmp_path, value):
    """Rounding is the portal's one rule, built into the engine, the planner's integer model and the live
    bar; a key that could hold one value only was read by nobody, so a file that still sets it is told so."""
    assert "rounding" not in PORTAL
    text = PORTAL.replace("[rulebook]\n", f'[rulebook]\nrounding = "{value}"\n', 1)
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, text)))
    assert "[rulebook]: khóa «rounding» không có trong bộ quy tắc" in str(info.value)
    assert "luôn làm tròn điểm từng chỉ tiêu đến 2 chữ số thập phân" in str(info.value)


# ---------------------------------------------------------------- extends: override single indicators

FULL_QD766 = Path(__file__).parent / "fixtures" / "rulebooks" / "qd766-2022-full.toml"
# What a rulebook was before the data moved into it: every field a test of today's file can compare.
CONTENT = ("id", "name_vi", "name_en", "description_vi", "description_en", "observed", "extends",
           "inputs", "groups", "indicators", "levers", "bands")


def _content(rb) -> dict:
    return {name: getattr(rb, name) for name in CONTENT}


def test_qd766_as_overrides_is_the_same_rulebook_as_written_in_full(tmp_path: Path) -> None:
    """The shipped qd766-2022 (only what differs from portal-2026) equals the old file written in full."""
    (tmp_path / "portal-2026.toml").write_text(PORTAL, encoding="utf-8")
    full_path = tmp_path / "qd766-2022.toml"
    full_path.write_text(FULL_QD766.read_text(encoding="utf-8"), encoding="utf-8")
    full = load_rulebook(str(full_path))
    shipped = load_rulebook("qd766-2022")
    assert _content(shipped) == _content(full)
    assert [i.code for i in shipped.indicators] == [i.code for i in full.indicators]  # order included
    assert shipped.compiled.group_idx.tolist() == full.compiled.group_idx.tolist()


CHILD_HEAD = '[rulebook]\nid = "child"\nname_vi = "Bộ con"\nname_en = "Child"\nextends = "portal-2026"\n'


def test_an_override_changes_only_the_keys_it_names(tmp_path: Path) -> None:
    """From any folder, ``extends`` finds the shipped base; the other 20 indicators stay the base's."""
    text = CHILD_HEAD + '[[indicators]]\ncode = "REUSED_DIGITIZED_DATA"\nthreshold = 0.5\nconfidence = "guess"\n'
    child = load_rulebook(str(broken(tmp_path, text, "child.toml")))
    portal = load_rulebook("portal-2026")
    ind = child.indicator("REUSED_DIGITIZED_DATA")
    assert (ind.threshold, ind.confidence, ind.curve, ind.max) == (0.5, "guess", "threshold", 2)
    assert [i for i in child.indicators if i.code != ind.code] == [i for i in portal.indicators if i.code != ind.code]
    assert (child.groups, child.inputs, child.levers, child.bands) == (portal.groups, portal.inputs, portal.levers,
                                                                       portal.bands)


def test_a_new_code_under_extends_is_a_new_indicator_checked_in_full(tmp_path: Path) -> None:
    text = CHILD_HEAD + '[[indicators]]\ncode = "NEW_ONE"\ngroup = "PROGRESS"\nmax = 1\n'
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, text, "child.toml")))
    assert "[[indicators]] «NEW_ONE»" in str(info.value) and "child.toml" in str(info.value)


@pytest.mark.parametrize("entries, message", [
    ('[[indicators]]\nconfidence = "guess"\n', "[[indicators]] số 1: thiếu trường «code»"),
    ('[[indicators]]\ncode = "DOSSIER_SYNC"\n[[indicators]]\ncode = "DOSSIER_SYNC"\n', "code «DOSSIER_SYNC» bị trùng"),
    ('[[indicators]]\ncode = "DOSSIER_SYNC"\nmax = 7\n', "tổng điểm các chỉ tiêu là 19"),
])
def test_a_broken_override_is_refused(tmp_path: Path, entries: str, message: str) -> None:
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, CHILD_HEAD + entries, "child.toml")))
    assert message in str(info.value)


@pytest.mark.parametrize("where, anchor", [
    ("Tệp bộ quy tắc", "[rulebook]\n"),
    ("[rulebook]", 'id = "portal-2026"\n'),
    ("[[bands]] số 1", 'name_vi = "Xuất sắc"\n'),
    ("[[inputs]] số 1", 'key = "tthc_published_on_time"\n'),
    ("[counts]", 'received = "dossiers_received"\n'),
    ("[[headers]] số 1", 'count = "petitions_on_time"\n'),
    ("[[groups]] số 1", 'code = "TRANSPARENCY"\n'),
    ("[[indicators]] số 1", 'code = "PUBLISH_ON_TIME"\n'),
    ("[[levers]] số 1", 'key = "e_results"\n'),
    ("[examples]", 'loss = "e_results"\n'),
    ("[[presets]] số 1", 'name_vi = "Mọi phường đạt ít nhất 80% kết quả điện tử"\n'),
])
def test_an_unknown_key_is_refused_in_every_table(tmp_path, where, anchor):
    """Each table of the schema names its keys; a stray one anywhere is refused, in Vietnamese, by name."""
    assert anchor in PORTAL
    typo = "ghichu = 1\n"
    text = typo + PORTAL if where == "Tệp bộ quy tắc" else PORTAL.replace(anchor, anchor + typo, 1)
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, text)))
    assert f"{where}: khóa «ghichu» không có trong bộ quy tắc (các khóa dùng được: " in str(info.value)


def test_an_unknown_key_in_an_override_is_refused_naming_the_file(tmp_path: Path) -> None:
    text = CHILD_HEAD + '[[indicators]]\ncode = "DOSSIER_SYNC"\nconfidance = "guess"\n'
    with pytest.raises(RulebookError) as info:
        load_rulebook(str(broken(tmp_path, text, "child.toml")))
    assert "[[indicators]] số 1: khóa «confidance» không có trong bộ quy tắc" in str(info.value)
    assert "child.toml" in str(info.value)
