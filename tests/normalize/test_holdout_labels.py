"""The held-out documents' status labels (tests/gold_holdout.csv, explained in
corpus/holdout/SOURCES.md) through the vocabulary alone: would the normalizer map each label
as printed to the gold value if a recognizer handed it over? This splits the held-out misses
measured in tests/rectrack/test_holdout_accuracy.py into "not recognized" and "not mapped".

A label the vocabulary does not map yet is ``xfail(strict=True)``; the mark goes when it maps.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from normalize.labels import match_label
from normalize.vocabulary import Vocabulary
from tests.gold_real import gold_rows

GOLD = Path(__file__).resolve().parents[1] / "gold_holdout.csv"
QUALIFIED = (
    "a status label followed by a qualifier ('Completed' + 'to planned scope' [+ 'in <date>']) "
    "is not matched: the vocabulary maps whole labels and '<label> in [<month>] <year>'"
)
ON_TRACK = (
    "'On track for completion by <date>' (a schedule phrase that means in progress, with an "
    "optional parenthesised note) is not in the vocabulary"
)
NOT_OPERATIONALIZED = (
    "'Recommendation not operationalized as <reason>' (closed without implementation, with a "
    "reason clause) is not in the vocabulary"
)


def _cases() -> list[tuple[str, str, str, str]]:
    """(agency, label, gold implementation, gold year when the label itself prints one)."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    for g in gold_rows(GOLD):
        label = g["implementation_raw"]
        if label and label not in seen:
            year = g["completed_year"] if re.search(r"\b\d{4}\b", label) else ""
            if g["implementation"] != "implemented":
                year = ""
            seen[label] = (g["agency"], label, g["implementation"], year)
    return list(seen.values())


MAPS_TODAY = {
    # The scheme's rule: a label no rule maps is `unknown`; the gold agrees for this one.
    "The United Nations Office of Legal Affairs is leading efforts to recover the funds "
    "from the S3i investments",
}


def _param(case: tuple[str, str, str, str]) -> object:
    label = case[1]
    if label in MAPS_TODAY:
        return pytest.param(*case, id=label[:40])
    if label.startswith("On track"):
        reason = ON_TRACK
    elif "not operationalized" in label:
        reason = NOT_OPERATIONALIZED
    else:
        reason = QUALIFIED
    return pytest.param(*case, id=label[:40], marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize(("agency", "label", "value", "year"), [_param(c) for c in _cases()])
def test_held_out_label_maps_to_the_gold(
    vocab: Vocabulary, agency: str, label: str, value: str, year: str
) -> None:
    found = match_label(label, vocab.tables_for("implementation", agency))
    got = (found.value, found.year) if found is not None else ("unknown", None)
    assert got == (value, int(year) if year else None)
