"""Issue 11: ``python -m chiso score`` wrote live formulas into its CSV; now every text cell starting
with = + - @ tab or CR is neutralised as in the Excel exports, and a name already guarded in the input
(``'=2+2``, which the importer reads back as ``=2+2``) comes out guarded again."""
from __future__ import annotations

import csv
import io

from chiso.cli.main import main

NAMES = ["=HYPERLINK(\"http://x.invalid\",\"bấm\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "'=2+2", "-1+2", "Xã Bình thường"]


def _score_csv(tmp_path, names: list[str]) -> list[dict[str, str]]:
    lines = ["Mã đơn vị;Tên đơn vị;Cấp;Tổng số hồ sơ tiếp nhận;Số hồ sơ xử lý trước hạn, đúng hạn"]
    lines += [f"X{n};\"{name.replace(chr(34), chr(34) * 2)}\";Cấp xã;10;7" for n, name in enumerate(names)]
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(src), "--output", str(out)]) == 0
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def test_score_csv_has_no_live_formula(tmp_path) -> None:
    rows = _score_csv(tmp_path, NAMES)
    names = list(dict.fromkeys(r["unit_name"] for r in rows))
    assert names == ["'=HYPERLINK(\"http://x.invalid\",\"bấm\")", "'+cmd|' /C calc'!A0", "'@SUM(1+1)", "'=2+2",
                     "'-1+2", "Xã Bình thường"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row


def test_numbers_stay_numbers(tmp_path) -> None:
    rows = _score_csv(tmp_path, ["Xã A"])
    total = [r for r in rows if r["indicator"] == "TOTAL"][0]
    assert float(total["points"]) >= 0 and float(total["max_points"]) == 100.0
