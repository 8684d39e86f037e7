"""Status columns dated by their heads: a report that keeps each year's status side by side
("Status as at 31 December 2022 | Status as at 31 December 2023", ICAO's status of the External
Auditor's prior years' recommendations). Only the latest column is the status; the one before
it is the previous status (the scheme's ``previous_implementation``); older ones are history,
read by neither. Kept apart from the walk so the rule is one small pure function."""

from __future__ import annotations

import re

_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
PREVIOUS = "previous_implementation"
HISTORY = "status_history"


def dated_status_columns(typed: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
    """(first col, end col, field, header text) -> (first col, end col, field), with the
    implementation columns that name distinct years re-typed: the latest stays the status, the
    one before becomes the previous status, older ones history. One dated column, or two naming
    the same year, are left as they are (nothing says which is later)."""
    fields = [f for _, _, f, _ in typed]
    dated = sorted(
        (max(int(y) for y in _YEAR.findall(text)), i)
        for i, (_, _, f, text) in enumerate(typed)
        if f == "implementation" and _YEAR.search(text)
    )
    if len(dated) >= 2 and len({year for year, _ in dated}) == len(dated):
        for _, i in dated[:-2]:
            fields[i] = HISTORY
        fields[dated[-2][1]] = PREVIOUS
    return [(a, b, f) for (a, b, _, _), f in zip(typed, fields, strict=True)]
