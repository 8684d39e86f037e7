"""pdfplumber tables -> the model's tables; fragments split by page breaks joined again.

pdfplumber gives each cell's box; a merged cell is one box covering several grid slots (its
``extract()`` puts None in the covered slots). We map every box onto the grid of distinct
cell edges to get ``row``/``col`` and spans, so a merged cell appears once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pdfplumber import utils

from core.model import BBox, Cell, Prov, Row, Table

from .pdf_config import PdfSettings
from .pdf_layout import is_bold, masked
from .tables import column_names

EDGE_TOLERANCE = 1.0  # points: cell edges closer than this are one grid line
_SPACE = re.compile(r"\s+")
_CONTINUING = re.compile(r"[a-z][a-z]+\b(?![.)])")


@dataclass
class Fragment:
    """A table as found on one page, with what joining it to its neighbours needs."""

    table: Table
    page: int
    bbox: BBox
    col_edges: list[float]
    page_height: float
    row_bold: list[float] = field(default_factory=list)  # share of bold chars per row
    at_page_start: bool = False  # nothing but running headers above it
    at_page_end: bool = False  # nothing but running footers/footnotes below, near the foot
    ruled: bool = True  # False: read by extract.pdf_unruled; col_edges are column left edges


def _edges(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    """Index of the grid line nearest ``value``."""
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def fragment(
    cells: Sequence[tuple[float, float, float, float]],
    chars: Sequence[dict[str, Any]],
    page: int,
    page_height: float,
) -> Fragment | None:
    """One table on one page from pdfplumber's cell boxes and the page's chars."""
    if not cells:
        return None
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 1 or n_rows < 1:
        return None
    owner: dict[tuple[int, int], int] = {}
    placed: list[tuple[int, int, int, int]] = []  # row, col, row_span, col_span
    for i, (x0, top, x1, bottom) in enumerate(cells):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            placed.append((r0, c0, 0, 0))
            continue
        placed.append((r0, c0, r1 - r0, c1 - c0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), i)
    cell_chars: list[list[dict[str, Any]]] = [[] for _ in cells]
    row_chars = [0] * n_rows
    row_bold = [0] * n_rows
    x_min, y_min, x_max, y_max = xs[0], ys[0], xs[-1], ys[-1]
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        if not (x_min <= x < x_max and y_min <= y < y_max):
            continue
        r, c = bisect_right(ys, y) - 1, bisect_right(xs, x) - 1
        at = owner.get((r, c))
        if at is None:
            continue
        cell_chars[at].append(ch)
        if ch["text"].strip():
            row_chars[r] += 1
            row_bold[r] += is_bold(ch)
    rows = [
        Row(cells=[], prov=Prov(page, BBox(xs[0], ys[r], xs[-1], ys[r + 1]))) for r in range(n_rows)
    ]
    for i, (r, c, rs, cs) in enumerate(placed):
        if rs == 0:
            continue
        x0, top, x1, bottom = cells[i]
        text = utils.extract_text(cell_chars[i]) if cell_chars[i] else ""
        rows[r].cells.append(
            Cell(
                text=text,
                row=r,
                col=c,
                row_span=rs,
                col_span=cs,
                prov=Prov(page, BBox(x0, top, x1, bottom)),
            )
        )
    for row in rows:
        row.cells.sort(key=lambda cell: cell.col)
    bbox = BBox(xs[0], ys[0], xs[-1], ys[-1])
    table = Table(rows=rows, n_cols=n_cols, prov=[Prov(page, bbox)])
    shares = [b / n if n else 0.0 for b, n in zip(row_bold, row_chars, strict=True)]
    return Fragment(table, page, bbox, xs, page_height, shares)


def marked_header_rows(frag: Fragment, settings: PdfSettings) -> int:
    """Leading rows set in bold while a later row is not: the producer marked them."""
    count = 0
    for share in frag.row_bold:
        if share < settings.header_bold_share:
            break
        count += 1
    return count if count < len(frag.row_bold) else 0


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _texts(row: Row, n_cols: int) -> list[str]:
    return [_norm(t) for t in row.texts(n_cols)]


def _same_layout(a: Fragment, b: Fragment, tolerance: float) -> bool:
    return (
        a.ruled == b.ruled
        and len(a.col_edges) == len(b.col_edges)
        and all(abs(x - y) <= tolerance for x, y in zip(a.col_edges, b.col_edges, strict=True))
    )


def _label(row: Row, n_cols: int) -> str:
    first = next((t for t in _texts(row, n_cols) if t), "")
    return first


def _new_record_table(first: Row, head: Row, n_cols: int) -> bool:
    """'Recommendation 8' opening a fragment after a table opened by 'Recommendation 7':
    same label, other number -> a new table of the same form, not a continuation."""
    a, b = _label(first, n_cols), _label(head, n_cols)
    return (
        a != b
        and bool(re.search(r"[^\W\d_]", a))
        and bool(re.search(r"\d", a))
        and masked(a) == masked(b)
        and _texts(first, n_cols) != _texts(head, n_cols)
    )


def continues(prev: Fragment, frag: Fragment, table: Table, settings: PdfSettings) -> bool:
    """Does ``frag`` continue ``table`` (whose last fragment is ``prev``)?"""
    return (
        frag.page == prev.page + 1
        and prev.at_page_end
        and frag.at_page_start
        and _same_layout(prev, frag, settings.column_tolerance)
        and bool(frag.table.rows)
        and not _new_record_table(frag.table.rows[0], table.rows[0], table.n_cols)
    )


def _repeated_header(rows: list[Row], table: Table) -> int:
    k = 0
    while (
        k < len(rows)
        and k < len(table.rows) - 1
        and _texts(rows[k], table.n_cols) == _texts(table.rows[k], table.n_cols)
        and any(_texts(rows[k], table.n_cols))
    ):
        k += 1
    return k


def _split_row(row: Row, prev: Row, n_cols: int) -> bool:
    """The continuation's first row is the rest of ``prev``, cut by the page break: each of
    its texts lands on a cell of ``prev``, and either its first cell is empty where
    ``prev``'s is not, or its first cell goes on with a lower-case word (a sentence in the
    label column carrying on; 'a)' or 'iv.' do not count)."""
    texts = _texts(row, n_cols)
    before = _texts(prev, n_cols)
    if not before[0] or not any(texts):
        return False
    if not all(prev.cell_at(c.col) is not None for c in row.cells if _norm(c.text)):
        return False
    return not texts[0] or bool(_CONTINUING.match(texts[0]))


def _join_row(prev: Row, row: Row) -> None:
    for cell in row.cells:
        if not _norm(cell.text):
            continue
        target = prev.cell_at(cell.col)
        if target is None:
            continue
        target.text = f"{target.text}\n{cell.text}" if target.text.strip() else cell.text


def append(table: Table, frag: Fragment) -> None:
    """Join a continuation: drop its repeated header rows, glue a split row, add the rest."""
    rows = list(frag.table.rows)
    k = _repeated_header(rows, table)
    rows = rows[k:]
    table.header_rows = max(table.header_rows, k)
    if rows and table.rows and _split_row(rows[0], table.rows[-1], table.n_cols):
        _join_row(table.rows[-1], rows[0])
        rows = rows[1:]
    table.rows.extend(rows)
    table.prov.append(Prov(frag.page, frag.bbox))


def finish(table: Table, index: int) -> Table:
    """Final indices, header flags and column names."""
    table.index = index
    for r, row in enumerate(table.rows):
        row.is_header = r < table.header_rows
        for cell in row.cells:
            cell.row = r
            cell.is_header = row.is_header
    table.columns = column_names(table.rows, table.header_rows, table.n_cols)
    return table
