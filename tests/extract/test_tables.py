"""column_names: merged header cells resolved into one name per grid column."""

from __future__ import annotations

from core.model import Cell, Row
from extract.tables import COLUMN_JOINER, column_names, structural_header_rows


def two_level_header() -> list[Row]:
    return [
        Row(
            [
                Cell("Recommendation", 0, 0, col_span=2),
                Cell("Acceptance\nrecommendation", 0, 2, col_span=2),
                Cell("Comments", 0, 4, row_span=2),
            ]
        ),
        Row(
            [
                Cell("Executive Heads", 1, 0),
                Cell("Legislative", 1, 1),
                Cell("Accept", 1, 2),
                Cell("Not\nAccept", 1, 3),
            ]
        ),
        Row(
            [
                Cell("Recommendation 1", 2, 0, col_span=2),
                Cell("X", 2, 2),
                Cell("", 2, 3),
                Cell("text", 2, 4),
            ]
        ),
    ]


def test_spanning_label_prefixes_each_column_it_covers() -> None:
    names = column_names(two_level_header(), 2, 5)
    assert names == [
        "Recommendation / Executive Heads",
        "Recommendation / Legislative",
        "Acceptance recommendation / Accept",
        "Acceptance recommendation / Not Accept",
        "Comments",  # row-spanning cell named once, not 'Comments / Comments'
    ]
    assert all(COLUMN_JOINER in n for n in names[:4])


def test_unknown_header_rows_follow_the_structure() -> None:
    rows = two_level_header()
    assert structural_header_rows(rows) == 2
    assert column_names(rows, 0, 5) == column_names(rows, 2, 5)
    flat = [Row([Cell("A", 0, 0), Cell("B", 0, 1)]), Row([Cell("1", 1, 0), Cell("2", 1, 1)])]
    assert structural_header_rows(flat) == 1
    assert column_names(flat, 0, 2) == ["A", "B"]


def test_one_level_and_empty_cases() -> None:
    rows = two_level_header()
    assert column_names(rows, 1, 5)[:3] == [
        "Recommendation",
        "Recommendation",
        "Acceptance recommendation",
    ]
    assert column_names([], 0, 3) == ["", "", ""]
    assert column_names(rows, 2, 0) == []
    assert structural_header_rows(rows[:1]) == 0  # never every row
