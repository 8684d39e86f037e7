"""Documents of reporting shapes the project was not developed on, written out by hand.

The generated layouts (layouts.py) draw their wording from pools; these documents instead
reproduce particular public reports' shapes with their own wording and structure (each
document in ``unseen.yaml`` names the public addresses it follows and what is taken from them).
Their expected records are hand-written in ``tests/gold_unseen.csv``, in the format of
``tests/gold_real_visible.csv``, and were written before rectrack was run on them: the score of
the first run is the project's measure on shapes nobody tuned it to (see
tests/rectrack/test_unseen_shapes.py).

A document is a list of items, each rendered by to_pdf.py / to_docx.py like a generated plan:

- a string: a body paragraph; ``{p: TEXT, kind: KIND}``: a paragraph of another kind
  (title, heading, annex, body, right, small);
- ``break``: a page break;
- ``{table: {widths: [...], header: [[CELL, ...]], body: [[CELL, ...]]}}``, where a CELL is a
  string or a mapping of PCell's fields (text, span, bold, title, shade, center, mark).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from .plan import Item, PBreak, PCell, Plan, PPara, PTable
from .to_docx import render_docx
from .to_pdf import render_pdf
from .variant import Variant

HERE = Path(__file__).parent
DOCUMENTS = HERE / "unseen.yaml"
# The second round: other agencies and shapes, its gold in tests/gold_unseen2.csv.
DOCUMENTS2 = HERE / "unseen2.yaml"
# The third round: other agencies and shapes again, its gold in tests/gold_unseen3.csv.
DOCUMENTS3 = HERE / "unseen3.yaml"
# The fourth round: other agencies and shapes again, its gold in tests/gold_unseen4.csv.
DOCUMENTS4 = HERE / "unseen4.yaml"
# The fifth round: other agencies and shapes again, its gold in tests/gold_unseen5.csv.
DOCUMENTS5 = HERE / "unseen5.yaml"
# The sixth round: other agencies and shapes again, its gold in tests/gold_unseen6.csv.
DOCUMENTS6 = HERE / "unseen6.yaml"
_CELL_KEYS = frozenset({"text", "span", "bold", "title", "shade", "center", "mark"})
_PARA_KINDS = frozenset({"title", "heading", "annex", "body", "right", "small"})


@dataclass(frozen=True)
class UnseenDoc:
    """One hand-written document: its file name, format, rendering and content."""

    name: str
    fmt: Literal["pdf", "docx"]
    shape: str  # the general shape it stands for, in a few words
    variant: Variant
    plan: Plan
    sources: tuple[str, ...] = field(default=())

    def build(self, directory: Path) -> Path:
        """Write the document into ``directory`` as ``NAME.pdf`` or ``NAME.docx``."""
        path = Path(directory) / f"{self.name}.{self.fmt}"
        if self.fmt == "pdf":
            return render_pdf(self.plan, path, self.variant, title=self.name)
        return render_docx(self.plan, path, self.variant, title=self.name)


def _cell(raw: object) -> PCell:
    if isinstance(raw, str):
        return PCell(raw)
    if not isinstance(raw, dict) or not set(raw) <= _CELL_KEYS:
        raise ValueError(f"{DOCUMENTS.name}: a cell is a string or a mapping of "
                         f"{sorted(_CELL_KEYS)}, not {raw!r}")
    return PCell(**raw)


def _table(raw: dict[str, Any]) -> PTable:
    table = PTable(header=[[_cell(c) for c in row] for row in raw.get("header", [])],
                   body=[[_cell(c) for c in row] for row in raw["body"]],
                   widths=[float(w) for w in raw["widths"]],
                   repeat_header=bool(raw.get("repeat_header", True)))
    table.check()
    return table


def _item(raw: object) -> Item:
    if raw == "break":
        return PBreak()
    if isinstance(raw, str):
        return PPara(raw)
    if isinstance(raw, dict) and "table" in raw:
        return _table(raw["table"])
    if isinstance(raw, dict) and "p" in raw:
        kind = raw.get("kind", "body")
        if kind not in _PARA_KINDS:
            raise ValueError(f"{DOCUMENTS.name}: unknown paragraph kind {kind!r}")
        return PPara(str(raw["p"]), kind)
    raise ValueError(f"{DOCUMENTS.name}: an item is a string, 'break', {{p: ...}} or "
                     f"{{table: ...}}, not {raw!r}")


def _doc(raw: dict[str, Any]) -> UnseenDoc:
    return UnseenDoc(name=raw["name"], fmt=raw["format"], shape=raw["shape"],
                     variant=Variant(**raw.get("variant", {})),
                     plan=Plan([_item(i) for i in raw["items"]],
                               header_text=raw.get("header_text", "")),
                     sources=tuple(raw.get("sources", ())))


@cache
def unseen_documents(path: Path = DOCUMENTS) -> tuple[UnseenDoc, ...]:
    """Every document of ``path`` (``unseen.yaml`` unless told), in file order."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return tuple(_doc(d) for d in data["documents"])
