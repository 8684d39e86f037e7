"""A format-free description of a document: paragraphs and tables with spans.

Layouts produce a plan; ``pdf.py`` and ``docx.py`` render it. Keeping the two apart means a
layout is written once and both formats show the same cells.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Literal

ParaKind = Literal["title", "heading", "annex", "body", "right", "small"]


@dataclass(frozen=True)
class PCell:
    text: str = ""
    span: int = 1  # grid columns covered
    bold: bool = False
    title: str | None = None  # bold paragraph printed before ``text``
    shade: bool = False
    center: bool = False
    mark: bool = False  # a tick: rendered in a font that has the glyph


@dataclass
class PTable:
    header: list[list[PCell]]
    body: list[list[PCell]]
    widths: list[float]  # relative column widths, one per grid column
    repeat_header: bool = True
    split_in_row: bool = False  # let one tall row run over a page break
    permutable: bool = False  # columns may be reordered (no spans anywhere)
    fixed_leading: int = 0  # leading columns that stay in place when permuting

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    def check(self) -> None:
        for row in [*self.header, *self.body]:
            if sum(c.span for c in row) != self.n_cols:
                raise ValueError(f"row covers {sum(c.span for c in row)} of {self.n_cols} cols")


@dataclass(frozen=True)
class PPara:
    text: str
    kind: ParaKind = "body"


@dataclass(frozen=True)
class PBreak:
    """Start a new page."""


Item = PPara | PTable | PBreak


@dataclass
class Plan:
    items: list[Item] = field(default_factory=list)
    header_text: str = ""  # running head printed on every page (PDF) / section header (DOCX)


def permute(table: PTable, seed: int) -> PTable:
    """Reorder a permutable table's columns (after ``fixed_leading``) by ``seed``."""
    if not table.permutable:
        return table
    head = list(range(table.fixed_leading))
    tail = list(range(table.fixed_leading, table.n_cols))
    random.Random(seed).shuffle(tail)
    order = head + tail

    def reorder(rows: list[list[PCell]]) -> list[list[PCell]]:
        # a row of one cell across the table (a group heading) stays as it is
        return [row if len(row) == 1 else [row[i] for i in order] for row in rows]

    return replace(table, header=reorder(table.header), body=reorder(table.body),
                   widths=[table.widths[i] for i in order])


def jitter(table: PTable, seed: int, amount: float = 0.3) -> PTable:
    """Vary column widths by up to ``amount`` of each, keeping their sum."""
    rng = random.Random(seed)
    widths = [w * (1 + rng.uniform(-amount, amount)) for w in table.widths]
    total = sum(widths)
    return replace(table, widths=[w * sum(table.widths) / total for w in widths])
