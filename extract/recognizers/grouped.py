"""A table grouped by its first column: the responsible division or office written once, the
recommendations it owns in the rows beneath with that cell left blank (ESCAP's follow-up of an
evaluation: "Division of Administration | 2 | ... " then " | 5 | ..."). A merged cell read as
one cell over its first row gives the same blanks. The blank means "the same as above", so a
row's record inherits the last value of that column.

Only a first column whose header names the responsible is read so: a blank first cell of any
other column (a number, a review) is a continuation or a gap, never a repetition."""

from __future__ import annotations

from core.model import Cell

from .vocab import fold

GROUPED_FIELDS = frozenset({"responsible"})


class GroupColumn:
    """The last value of each table's grouping first column, as the rows go by."""

    def __init__(self) -> None:
        self._last: dict[int, str] = {}

    def value(
        self, table: int, header: list[tuple[int, int, str]], cells: tuple[Cell, ...]
    ) -> str | None:
        """The grouping value for this row: its own first cell, else the one above it; None
        when the table's first column is no grouping column."""
        first = next((f for start, _, f in header if start == 0), None)
        if first not in GROUPED_FIELDS:
            return None
        own = next((c for c in cells if c.col == 0 and c.text.strip()), None)
        if own is not None:
            self._last[table] = fold(own.text)
            return None  # read from the cell itself, like any other
        return self._last.get(table)
