from __future__ import annotations

import pytest

from normalize.labels import LabelTable, Pattern, clean, collapse, label_key, match_label


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Accepted", "accepted"),
        ("  “Accepted”. ", "accepted"),
        ("'Not  started'", "not started"),
        ("(Implemented)", "implemented"),
        ("Closed – implemented", "closed - implemented"),
        ("Implemented (2021)", "implemented (2021)"),
        ("In\nprogress", "in progress"),
        ("N/A", "n/a"),
    ],
)
def test_clean(printed: str, expected: str) -> None:
    assert clean(printed) == expected


def test_label_key_ignores_all_whitespace() -> None:
    assert label_key("In\nprogres\ns") == label_key("In progress") == "inprogress"
    assert label_key("Require\ns\nfurther\nconside\nration") == "requiresfurtherconsideration"


def test_collapse_joins_lines_broken_after_a_hyphen() -> None:
    assert collapse("Secretary-\nGeneral") == "Secretary-General"
    assert collapse("Secretary- General") == "Secretary-General"
    assert collapse("Closed -\nimplemented") == "Closed - implemented"
    assert collapse("pre- and post-war") == "pre- and post-war"
    assert collapse("Completed in 2020 -\n2021") == "Completed in 2020 - 2021"


TABLE = LabelTable(
    labels={label_key("In progress"): ("in_progress", "In progress")},
    patterns=(Pattern.compile("implemented", r"^completed in (?P<year>\d{4})$"),),
)


def test_printed_label_is_kept_when_it_only_differs_by_case_or_punctuation() -> None:
    found = match_label("IN PROGRESS.", [TABLE])
    assert found is not None
    assert (found.value, found.raw) == ("in_progress", "IN PROGRESS.")


def test_canonical_label_is_kept_for_labels_broken_inside_words() -> None:
    found = match_label("In\nprogres\ns", [TABLE])
    assert found is not None
    assert (found.value, found.raw) == ("in_progress", "In progress")


def test_pattern_gives_year_and_first_sentence_is_the_raw_label() -> None:
    found = match_label("Completed in 2020. For details, see the Background Note.", [TABLE])
    assert found is not None
    assert (found.value, found.raw, found.year) == ("implemented", "Completed in 2020.", 2020)


def test_pattern_matches_line_broken_label() -> None:
    found = match_label("Compl\neted in\n2020", [TABLE])
    assert found is not None
    assert found.year == 2020


def test_unknown_label_is_not_matched() -> None:
    assert match_label("Maybe later", [TABLE]) is None
    assert match_label("   ", [TABLE]) is None


def test_earlier_table_wins() -> None:
    override = LabelTable(labels={label_key("In progress"): ("not_started", "In progress")})
    found = match_label("In progress", [override, TABLE])
    assert found is not None
    assert found.value == "not_started"
