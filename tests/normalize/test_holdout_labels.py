"""The held-out documents' status labels (tests/gold_holdout.csv, explained in
corpus/holdout/SOURCES.md) through the vocabulary alone: would the normalizer map each label
as printed to the gold value if a recognizer handed it over? This splits the held-out misses
measured in tests/rectrack/test_holdout_accuracy.py into "not recognized" and "not mapped".

Each label maps: qualified labels ("Completed to planned scope [in <month> <year>]"), schedule
phrases ("On track for completion by <date>") and closures with a reason ("Recommendation not
operationalized as <reason>") are patterns of normalize/data/vocabulary.yaml; the one label no
scheme value fits (the Office of Legal Affairs sentence) is `unknown`, as the gold says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from normalize.labels import match_label
from normalize.vocabulary import Vocabulary
from tests.gold_real import gold_rows

GOLD = Path(__file__).resolve().parents[1] / "gold_holdout.csv"


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


def _param(case: tuple[str, str, str, str]) -> object:
    return pytest.param(*case, id=case[1][:40])


@pytest.mark.parametrize(("agency", "label", "value", "year"), [_param(c) for c in _cases()])
def test_held_out_label_maps_to_the_gold(
    vocab: Vocabulary, agency: str, label: str, value: str, year: str
) -> None:
    found = match_label(label, vocab.tables_for("implementation", agency))
    got = (found.value, found.year) if found is not None else ("unknown", None)
    assert got == (value, int(year) if year else None)
