"""The import rule of the tree (docs/CONTRIBUTING.md): pages → ui → chiso, never back up.

The rules are import-linter contracts in pyproject.toml (``[tool.importlinter]``): chiso never imports
Streamlit, ui or pages; ui never imports pages; the core (top-level chiso modules) never imports the planner,
the guide or the CLI; only the CLI imports the CLI; no import cycle between the modules of one package. Every
import counts, including ones inside functions. Run them alone with ``.venv/bin/lint-imports``.
"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")  # installed with import-linter (requirements.txt)
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in done.stdout, done.stdout[-2000:]


def test_every_core_module_is_under_the_core_contract():
    """A new top-level module of chiso is core: the contract must name it, or it would escape the rule."""
    core = next(c for c in CONFIG["contracts"] if c["id"] == "core")
    on_disk = {f"chiso.{f.stem}" for f in (ROOT / "chiso").glob("*.py") if f.stem not in ("__init__", "__main__")}
    assert set(core["source_modules"]) == on_disk


def test_capabilities_live_in_their_folders():
    """The planner, the guide, data in/out and the CLI each live in one folder, not beside the core."""
    top = {f.stem for f in (ROOT / "chiso").glob("*.py")}
    for stem in top:
        assert not stem.startswith(("plan", "guide", "cli", "export", "import", "cheatsheet", "targets")), stem
    for pkg in ("plan", "guide", "io", "cli"):
        assert (ROOT / "chiso" / pkg / "__init__.py").is_file(), pkg
