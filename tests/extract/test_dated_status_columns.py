"""Status columns dated by their heads: the latest is the status, the one before the previous
status, older ones history (extract/recognizers/dated.py)."""

from __future__ import annotations

from extract.recognizers.dated import HISTORY, PREVIOUS, dated_status_columns


def test_the_latest_year_is_the_status_whatever_the_order() -> None:
    typed = [(0, 1, "rec_number", "no."),
             (1, 2, "implementation", "status as at 31 december 2023"),
             (2, 3, "implementation", "status as at 31 december 2021"),
             (3, 4, "implementation", "status as at 31 december 2022"),
             (4, 5, "comment", "comments")]
    assert [f for _, _, f in dated_status_columns(typed)] == [
        "rec_number", "implementation", HISTORY, PREVIOUS, "comment"]


def test_one_dated_column_or_the_same_year_twice_is_left_alone() -> None:
    one = [(0, 1, "implementation", "status as at june 2023"), (1, 2, "comment", "comments")]
    same = [(0, 1, "implementation", "status (2023)"), (1, 2, "implementation", "update 2023")]
    undated = [(0, 1, "implementation", "status"), (1, 2, "implementation", "progress")]
    for typed in (one, same, undated):
        assert [f for _, _, f in dated_status_columns(typed)] == [f for _, _, f, _ in typed]
