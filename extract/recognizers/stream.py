"""A document as one stream of units in reading order: paragraphs, and table rows with their
cells. A table row holding a single text across (most of) the table (a section row, a
one-column table) is read like a paragraph; other rows keep their cells with row and
column, so evidence can be typed by column. Tables that only repeat text already read (a
reader's nested copy of a cell) are left out, so nothing is read twice."""

from __future__ import annotations

from dataclasses import dataclass

from core.model import Block, Cell, Document, Prov, Row, Table

from .vocab import fold


@dataclass
class Unit:
    text: str
    prov: Prov
    seq: int  # position in the stream
    block: Block | None = None
    table: Table | None = None
    row: Row | None = None
    cells: tuple[Cell, ...] = ()  # non-empty cells of a multi-cell row

    @property
    def is_row(self) -> bool:
        return bool(self.cells)

    @property
    def page(self) -> int | None:
        return self.prov.page


def _table_text(table: Table) -> str:
    return fold(" ".join(c.text for r in table.rows for c in r.cells))


def _repeats(table: Table, earlier: list[Table]) -> bool:
    """A one-column table whose whole text already stands in an earlier table of its page."""
    if table.n_cols > 1:
        return False
    text = _table_text(table)
    if not text:
        return True
    return any(t.page == table.page and t.n_cols > 1 and text in _table_text(t) for t in earlier)


def units(doc: Document, skip: set[int] | None = None) -> list[Unit]:
    """The stream; tables whose ``index`` is in ``skip`` are left out (read elsewhere)."""
    skip = skip or set()
    out: list[Unit] = []
    seen: list[Table] = []
    for item in doc.items:
        if isinstance(item, Block):
            if item.text.strip():
                out.append(Unit(item.text, item.prov, len(out), block=item))
            continue
        if item.index in skip or _repeats(item, seen):
            seen.append(item)
            continue
        seen.append(item)
        for row in item.rows:
            cells = tuple(sorted((c for c in row.cells if c.text.strip()), key=lambda c: c.col))
            if not cells:
                continue
            prov = (
                row.prov if row.prov.page is not None else (item.prov[0] if item.prov else Prov())
            )
            if len(cells) == 1 and 2 * cells[0].col_span >= item.n_cols:
                # a text across the table (a section row, a one-column table): a paragraph
                out.append(Unit(cells[0].text, prov, len(out), table=item, row=row))
            else:
                text = "\n".join(c.text for c in cells)
                out.append(Unit(text, prov, len(out), table=item, row=row, cells=cells))
    return out
