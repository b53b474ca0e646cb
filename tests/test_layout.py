"""The import rule of the tree (docs/CONTRIBUTING.md): pages → ui → chiso, never back up.

- no module in ``chiso/`` imports streamlit, ``ui`` or ``pages`` (the domain runs without a browser);
- ``ui/`` never imports ``pages``;
- the core (top-level ``chiso/*.py``) never imports the planner, the guide or the CLI;
- only the CLI imports the CLI;
- the domain package has no import cycle.
Every import counts, including ones inside functions.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement in the file (absolute names only; the tree uses no
    relative imports, which this also checks)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module or "")
            # ``from chiso.cli import plan`` imports the submodule chiso.cli.plan
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def files(folder: str) -> list[Path]:
    found = sorted((ROOT / folder).rglob("*.py"))
    assert found, f"no Python files in {folder}/"
    return found


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_domain_never_imports_streamlit_ui_or_pages():
    bad = [(module_name(f), n) for f in files("chiso") for n in imports_of(f) if under(n, "streamlit", "ui", "pages")]
    assert bad == []


def test_ui_never_imports_pages():
    bad = [(module_name(f), n) for f in files("ui") for n in imports_of(f) if under(n, "pages")]
    assert bad == []


def test_core_never_imports_planner_guide_or_cli():
    core = [f for f in (ROOT / "chiso").glob("*.py")]
    bad = [(module_name(f), n) for f in core for n in imports_of(f)
           if under(n, "chiso.plan", "chiso.guide", "chiso.cli") and module_name(f) != "chiso.__main__"]
    assert bad == []


def test_only_the_cli_imports_the_cli():
    bad = [(module_name(f), n) for f in files("chiso") for n in imports_of(f)
           if under(n, "chiso.cli") and not under(module_name(f), "chiso.cli", "chiso.__main__")]
    assert bad == []


def test_capabilities_live_in_their_folders():
    """The planner, the guide, data in/out and the CLI each live in one folder, not beside the core."""
    top = {f.stem for f in (ROOT / "chiso").glob("*.py")}
    for stem in top:
        assert not stem.startswith(("plan", "guide", "cli", "export", "import", "cheatsheet", "targets")), stem
    for pkg in ("plan", "guide", "io", "cli"):
        assert (ROOT / "chiso" / pkg / "__init__.py").is_file(), pkg


def test_domain_has_no_import_cycle():
    modules = {module_name(f): f for f in files("chiso")}
    graph = {m: {n for n in imports_of(f) if n in modules and n != m} for m, f in modules.items()}
    # a package's __init__ importing its own submodule is not a cycle back up
    for m in graph:
        graph[m] = {n for n in graph[m] if not under(n, m)}
    done: set[str] = set()

    def visit(m: str, path: list[str]) -> None:
        assert m not in path, " → ".join(path + [m])
        if m in done:
            return
        for n in sorted(graph[m]):
            visit(n, path + [m])
        done.add(m)

    for m in sorted(graph):
        visit(m, [])
    assert len(done) == len(modules) > 40
