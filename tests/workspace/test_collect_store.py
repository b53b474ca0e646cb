"""A collected dataset and its evidence: one transaction, exact bytes back, rights checked (both backends)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from chiso.io.load import load_paths
from chiso.rulebook import load_rulebook
from chiso.samples import SAMPLE_DIR
from chiso.workspace.access import AccessError, Actor, Role
from chiso.workspace.evidence import Evidence
from chiso.workspace.errors import NotFoundError

PHU_THO = SAMPLE_DIR / "portal" / "phu-tho-2026-q3"
AT = datetime(2026, 9, 26, 11, 20, 5, 123456, tzinfo=timezone.utc)
TRICKY = bytes(range(256)) + "Phú Thọ".encode("utf-8") + b"\x00"  # every byte value survives


def responses(tail: bytes = b"") -> list[Evidence]:
    return [Evidence("transparency", 1, "http://127.0.0.1/x", '{"timeType":"quarter"}', AT, 201, TRICKY + tail),
            Evidence("dossier-digitized", 1, "http://127.0.0.1/y", '{"year":2026}', AT, 201, b"{}")]


def test_collected_dataset_and_evidence_round_trip_and_same_content_is_a_no_op(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb)
    assert table.periods == ["2026-Q3"]  # from the sample's manifest.json
    ds_id, stored = ws.store_collected(table, "Cổng DVCQG · Phú Thọ", "d1", rb.id, responses())
    assert stored and ws.store_collected(table, "Cổng DVCQG · Phú Thọ", "d1", rb.id, responses()) == (ds_id, False)
    info, back = ws.collected_evidence("Cổng DVCQG · Phú Thọ", "2026-Q3", rb.id)
    assert back == responses() and back[0].sha256 == responses()[0].sha256 and info.id == ds_id
    assert ws.store_collected(table, "Cổng DVCQG · Phú Thọ", "d2", rb.id, responses(b"2")) == (ds_id, True)
    assert ws.collected_evidence("Cổng DVCQG · Phú Thọ", "2026-Q3", rb.id)[1] == responses(b"2")
    assert [v.version for v in ws.dataset_versions(ds_id)] and len(ws.dataset_versions(ds_id)) == 2
    actions = [e.action for e in ws.audit_entries(action="collect_dataset")]
    assert actions == ["collect_dataset", "collect_dataset"]  # the no-op left no trace


def test_only_roles_that_store_datasets_may_collect_and_nothing_is_written(ws):
    rb = load_rulebook("portal-2026")
    table = load_paths([PHU_THO], rb)
    unit = ws.for_actor(Actor("a@x", Role.UNIT, ("H44.100",)))
    with pytest.raises(AccessError):
        unit.store_collected(table, "Cổng DVCQG · Phú Thọ", "d1", rb.id, responses())
    assert ws.datasets() == []
    with pytest.raises(NotFoundError, match="dùng lệnh collect"):
        ws.collected_evidence("Cổng DVCQG · Phú Thọ", "2026-Q3", rb.id)
