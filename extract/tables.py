"""Format-independent helpers on the model's tables, shared by the PDF and DOCX readers."""

from __future__ import annotations

from core.model import Cell, Row
from core.text import fold

COLUMN_JOINER = " / "  # "Acceptance recommendation / Accept": outer header first
MAX_STRUCTURAL_HEADER_ROWS = 3

def cell_grid(rows: list[Row], n_cols: int) -> list[list[Cell | None]]:
    """Cell covering each (row, grid column), following row *and* column spans."""
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in rows]
    for r, row in enumerate(rows):
        for cell in row.cells:
            for rr in range(r, min(r + max(cell.row_span, 1), len(rows))):
                for cc in range(max(cell.col, 0), min(cell.col + max(cell.col_span, 1), n_cols)):
                    if grid[rr][cc] is None:
                        grid[rr][cc] = cell
    return grid


def structural_header_rows(rows: list[Row]) -> int:
    """Header rows when nothing marks them: the first row, plus each following row while the
    row above it has a horizontally merged cell (a group label needs the row below to name
    its columns), at most three and never every row."""
    if len(rows) < 2:
        return 0
    count = 1
    while count < min(MAX_STRUCTURAL_HEADER_ROWS, len(rows) - 1) and any(
        c.col_span > 1 for c in rows[count - 1].cells
    ):
        count += 1
    return count


def column_names(rows: list[Row], header_rows: int, n_cols: int) -> list[str]:
    """One name per grid column from the header rows: the texts of the cells covering the
    column, top to bottom, whitespace collapsed, joined by ``" / "``; a merged cell names
    every column it spans and a text repeated down the column (row-spanning cell) appears
    once. ``header_rows == 0`` means unknown: :func:`structural_header_rows` decides."""
    if n_cols <= 0:
        return []
    if header_rows <= 0:
        header_rows = structural_header_rows(rows)
    header = rows[: min(header_rows, len(rows))]
    grid = cell_grid(header, n_cols)
    names: list[str] = []
    for col in range(n_cols):
        parts: list[str] = []
        seen: set[int] = set()
        for r in range(len(header)):
            cell = grid[r][col]
            if cell is None or id(cell) in seen:
                continue
            seen.add(id(cell))
            text = fold(cell.text)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(COLUMN_JOINER.join(parts))
    return names
