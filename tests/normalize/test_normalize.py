"""The stage's entry point: the scheme's rules, and the visible gold rebuilt from raw labels."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.model import BBox, Prov, RawRecord, Unmapped
from normalize import NormalizeConfig, VocabularyError, normalize

GOLD = Path(__file__).parents[1] / "gold_visible.csv"
TEXTS = Path(__file__).parent / "fixtures" / "gold_texts.yaml"


def _one(**fields: Any) -> tuple[Any, list[Unmapped]]:
    fields.setdefault("recognizer", "test")
    fields.setdefault("rec_number", 1)
    assessments, unmapped = normalize([RawRecord(**fields)], "WIPO")
    assert len(assessments) == 1
    return assessments[0], unmapped


@pytest.mark.parametrize(
    ("acceptance", "expected"),
    [
        ("Not relevant", "not_applicable"),
        ("Not accepted", "not_applicable"),
        ("Under consideration", "not_applicable"),
        ("Noted", "not_applicable"),
        ("For information only", "not_applicable"),
        ("Accepted", "unknown"),
        ("Partially accepted", "unknown"),
        (None, "unknown"),
    ],
)
def test_blank_implementation_follows_acceptance(acceptance: str | None, expected: str) -> None:
    for blank in (None, "", "  \n"):
        assessment, unmapped = _one(acceptance_raw=acceptance, implementation_raw=blank)
        assert assessment.implementation == expected
        assert assessment.implementation_raw is None
        assert unmapped == []  # blank is not a label


def test_unmapped_labels_are_reported_with_their_page_and_never_guessed() -> None:
    assessment, unmapped = _one(
        acceptance_raw="Accepted in principle subject to funding",
        implementation_raw="Almost\ndone",
        previous_raw="dormant",
        addressee_raw="Annex IV",
        prov=Prov(page=7),
    )
    assert assessment.acceptance == "unknown"
    assert assessment.acceptance_raw == "Accepted in principle subject to funding"
    assert assessment.implementation == "unknown"
    assert assessment.implementation_raw == "Almost done"
    assert assessment.previous_implementation == "unknown"
    assert assessment.addressee == "unknown"
    assert unmapped == [
        Unmapped("acceptance", "Accepted in principle subject to funding", 7),
        Unmapped("implementation", "Almost done", 7),
        Unmapped("addressee", "Annex IV", 7),
        Unmapped("previous_implementation", "dormant", 7),
    ]


def test_unreadable_prose_is_reported() -> None:
    assessment, unmapped = _one(acceptance_prose="A number of mechanisms exist. More text.")
    assert assessment.acceptance == "unknown"
    assert unmapped == [Unmapped("acceptance", "A number of mechanisms exist.", None)]


def test_label_wins_over_prose() -> None:
    assessment, _ = _one(acceptance_raw="Rejected", acceptance_prose="WIPO accepts this.")
    assert (assessment.acceptance, assessment.acceptance_raw) == ("not_accepted", "Rejected")


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        # As extract hands them over: the status without its "Previously" (headers.yaml).
        ("in progress", "in_progress"),
        ("not started", "not_started"),
        ("“under consideration”", "under_consideration"),
        ("implemented", "implemented"),
    ],
)
def test_previous_status(previous: str, expected: str) -> None:
    assessment, unmapped = _one(acceptance_raw="Accepted", previous_raw=previous)
    assert assessment.previous_implementation == expected
    assert unmapped == []


def test_fused_status_and_completed_year() -> None:
    assessment, _ = _one(
        acceptance_prose="UN-Women accepts this recommendation.",
        implementation_raw="Completed in 2020. For details on actions taken, see Background "
        "Note, Annual Session 2020.",
    )
    assert (assessment.acceptance, assessment.acceptance_raw) == ("accepted", "accepts")
    assert assessment.implementation == "implemented"
    assert assessment.implementation_raw == "Completed in 2020."
    assert assessment.completed_year == 2020


def test_line_broken_label_reports_the_canonical_label() -> None:
    assessment, unmapped = _one(acceptance_raw="Accept\ned", implementation_raw="In\nprogres\ns")
    assert (assessment.acceptance_raw, assessment.implementation_raw) == (
        "Accepted",
        "In progress",
    )
    assert unmapped == []


def test_stated_addressee_wins_over_wording() -> None:
    text = "The executive heads of the United Nations system organizations should act."
    assessment, _ = _one(rec_text=text, addressee_raw="LB")
    assert assessment.addressee == "legislative_body"
    assessment, _ = _one(rec_text=text)
    assert assessment.addressee == "executive_head"


def test_fields_are_carried_through() -> None:
    box = BBox(10, 20, 300, 400)
    assessment, _ = _one(
        recognizer="wipo-annex",
        rec_number=4,
        rec_text="Executive heads should, by the end of 2021, revise the 2012 Agreement.",
        review_symbol="JIU/REP/2019/8",
        review_title="Review of the state of the investigation function",
        responsible="D/HRMD",
        comment="No change from previous status",
        acceptance_raw="Accepted",
        implementation_raw="Not started",
        prov=Prov(page=12, bbox=box),
    )
    assert assessment.review_symbol == "JIU/REP/2019/8"
    assert assessment.rec_number == 4
    assert assessment.review_title == "Review of the state of the investigation function"
    assert assessment.rec_text.startswith("Executive heads should")
    assert (assessment.responsible, assessment.comment) == (
        "D/HRMD",
        "No change from previous status",
    )
    assert (assessment.page, assessment.bbox, assessment.recognizer) == (12, box, "wipo-annex")
    assert assessment.deadline == "2021-12-31"
    assert assessment.implementation == "not_started"


def test_review_without_symbol_gets_a_slug() -> None:
    records = [
        RawRecord("t", 1, review_title="Independent victim-centred review"),
        RawRecord("t", 2),
    ]
    assessments, _ = normalize(records, "UN-Women")
    assert [a.review_symbol for a in assessments] == [
        "UN-Women:independent-victim-centred-review",
        "UN-Women:untitled",
    ]


def test_empty_input() -> None:
    assert normalize([], "ITU") == ([], [])


def test_bad_vocabulary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text("acceptance:\n  labels:\n    approved: [Approved]\n", encoding="utf-8")
    with pytest.raises(VocabularyError):
        normalize([RawRecord("t", 1)], "WIPO", NormalizeConfig(vocabulary_path=path))


def _gold_cases() -> list[tuple[dict[str, str], dict[str, Any]]]:
    gold = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    texts = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    assert len(gold) == len(texts)
    for row, text in zip(gold, texts, strict=True):
        assert (row["agency"], row["review"], int(row["number"])) == (
            text["agency"],
            text["review"],
            text["number"],
        )
    return list(zip(gold, texts, strict=True))


def _raw_record(row: dict[str, str], text: dict[str, Any]) -> RawRecord:
    prose = text.get("acceptance_prose")
    return RawRecord(
        recognizer="gold",
        rec_number=int(row["number"]),
        rec_text=text["text"],
        review_symbol=row["review"] or None,
        acceptance_raw=None if prose else text.get("acceptance_raw", row["acceptance_raw"] or None),
        acceptance_prose=prose,
        implementation_raw=text.get("implementation_raw", row["implementation_raw"] or None),
        previous_raw=text.get("previous_raw"),
        responsible=row["responsible"] or None,
    )


@pytest.mark.parametrize(
    ("row", "text"),
    _gold_cases(),
    ids=lambda v: f"{v['agency']}-{v['review']}-{v['number']}" if "agency" in v else "",
)
def test_visible_gold(row: dict[str, str], text: dict[str, Any]) -> None:
    assessments, unmapped = normalize([_raw_record(row, text)], row["agency"])
    got = assessments[0]
    assert unmapped == []
    assert got.addressee == (row["addressee"] or "unknown")
    assert got.acceptance == row["acceptance"]
    assert got.implementation == row["implementation"]
    if "acceptance_raw" in text:  # the gold leaves it out; the printed label is kept
        assert got.acceptance_raw == (
            "For information only. Recommendation is addressed to the UN Secretary-General"
        )
    else:
        assert got.acceptance_raw == (row["acceptance_raw"] or None)
    assert got.implementation_raw == (row["implementation_raw"] or None)
    assert got.previous_implementation == (row["previous_implementation"] or None)
    assert got.completed_year == (int(row["completed_year"]) if row["completed_year"] else None)
    assert got.responsible == (row["responsible"] or None)
    assert got.rec_text.startswith(row["text_start"])
    if row["review"]:
        assert got.review_symbol == row["review"]
    else:
        assert got.review_symbol.startswith(f"{row['agency']}:")
