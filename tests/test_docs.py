"""The documentation stays where docs/CONTRIBUTING.md puts it (issue 23): a short README for users whose test
command is the one CI runs, links between the documents that resolve, and a Vietnamese guide whose labels
are the app's own."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "huong-dan.md"
DOCS = [README, ROOT / "bench" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# «…» in the guide that quote what the app computes from the data or the rulebook (seen on the Tây Ninh
# sample), not a label written in the code.
COMPUTED_IN_GUIDE = {
    "Mẫu: Phú Thọ, quý 3/2026",
    "Mẫu: TP. Tây Ninh, tháng 02/2023",
    "QĐ 766/QĐ-TTg ban đầu · 5 nhóm",
    "UBND Phường 1 — Cấp xã (000.20.30.H53)",
    "Cấp thêm kết quả điện tử: 10 / 365 hồ sơ (2,78%)",
    "Thêm 1 hồ sơ: +0,01 điểm; thêm 4 hồ sơ: +0,06 điểm",
    "Cấp thêm 355 kết quả điện tử: từ 2,78% lên 100%, +5,83 điểm",
}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _shell_commands(markdown: str) -> list[str]:
    """The commands of the bash blocks, comments dropped."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_stays_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 200


def test_ci_runs_the_readmes_test_command() -> None:
    commands = _shell_commands(README.read_text(encoding="utf-8"))
    assert "bash scripts/run_app.sh" in commands  # starts the app on the bundled sample data
    assert "bash scripts/test.sh" in commands  # installs what tests need and runs them all
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "exec bash scripts/test.sh" in ci


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(md: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", md.read_text(encoding="utf-8"), flags=re.S)
    return {_slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


def test_links_between_documents_resolve() -> None:
    broken = []
    for doc in DOCS:
        text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # http(s), mailto: not checked offline
            path, _, anchor = target.partition("#")
            dest = (doc.parent / path).resolve() if path else doc
            if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest)):
                broken.append(f"{doc.relative_to(ROOT)} → {target}")
    assert broken == []


def test_the_slug_matches_githubs() -> None:
    assert _slug("5. Nhập số liệu còn thiếu — trang Số liệu") == "5-nhập-số-liệu-còn-thiếu--trang-số-liệu"
    assert _slug("The server's share of a first render") == "the-servers-share-of-a-first-render"


def _page_titles() -> list[str]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return [kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "title" and isinstance(kw.value, ast.Constant)]


def _app_text() -> str:
    """Every string the app can show: pages, ui (the score bar's component included), chiso, rulebooks."""
    files = [ROOT / "app.py", *(p for d in ("pages", "ui", "chiso") for p in (ROOT / d).rglob("*")
                                if p.suffix in {".py", ".js", ".html", ".toml"})]
    return " ".join(_squeeze(p.read_text(encoding="utf-8")) for p in files)


def test_the_guide_names_the_menu_and_labels_as_the_app_does() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    titles = _page_titles()
    assert len(titles) >= 7
    assert [t for t in titles if f"**{t}**" not in guide] == []
    app = _app_text()
    quoted = {_squeeze(q) for q in re.findall(r"«([^«»]*)»", guide)}
    assert quoted - COMPUTED_IN_GUIDE, "the guide quotes no label"
    assert sorted(q for q in quoted - COMPUTED_IN_GUIDE if q not in app) == []
