"""Imports run one way: load knows core, never the stages before it (extract, normalize) nor
the application (rectrack), nor any parsing library. renormalize joins them in rectrack."""

from __future__ import annotations

import ast
from pathlib import Path

LOAD = Path(__file__).resolve().parents[2] / "load"
FORBIDDEN = {"extract", "normalize", "rectrack", "pdfplumber", "pdfminer", "pypdfium2", "docx",
             "spacy", "wordfreq"}  # fmt: skip


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_load_imports_no_earlier_stage_and_no_parser() -> None:
    files = sorted(LOAD.rglob("*.py"))
    assert len(files) > 10
    wrong = {str(p.relative_to(LOAD)): sorted(_imported(p) & FORBIDDEN) for p in files}
    assert {name: mods for name, mods in wrong.items() if mods} == {}
