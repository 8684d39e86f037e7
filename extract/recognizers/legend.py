"""Status codes a document defines itself, in a legend.

A tracker may print a status as a short code ("I", "IP", "NS", "W") or a symbol and explain the
codes once, in a two-column table ("I | Implemented: OIAI has validated ...") or in a line of
prose ("I = Implemented; PI = Partially implemented; NI = Not implemented"). The code alone
means nothing to the normalizer (and "I" or "C" mean different things to different offices):
what the document says it means is the label. A legend is recognized by its entries: at least
two codes, most of them explained by a status word the cues know (evidence.yaml
``cell_labels``); then every entry counts, "W | Withdrawn: ..." included.
"""

from __future__ import annotations

import re

from core.model import Block, Document, Table

from .cues import Cues
from .evidence import cell_label
from .vocab import fold

# A code: one to three capitals ("I", "IP", "NS"), one symbol ("✓", "◐"), or a capitalized
# word that is no status itself: a traffic light's colour ("Green – implemented; Amber – ...").
_CODE = r"(?:[A-Z]{1,3}|[A-Z][a-z]{2,9}|[^\w\s.,;:()\[\]=–—-])"
_CODE_CELL = re.compile(rf"^\s*({_CODE})\s*$")
# Where an explanation's label ends: a colon, a dash between spaces, a bracket, a full stop.
_LABEL_END = re.compile(r"\s*(?::|\s[–—-]\s|\(|\.(?:\s|$)|;)")
# In prose: "I = Implemented", "PI: Partially implemented", "✓ – Implemented", separated by
# semicolons, commas or line breaks.
_PROSE_ENTRY = re.compile(
    rf"(?:^|(?<=[;,\n])|(?<=[Ll]egend:)|(?<=\bKey:))\s*(?P<code>{_CODE})\s*(?:=|:|–|—|-)\s*"
    r"(?P<label>[A-Za-z][A-Za-z '-]{1,60}?)\s*(?=[;,\n.]|$)"
)
_MIN_ENTRIES = 2


def _label(explanation: str) -> str:
    """The status word an explanation opens with ("Implemented: OIAI has validated ...")."""
    text = fold(explanation).strip()
    end = _LABEL_END.search(text)
    return (text[: end.start()] if end else text).strip()


def _table_entries(table: Table) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for row in table.rows:
        cells = [c for c in row.cells if c.text.strip()]
        if len(cells) != 2:
            continue
        code = _CODE_CELL.match(cells[0].text)
        label = _label(cells[1].text)
        if code and label:
            out.append((code.group(1), label))
    return out


def _prose_entries(block: Block) -> list[tuple[str, str]]:
    return [(m.group("code"), m.group("label").strip()) for m in _PROSE_ENTRY.finditer(block.text)]


def _is_legend(entries: list[tuple[str, str]], cues: Cues) -> bool:
    """Two codes or more, at least half of them explained by a status word."""
    if len(entries) < _MIN_ENTRIES or len({c for c, _ in entries}) < len(entries):
        return False
    if any(len(c) > 3 and cell_label(c, cues) for c, _ in entries):
        return False  # "Implemented: ...; Open: ...": statuses explained, not codes
    known = sum(1 for _, label in entries if cell_label(label, cues))
    return 2 * known >= len(entries)


def codes(doc: Document, cues: Cues) -> dict[str, str]:
    """Code -> the status label the document's legend gives it (empty without a legend)."""
    out: dict[str, str] = {}
    for item in doc.items:
        entries = _table_entries(item) if isinstance(item, Table) else _prose_entries(item)
        if _is_legend(entries, cues):
            for code, label in entries:
                out.setdefault(code, label)
    return out


def read(raw: str | None, legend: dict[str, str]) -> str | None:
    """A status printed as a code of the legend is the legend's label; anything else as is."""
    if raw is None or not legend:
        return raw
    return legend.get(raw.strip(), raw)
