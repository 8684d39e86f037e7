"""Counts as evidence: "n recommendations of this review are S".

A count table (rows keyed by a review symbol, counts under status headings such as "Under
consideration" or "Accepted / Implemented") and a counted sentence in prose ("The 10 formal
recommendations are under consideration") never make records; the resolver applies them to
recommendations read elsewhere when the number covers exactly those concerned."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.model import Cell, Row, Table

from .cues import Cues
from .evidence import cell_label
from .vocab import Vocab, fold


@dataclass
class CountStatement:
    """'All n recommendations of this review are S': applied by the resolver where n fits."""

    review: str | None
    count: int
    fields: dict[str, str]  # field -> label as printed ("Accepted" + "Implemented")
    page: int | None
    seq: float


def review_symbols(text: str, vocab: Vocab, cues: Cues) -> list[str]:
    """The oversight reports ``text`` cites, in order, once each: the JIU's symbols
    (headers.yaml), other bodies' (evidence.yaml: the Board's, OIOS's), and a governing body's
    symbol cited for an audit report ("Report of the External Auditor on ... (WFP/EB.A/...)")."""
    found = [m.group(1).upper() for m in vocab.review_symbol.finditer(text)]
    found += [re.sub(r"\s+", "", m.group(1)) for m in cues.other_review_symbols.finditer(text)]
    cited = cues.cited_review_symbol.finditer(text)
    found += [re.sub(r"\s+", "", m.group("symbol")) for m in cited]
    return list(dict.fromkeys(found))


_COUNT_CELL = re.compile(r"^\s*(?:\d{1,4}|[-–—])\s*(?:\(\d{1,3}\s*%?\)|\d{1,3}\s*%)?\s*$")


def count_table(table: Table, vocab: Vocab, cues: Cues) -> list[CountStatement]:
    """Rows keyed by a review symbol whose other cells are counts under status headings
    ("Under consideration", "Accepted / Implemented"): one statement per non-zero count.
    Such a table never gives records itself."""
    rows = table.rows
    first_data = None
    for i, row in enumerate(rows):
        cells = [c for c in row.cells if c.text.strip()]
        if not cells or not review_symbols(cells[0].text, vocab, cues):
            continue
        numeric = [c for c in cells[1:] if _COUNT_CELL.match(c.text)]
        if len(numeric) >= 2:
            first_data = i
            break
    if first_data is None:
        return []
    header_rows = rows[:first_data]
    out: list[CountStatement] = []
    for row in rows[first_data:]:
        cells = [c for c in row.cells if c.text.strip()]
        if not cells:
            continue
        symbols = review_symbols(cells[0].text, vocab, cues)
        if not symbols:
            continue
        for cell in cells[1:]:
            m = re.match(r"^\s*(\d{1,4})", cell.text)
            if not m or not _COUNT_CELL.match(cell.text) or int(m.group(1)) == 0:
                continue
            labels = _count_header(cell, header_rows, cues)
            if labels:
                out.append(CountStatement(symbols[0], int(m.group(1)), labels, row.prov.page, 0))
    return out


def _count_header(cell: Cell, header_rows: list[Row], cues: Cues) -> dict[str, str]:
    lo, hi = cell.col, cell.col + cell.col_span
    narrow: list[str] = []
    wide: list[str] = []
    for row in header_rows:
        for h in row.cells:
            a, b = h.col, h.col + h.col_span
            if not h.text.strip() or not (a < hi and lo < b):
                continue
            if lo <= a and b <= hi:
                narrow.append(fold(h.text))
            elif a <= lo and hi <= b and h.col_span <= 3 * cell.col_span:
                wide.append(fold(h.text))
    out: dict[str, str] = {}
    for text in [" ".join(narrow), *wide]:
        for f, v in cell_label(text, cues).items():
            out.setdefault(f, v)
    return out
