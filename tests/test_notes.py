"""The disclaimers are written once, in chiso/notes.py (issue 23): no other source file spells them out."""
from __future__ import annotations

from pathlib import Path

from chiso import notes

ROOT = Path(__file__).resolve().parent.parent


def test_each_disclaimer_is_written_only_in_chiso_notes():
    sources = [p for d in ("chiso", "ui", "pages") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    for text in (notes.REFERENCE_VI, notes.REFERENCE_EN, notes.SYNTHETIC_VI, notes.SYNTHETIC_IMPORT_VI):
        where = [str(p.relative_to(ROOT)) for p in sources if text in p.read_text(encoding="utf-8")]
        assert where == ["chiso/notes.py"], (text, where)
