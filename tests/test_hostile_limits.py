"""Issue 11: every hostile file of the corpus is refused with a Vietnamese message naming the file
and the limit, within 3 s and 300 MB of memory growth, each in a fresh process (see run_one.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chiso.fmt import fmt_int
from chiso.io.limits import MAX_CELLS
from hostile.make_corpus import make

RUN_ONE = Path(__file__).parent / "hostile" / "run_one.py"
SECONDS, MEGABYTES = 3.0, 300.0

# file → a fragment of the expected message (the limit or the defect it names)
EXPECTED = {
    "empty-cells.xlsx": f"hơn {fmt_int(MAX_CELLS)} ô (kể cả ô trống)",
    "empty-rows.xlsx": f"hơn {fmt_int(MAX_CELLS)} dòng (kể cả dòng trống)",
    "far-cell.xlsx": "tối đa 21.000 dòng",
    "lying-size.xlsx": "không giải nén được",
    "inflates-past-budget.xlsx": "khi giải nén lớn hơn 200 MB",
    "million-rows.csv": "tối đa 20.000 đơn vị",
    "deep-portal.json": "lồng nhau quá sâu (100.001 cấp, tối đa 64 cấp)",
    "deep-scenario.json": "lồng nhau quá sâu",
    "big-portal.json": "lớn hơn giới hạn 16 MB",
    "many-units.json": "vượt giới hạn 20.000 đơn vị",
    "huge-int.json": "quá lớn",
    "score-abc.json": "Điểm công bố «abc» không phải số",
    "nan.json": "«NaN» không phải số hữu hạn",
    "infinity.json": "«Infinity» không phải số hữu hạn",
    "on-time-over-received.json": "(50) lớn hơn «Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ» (5)",
    "duplicate-id.json": "xuất hiện hai lần",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return make(tmp_path_factory.mktemp("hostile"), list(EXPECTED))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_hostile_file_is_refused_fast_and_small(corpus, name) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN_ONE), str(corpus[name])], capture_output=True, text=True, timeout=120, check=True
    )
    out = json.loads(done.stdout)
    assert out["outcome"] == "error", out
    assert EXPECTED[name] in out["message"]
    assert out["file"] == name  # the message names the file
    assert out["seconds"] < SECONDS, out
    assert out["rss_growth_mb"] < MEGABYTES, out


def test_duplicate_id_message_names_both_units(corpus) -> None:
    done = subprocess.run([sys.executable, str(RUN_ONE), str(corpus["duplicate-id.json"])],
                          capture_output=True, text=True, timeout=120, check=True)
    message = json.loads(done.stdout)["message"]
    assert "«Văn phòng UBND Tỉnh - Tỉnh Phú Thọ»" in message and "«Bản sao " in message
