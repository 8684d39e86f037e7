"""The vocabulary file against the scheme (docs/status-scheme.md, lists copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from normalize.config import DEFAULT_VOCABULARY
from normalize.errors import NormalizeError, VocabularyError
from normalize.labels import label_key, match_label
from normalize.prose import read_acceptance
from normalize.vocabulary import Vocabulary, load_vocabulary, parse_vocabulary

# The scheme's values, copied from docs/status-scheme.md.
SPEC_VALUES = {
    "acceptance": {
        "accepted", "partially_accepted", "not_accepted", "under_consideration",
        "not_relevant", "noted", "not_applicable", "unknown",
    },
    "implementation": {
        "not_started", "in_progress", "implemented", "closed_unimplemented",
        "not_applicable", "unknown",
    },
    "addressee": {"legislative_body", "executive_head", "other", "unknown"},
}  # fmt: skip

# Every raw label docs/status-scheme.md lists, with the value it must map to.
SPEC_ACCEPTANCE_LABELS = [
    ("Accepted", "accepted"),
    ("Accept", "accepted"),
    ("Partially accepted", "partially_accepted"),
    ("Partially agreed", "partially_accepted"),
    ("Not Accept", "not_accepted"),
    ("Not accepted", "not_accepted"),
    ("Rejected", "not_accepted"),
    ("Not agreed", "not_accepted"),
    ("Requires further consideration", "under_consideration"),
    ("Under consideration", "under_consideration"),
    ("Pending decision", "under_consideration"),
    ("Not relevant", "not_relevant"),
    ("Not Relevant", "not_relevant"),
    ("Not applicable to UN-Women", "not_relevant"),
    ("Not applicable to WIPO", "not_relevant"),
    (
        "For information only. Recommendation is addressed to the UN Secretary-General",
        "not_applicable",
    ),
]
SPEC_ACCEPTANCE_PROSE = [
    ("UN-Women accepts this recommendation", "accepted"),
    ("UN-Women takes note of this recommendation", "noted"),
]
SPEC_IMPLEMENTATION_LABELS = [
    ("Not started", "not_started"),
    ("Not Started", "not_started"),
    ("Not yet initiated", "not_started"),
    ("Not initiated", "not_started"),
    ("In progress", "in_progress"),
    ("Under implementation", "in_progress"),
    ("Ongoing", "in_progress"),
    ("Initiated", "in_progress"),
    ("Implemented", "implemented"),
    ("Completed", "implemented"),
    ("Completed in 2020", "implemented"),
    ("Closed - implemented", "implemented"),
    ("No longer applicable", "closed_unimplemented"),
    ("Overtaken by events", "closed_unimplemented"),
    ("Closed without implementation", "closed_unimplemented"),
]
SPEC_ADDRESSEE_LABELS = [("LB", "legislative_body"), ("EH", "executive_head")]


def _targets(section: dict) -> set[str]:
    out: set[str] = set()
    for part in ("labels", "patterns"):
        out |= set((section or {}).get(part) or {})
    return out


def test_every_target_in_the_file_is_a_scheme_value() -> None:
    data = yaml.safe_load(DEFAULT_VOCABULARY.read_text(encoding="utf-8"))
    for section, allowed in SPEC_VALUES.items():
        assert _targets(data[section]) <= allowed, section
        for agency, sections in (data.get("agencies") or {}).items():
            assert _targets(sections.get(section)) <= allowed, (agency, section)
    assert set(data["prose"]) <= SPEC_VALUES["acceptance"]
    assert set(data["subjects"]) <= SPEC_VALUES["addressee"]


def test_loaded_tables_only_target_scheme_values(vocab: Vocabulary) -> None:
    for section, table in vocab.tables.items():
        assert table.values() <= SPEC_VALUES[section]
        # `unknown` means "no rule maps it": a label mapped to it would vanish from reports.
        assert "unknown" not in table.values()


@pytest.mark.parametrize(("label", "value"), SPEC_ACCEPTANCE_LABELS)
def test_spec_acceptance_labels(vocab: Vocabulary, label: str, value: str) -> None:
    found = match_label(label, vocab.tables_for("acceptance"))
    assert found is not None and found.value == value


@pytest.mark.parametrize(("text", "value"), SPEC_ACCEPTANCE_PROSE)
def test_spec_acceptance_prose(vocab: Vocabulary, text: str, value: str) -> None:
    found = read_acceptance(text, vocab)
    assert found is not None and found.value == value


@pytest.mark.parametrize(("label", "value"), SPEC_IMPLEMENTATION_LABELS)
def test_spec_implementation_labels(vocab: Vocabulary, label: str, value: str) -> None:
    found = match_label(label, vocab.tables_for("implementation"))
    assert found is not None and found.value == value


@pytest.mark.parametrize(("label", "value"), SPEC_ADDRESSEE_LABELS)
def test_spec_addressee_labels(vocab: Vocabulary, label: str, value: str) -> None:
    found = match_label(label, vocab.tables_for("addressee"))
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    ("section", "label", "value"),
    [
        ("acceptance", "Agreed", "accepted"),
        ("acceptance", "“Accepted”", "accepted"),
        ("acceptance", "ACCEPTED.", "accepted"),
        ("acceptance", "Require\ns\nfurther\nconside\nration", "under_consideration"),
        ("acceptance", "Not applicable to ITU", "not_relevant"),
        ("implementation", "Implem\nented", "implemented"),
        ("implementation", "In\nprogres\ns", "in_progress"),
        ("implementation", "Implemented (2021)", "implemented"),
        ("implementation", "Completed in March 2020", "implemented"),
        ("implementation", "Closed – implemented", "implemented"),
        ("implementation", "Not yet initiated", "not_started"),
        ("implementation", "On-going", "in_progress"),
        ("addressee", "Executive head", "executive_head"),
        ("addressee", "Legislative/governing body", "legislative_body"),
        (
            "addressee",
            "JIU RECOMMENDATIONS ADDRESSED TO THE LEGISLATIVE BODIES OF JIU PARTICIPATING "
            "ORGANIZATIONS – STATUS AS AT MARCH 31, 2022",
            "legislative_body",
        ),
        (
            "addressee",
            "JIU RECOMMENDATIONS ADDRESSED TO THE EXECUTIVE HEAD OF WIPO – STATUS AS AT "
            "MARCH 31, 2022",
            "executive_head",
        ),
    ],
)
def test_real_document_variants(vocab: Vocabulary, section: str, label: str, value: str) -> None:
    found = match_label(label, vocab.tables_for(section))
    assert found is not None and found.value == value


@pytest.mark.parametrize("label", ["Not applicable", "Maybe", "Accepted with reservations by some"])
def test_labels_the_vocabulary_does_not_define_stay_unmapped(vocab: Vocabulary, label: str) -> None:
    assert match_label(label, vocab.tables_for("acceptance")) is None


@pytest.mark.parametrize("label", ["Implemented partly 2020", "Completed in 2020 - 2021", "Soon"])
def test_unlisted_implementation_labels_stay_unmapped(vocab: Vocabulary, label: str) -> None:
    assert match_label(label, vocab.tables_for("implementation")) is None


def test_year_comes_from_the_fused_status(vocab: Vocabulary) -> None:
    for label, year in [("Completed in 2020", 2020), ("Implemented (2021)", 2021),
                        ("Completed in March 2019.", 2019), ("Completed", None)]:  # fmt: skip
        found = match_label(label, vocab.tables_for("implementation"))
        assert found is not None and found.year == year, label


@pytest.mark.parametrize(
    ("label", "value", "year"),
    [
        # qualified labels: a scope qualifier between the status and its date
        ("Implemented within the agreed scope", "implemented", None),
        ("Completed in line with its planned scope in 2023", "implemented", 2023),
        ("Completed to the planned scope on 3 March 2021.", "implemented", 2021),
        # schedule phrases: the date is a target, not a completion year
        ("On track for implementation by the second quarter of 2026", "in_progress", None),
        ("On track to be completed in 2025.", "in_progress", None),
        ("Ontrack for completion by end 2024", "in_progress", None),  # a PDF's lost space
        # closed with a reason why nothing will be done
        (
            "Not operationalized because the programme was discontinued",
            "closed_unimplemented",
            None,
        ),
    ],
)
def test_qualified_and_schedule_labels_map_through_patterns(
    vocab: Vocabulary, label: str, value: str, year: int | None
) -> None:
    found = match_label(label, vocab.tables_for("implementation"))
    assert found is not None and (found.value, found.year) == (value, year)


@pytest.mark.parametrize(
    "label", ["Not operationalized", "On track", "Completed to planned scope in 2020 - 2021"]
)
def test_incomplete_qualified_labels_stay_unmapped(vocab: Vocabulary, label: str) -> None:
    """No reason for the closure, no schedule, a date range: nothing a pattern states."""
    assert match_label(label, vocab.tables_for("implementation")) is None


def test_unknown_scheme_value_is_refused() -> None:
    with pytest.raises(VocabularyError, match="not a scheme value"):
        parse_vocabulary({"acceptance": {"labels": {"acepted": ["Accepted"]}}})


def test_label_under_two_values_is_refused() -> None:
    data = {"implementation": {"labels": {"implemented": ["Done"], "in_progress": ["done."]}}}
    with pytest.raises(VocabularyError, match="maps to both"):
        parse_vocabulary(data)


def test_bad_regex_is_refused() -> None:
    with pytest.raises(VocabularyError, match="bad regex"):
        parse_vocabulary({"acceptance": {"patterns": {"accepted": ["(unclosed"]}}})


def test_missing_or_broken_file_is_a_normalize_error(tmp_path: Path) -> None:
    with pytest.raises(NormalizeError, match="cannot read"):
        load_vocabulary(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("acceptance: [unclosed", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not valid YAML"):
        load_vocabulary(broken)


def test_agency_override_comes_first() -> None:
    vocab = parse_vocabulary(
        {
            "implementation": {"labels": {"in_progress": ["Open"]}},
            "agencies": {"ITU": {"implementation": {"labels": {"not_started": ["Open"]}}}},
        }
    )
    assert match_label("Open", vocab.tables_for("implementation", "itu")).value == "not_started"  # type: ignore[union-attr]
    assert match_label("Open", vocab.tables_for("implementation", "WIPO")).value == "in_progress"  # type: ignore[union-attr]


def test_shipped_vocabulary_compiles_to_the_known_tables() -> None:
    shipped = load_vocabulary()
    assert shipped.tables["acceptance"].labels[label_key("Accepted")][0] == "accepted"
    assert "legislative_body" in shipped.subjects and shipped.prose["accepted"]
    # Quoted in the file: YAML would read on/no as booleans.
    assert "on" in shipped.fronting_words and "no" in shipped.fronting_words


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "acceptance:\n  labels:\n    acepted: [Accepted]\n",
            r"v\.yaml:3: acceptance\.labels\.acepted",
        ),
        (
            "acceptance:\n  lables:\n    accepted: [Accepted]\n",
            r"v\.yaml:2: acceptance\.lables: Extra",
        ),
        ("prose_fillers: [fully]\nfronting_words: {in: 1}\n", r"v\.yaml:2: fronting_words: "),
        ("fronting_words: [in, on]\n", r"v\.yaml:1: fronting_words\.1"),
        (
            "addressee:\n  patterns:\n    other:\n      - '(x'\n",
            r"v\.yaml:4: addressee\.patterns\.other\.0: .*bad regex",
        ),
        ("agencies:\n  ITU:\n    implementaton: {}\n", r"v\.yaml:3: agencies\.ITU\.implementaton"),
    ],
)
def test_a_mistake_is_named_by_file_line_and_key(text: str, where: str) -> None:
    with pytest.raises(VocabularyError, match="^" + where):
        parse_vocabulary(text, "v.yaml")
