"""Deadlines stated by a recommendation, as ISO dates.

Decisions (a deadline is the last day by which the action is due):

* "by the end of 2022", "no later than 2023", "by 2025", "at the latest by 2025" -> the year's
  last day (2022-12-31, 2023-12-31, 2025-12-31);
* "by June 2022", "by no later than January 2018", "by the end of March 2023" -> the month's
  last day (2022-06-30, 2018-01-31, 2023-03-31);
* "by 31 March 2023", "by March 31, 2023" -> that day;
* "by the end of the first quarter of 2023" -> the quarter's last day (2023-03-31);
  "by mid-2022" -> 2022-06-30;
* a recommendation that opens with its year, "In 2023, the executive heads ... should" or
  "During 2023, ...", is due within that year -> 2023-12-31. Only at the opening: a year
  mentioned later ("adopted in 2006") is history, not a deadline;
* several deadlines: the first one in the text (the main action's, in JIU wording);
* no cue ("with immediate effect", "from 2023", "annually") -> None. Nothing is invented.

A year range ("by 2020-2021") or a year outside 1990-2100 is not read as a deadline. The month
and quarter words are data (``data/dates.yaml``), read once by :mod:`core.datafile`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from core import datafile
from core.datafile import Strict
from core.text import fold

DATA = Path(__file__).resolve().parent / "data" / "dates.yaml"

_Word = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1)]


class _DatesFile(Strict):
    """The schema of ``data/dates.yaml``: month and quarter words."""

    months: dict[Annotated[int, Field(ge=1, le=12)], list[_Word]]
    quarters: dict[_Word, Annotated[int, Field(ge=1, le=4)]]

    @field_validator("months")
    @classmethod
    def _every_month(cls, months: dict[int, list[str]]) -> dict[int, list[str]]:
        missing = sorted(set(range(1, 13)) - set(months))
        if missing:
            raise ValueError(f"months {missing} have no names")
        return months


_DATES = datafile.load(DATA, _DatesFile)
_MONTHS = {name: number for number, names in _DATES.months.items() for name in names}
_QUARTERS = dict(_DATES.quarters)

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20|21)\d{2})(?![\d])(?!\s*[-–/]\s*\d)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

# Date expressions, most specific first; each must match where the cue leaves off.
_EXPRESSIONS = [
    re.compile(rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
    re.compile(
        rf"(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<quarter>{'|'.join(_QUARTERS)})\s+quarter"
        rf"\s+(?:of\s+)?{_YEAR}",
        re.I,
    ),
    re.compile(rf"(?P<mid>mid)[-\s]?{_YEAR}", re.I),
    re.compile(rf"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+year\s+)?{_MONTH}\s+{_YEAR}", re.I),
    re.compile(rf"(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+year\s+)?{_YEAR}", re.I),
    re.compile(rf"{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"(?:the\s+year\s+)?{_YEAR}", re.I),
]

# Words that introduce a deadline in running text.
_CUE = re.compile(
    r"\b(?:by|until|till|(?:by\s+)?(?:no|not)\s+later\s+than|at\s+the\s+latest\s+by|"
    r"before(?=\s+the\s+end\b)|(?:on\s+or\s+)?before(?=\s+\d{1,2}\s))\s+",
    re.I,
)
_RECOMMENDATION_NUMBER = re.compile(r"^\s*(?:recommendation|rec\.?)\s*\d+[a-z]?\s*[:.)-]?\s*", re.I)
_FRONTED_YEAR = re.compile(rf"^(?:in|during|within)\s+{_YEAR}\s*,", re.I)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_NUMERIC = re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})$")
_QUARTER_LABEL = re.compile(r"^q(?P<quarter>[1-4])[\s/-]*(?P<year>\d{4})$", re.I)


def _iso(year: int, month: int = 12, day: int | None = None) -> str | None:
    if not 1990 <= year <= 2100 or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last
    if not 1 <= day <= last:
        return None
    return date(year, month, day).isoformat()


def _from_groups(groups: dict[str, str | None]) -> str | None:
    year = int(groups.get("year") or 0)
    quarter_word = groups.get("quarter")
    if quarter_word:
        return _iso(year, 3 * _QUARTERS[quarter_word.lower()])
    if groups.get("mid"):
        return _iso(year, 6)
    month_word = groups.get("month")
    month = _MONTHS[month_word.lower().rstrip(".")] if month_word else None
    day_text = groups.get("day")
    day = int(day_text) if day_text else None
    return _iso(year, month or 12, day if month else None)


def _expression_at(text: str, pos: int) -> str | None:
    for expression in _EXPRESSIONS:
        found = expression.match(text, pos)
        if found is not None:
            return _from_groups(found.groupdict())
    return None


def deadline_from_text(text: str) -> str | None:
    """The first deadline a recommendation's wording sets, as an ISO date, or None."""
    if not text:
        return None
    text = _RECOMMENDATION_NUMBER.sub("", text, count=1)
    fronted = _FRONTED_YEAR.match(text)
    if fronted is not None:
        return _iso(int(fronted.group("year")))
    for cue in _CUE.finditer(text):
        found = _expression_at(text, cue.end())
        if found is not None:
            return found
    return None


def deadline_from_label(label: str) -> str | None:
    """A deadline cell ("2022", "December 2021", "31 March 2023", "Q4 2022", "2023-03-31",
    "31/03/2023", "By the end of 2022") as an ISO date, or None when it is not a date."""
    text = fold(label or "").strip(" .;,")
    if not text:
        return None
    for special in (_ISO, _NUMERIC):
        found = special.match(text)
        if found is not None:
            return _iso(int(found["year"]), int(found["month"]), int(found["day"]))
    quarter = _QUARTER_LABEL.match(text)
    if quarter is not None:
        return _iso(int(quarter["year"]), 3 * int(quarter["quarter"]))
    cue = _CUE.match(text)
    start = cue.end() if cue else 0
    for expression in _EXPRESSIONS:
        found = expression.match(text, start)
        if found is not None and found.end() == len(text):
            return _from_groups(found.groupdict())
    return deadline_from_text(text)


def parse_deadline(rec_text: str, deadline_raw: str | None = None) -> str | None:
    """The deadline of a recommendation: a stated deadline cell wins over the wording."""
    if deadline_raw and deadline_raw.strip():
        found = deadline_from_label(deadline_raw)
        if found is not None:
            return found
    return deadline_from_text(rec_text)
