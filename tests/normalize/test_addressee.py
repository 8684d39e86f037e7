from __future__ import annotations

import pytest

from normalize.addressee import infer_addressee, stated_addressee
from normalize.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The executive heads of the United Nations system organizations should, by the end of "
         "2023, review their business continuity management framework", "executive_head"),
        ("The legislative organs and governing bodies of the United Nations system organizations "
         "that have not yet done so should, by the end of 2022, direct the executive heads to "
         "embed environmental sustainability", "legislative_body"),
        ("The legislative or governing bodies of the United Nations system organizations should "
         "request the executive heads of their respective organizations", "legislative_body"),
        ("In order to fulfil their oversight roles and responsibilities, legislative/governing "
         "bodies should incorporate ERM into their meetings at least annually", "legislative_body"),
        ("By the end of 2021, executive heads should undertake a comprehensive review",
         "executive_head"),
        ("Executive heads should, by the end of 2021, revise the 2012 Agreement",
         "executive_head"),
        ("In 2023, the executive heads of the United Nations system organizations should conduct "
         "an internal management assessment", "executive_head"),
        ("The Secretary-General, in consultation with the executive heads of the United Nations "
         "system organizations, with support from the International Telecommunication Union, "
         "should assign, by the end of 2021, to a United Nations representative", "other"),
        ("By the end of 2021, members of the High-level Committee on Management of the Chief "
         "Executives Board for Coordination should ensure that its Cross-Functional Task Force",
         "executive_head"),
        ("The executive heads of the United Nations system organizations, in their capacity as "
         "members of the United Nations System Chief Executives Board for Coordination, should "
         "direct the High-level Committee on Management", "executive_head"),
        ("Recommendation 2: The governing bodies of the United Nations system organizations "
         "should ensure that", "legislative_body"),
        ("The Executive Heads of the United Nations system organizations, through the "
         "Inter-Agency Security Management Network, should ensure", "executive_head"),
        ("Clarify roles and responsibilities. Several interviewees expressed a need", "unknown"),
        ("The organizations should review their policies", "unknown"),
        ("", "unknown"),
    ],
)  # fmt: skip
def test_infers_addressee_from_subject_of_should(vocab: Vocabulary, text: str, value: str) -> None:
    assert infer_addressee(text, vocab) == value


def test_only_the_subject_counts(vocab: Vocabulary) -> None:
    # "executive heads" after "should" is the object, not the addressee.
    text = "The governing bodies should request the executive heads to report."
    assert infer_addressee(text, vocab) == "legislative_body"


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("LB", "legislative_body"),
        ("eh", "executive_head"),
        ("Executive heads", "executive_head"),
        ("Legislative/Governing bodies", "legislative_body"),
        ("JIU RECOMMENDATIONS ADDRESSED TO THE EXECUTIVE HEAD OF WIPO", "executive_head"),
        ("Recommendations addressed to the UN Secretary-General", "other"),
    ],
)
def test_stated_addressee(vocab: Vocabulary, label: str, value: str) -> None:
    found = stated_addressee(label, vocab, None)
    assert found is not None and found.value == value


def test_unstated_label_is_not_mapped(vocab: Vocabulary) -> None:
    assert stated_addressee("Annex IV", vocab, None) is None
