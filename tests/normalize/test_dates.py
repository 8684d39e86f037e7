from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.dates import deadline_from_label, deadline_from_text, parse_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The executive heads should, by the end of 2022, develop a policy", "2022-12-31"),
        ("should prepare, as a matter of priority and no later than 2023, a report", "2023-12-31"),
        ("should designate a focal point by June 2022", "2022-06-30"),
        ("should adopt the policy by 31 March 2023", "2023-03-31"),
        ("should adopt the policy by March 31, 2023", "2023-03-31"),
        ("In 2023, the executive heads should conduct an assessment", "2023-12-31"),
        ("Recommendation 5: In 2023, the executive heads should conduct", "2023-12-31"),
        ("should ensure that, by no later than January 2018, a comprehensive system", "2018-01-31"),
        ("should, at the latest by 2025, evaluate the effectiveness", "2025-12-31"),
        ("should make it mandatory for organizers to ensure, by December 2021, that", "2021-12-31"),
        ("should abolish first class travel by January 2019 and permit", "2019-01-31"),
        ("By the end of 2019, executive heads should ensure", "2019-12-31"),
        ("should by the end of February 2024 submit", "2024-02-29"),
        ("should, by the end of the first quarter of 2023, report", "2023-03-31"),
        ("should, by mid-2022, report", "2022-06-30"),
        ("should consolidate by the end of 2022 all investigations, and report from 2023",
         "2022-12-31"),
        ("should, with immediate effect, ensure that contracts are issued", None),
        ("should report on the implementation to their governing bodies from 2023.", None),
        ("initiated by the then Director General in 2006", None),
        ("should incorporate ERM into their meetings at least annually", None),
        ("should align with the strategic plan by 2022-2025", None),
        ("should be reviewed by Member States", None),
        ("", None),
    ],
)  # fmt: skip
def test_deadline_from_text(text: str, expected: str | None) -> None:
    assert deadline_from_text(text) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2022", "2022-12-31"),
        ("December 2021", "2021-12-31"),
        ("31 March 2023", "2023-03-31"),
        ("Q4 2022", "2022-12-31"),
        ("Q1-2023", "2023-03-31"),
        ("2023-03-31", "2023-03-31"),
        ("31/03/2023", "2023-03-31"),
        ("By the end of 2022", "2022-12-31"),
        ("Ongoing", None),
        ("31 February 2023", None),
        ("", None),
    ],
)
def test_deadline_from_label(label: str, expected: str | None) -> None:
    assert deadline_from_label(label) == expected


def test_stated_deadline_wins_over_wording() -> None:
    assert parse_deadline("should act by the end of 2022", "June 2023") == "2023-06-30"
    assert parse_deadline("should act by the end of 2022", "tbd") == "2022-12-31"
    assert parse_deadline("should act", None) is None


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_day_month_year_round_trips(day: date) -> None:
    month = calendar.month_name[day.month]
    assert deadline_from_text(f"should act by {day.day} {month} {day.year}.") == day.isoformat()
    assert deadline_from_text(f"should act by {month} {day.day}, {day.year}.") == day.isoformat()


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1, max_value=12))
def test_month_year_is_the_last_day_of_the_month(year: int, month: int) -> None:
    last = calendar.monthrange(year, month)[1]
    text = f"should, by {calendar.month_name[month]} {year}, act"
    assert deadline_from_text(text) == date(year, month, last).isoformat()


def test_month_words_come_from_the_stage_data_file() -> None:
    from core import datafile
    from normalize.dates import DATA, _DatesFile

    words = datafile.load(DATA, _DatesFile)
    assert words.months[9] == ["september", "sep", "sept"] and words.quarters["final"] == 4
    assert deadline_from_label("Sept. 2024") == "2024-09-30"


def test_a_dates_file_without_a_month_is_refused() -> None:
    from core import datafile
    from normalize.dates import _DatesFile

    text = "months:\n  1: [january]\nquarters: {first: 1}\n"
    with pytest.raises(datafile.DataFileError, match=r"^d\.yaml:1: months: .*\[2, 3"):
        datafile.parse(text, _DatesFile, "d.yaml")
