"""Hand edits as batches: a save checked against what its author saw, undo of one's own last batch."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from chiso.edits import Edit, Revision, make_revisions
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample
from chiso.workspace import WorkspaceError, sample_key
from chiso.workspace.access import LOCAL, Actor, Role
from chiso.workspace.batches import ConflictError, describe

KEY, RB = sample_key("tay-ninh"), "qd766-2022"
WARD = "000.20.30.H53"  # UBND Phường 1
AT = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)
A = Actor("", Role.ADMIN, name="Chị An", session="browser-a")
B = Actor("", Role.ADMIN, name="Anh Bình", session="browser-b")


def cell(old, new, key="copies_total", unit=WARD) -> Revision:
    return Revision(unit, key, old, new, AT)


def test_a_save_based_on_a_value_someone_changed_since_is_refused_whole(ws):
    a, b = ws.for_actor(A), ws.for_actor(B)
    a.save_edits(KEY, RB, [cell(None, 1.0)])  # A fills the empty count
    with pytest.raises(ConflictError) as err:  # B still sees it empty, and also types another cell
        b.save_edits(KEY, RB, [cell(None, 2.0), cell(None, 5.0, key="e_copies")])
    (c,) = err.value.conflicts
    assert (c.unit_code, c.key, c.seen, c.now, c.author) == (WARD, "copies_total", None, 1.0, "Chị An")
    assert [r.new for r in ws.revisions(KEY, RB)] == [1.0], "nothing of B's save was stored"
    (line,) = describe(err.value.conflicts, lambda u: f"UBND Phường 1 ({u})", lambda k: "Số bản sao")
    assert line == ("UBND Phường 1 (000.20.30.H53), «Số bản sao»: bạn thấy trống, nay là 1 "
                    "(Chị An lưu lúc 10:00 07/12/2026).")
    b.save_edits(KEY, RB, [cell(1.0, 2.0)])  # after reloading, B sees 1 and may change it
    assert [r.new for r in ws.revisions(KEY, RB)] == [1.0, 2.0]


def test_the_base_is_what_the_user_saw_not_the_data_reloaded_at_save_time():
    rb = load_rulebook(RB)
    table = load_sample(sample("tay-ninh"), rb)
    seen_empty = Edit(WARD, "certified_copies_total", "2.000", base=None)
    (rev,) = make_revisions(table, rb, [seen_empty], at=AT)
    assert rev.old is None
    grid_cell = Edit(WARD, "dossiers_received", "400", base="365")
    assert make_revisions(table, rb, [grid_cell], at=AT)[0].old == 365.0


def test_undo_takes_back_ones_own_last_batch_whole_never_a_neighbours(ws):
    a, b = ws.for_actor(A), ws.for_actor(B)
    paste = [cell(None, float(n), unit=f"U{n}") for n in range(300)]
    a.save_edits(KEY, RB, paste)
    b.save_edits(KEY, RB, [cell(None, 7.0)])
    last = a.own_last_batch(KEY, RB)
    assert last.n_cells == 300 and len(last.revisions) == 300, "the confirmation lists what undo takes back"
    a.undo_batch(KEY, RB, last.id)  # one click for the whole paste
    assert [(r.unit_code, r.new) for r in ws.revisions(KEY, RB)] == [(WARD, 7.0)], "B's cell stays"
    assert a.own_last_batch(KEY, RB) is None
    with pytest.raises(WorkspaceError, match="không còn là lần lưu gần nhất"):
        a.undo_batch(KEY, RB, last.id)  # a second click on a stale confirmation does nothing
    with pytest.raises(WorkspaceError):
        b.undo_batch(KEY, RB, last.id)  # nobody undoes another's batch
    batches = ws.edit_batches(KEY, RB)
    assert [(x.author, x.n_cells, x.undone_at is not None) for x in batches] == [
        ("Anh Bình", 1, False), ("Chị An", 300, True)]


def test_a_cell_undone_back_to_the_import_is_checked_against_the_import(ws):
    a, b = ws.for_actor(A), ws.for_actor(B)
    a.save_edits(KEY, RB, [cell(None, 1.0)])
    a.undo_revision(KEY, RB)
    with pytest.raises(ConflictError):
        b.save_edits(KEY, RB, [cell(1.0, 3.0)])  # B saw A's 1, which is gone
    b.save_edits(KEY, RB, [cell(None, 3.0)])


def test_a_chain_of_revisions_of_one_cell_in_one_batch_is_checked_at_its_start(ws):
    ws.save_edits(KEY, RB, [cell(None, 1.0), cell(1.0, 2.0)])
    assert ws.revisions(KEY, RB)[-1].new == 2.0


def test_signed_in_accounts_own_their_batches_across_browsers(ws):
    lan = Actor("lan", Role.ADMIN, name="Lan")
    ws.for_actor(lan.in_session("phone")).save_edits(KEY, RB, [cell(None, 1.0)])
    assert ws.for_actor(lan.in_session("laptop")).own_last_batch(KEY, RB) is not None
    assert ws.for_actor(replace(LOCAL, session="phone")).own_last_batch(KEY, RB) is None
