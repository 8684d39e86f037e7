"""Joining a PDF's hard line breaks: words broken at a line end are rejoined, compounds keep
their hyphen, lists stay lists."""

from __future__ import annotations

import pytest

from normalize.text import join_lines, words


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        (
            "The executive heads\nshould review the\npolicy.",
            "The executive heads should review the policy.",
        ),
        ("ensure the imple-\nmentation of", "ensure the implementation of"),
        ("a re-\nsponsible officer", "a responsible officer"),
        ("the organi-\nzation's", "the organization's"),
        # real compounds broken at the line end keep their hyphen (all seen in the corpus)
        ("a follow-\nup report", "a follow-up report"),
        ("decision-\nmaking bodies", "decision-making bodies"),
        ("cross-\nborder data", "cross-border data"),
        ("victim-\ncentred approach", "victim-centred approach"),
        ("day-\nto-day work", "day-to-day work"),
        ("third-\nparty providers", "third-party providers"),
        # a capital or a digit after the hyphen: the hyphen stays, no space
        ("UN-\nWomen accepts", "UN-Women accepts"),
        ("in 2020-\n2021", "in 2020-2021"),
        # a dash is not a hyphen
        ("the policy -\nas adopted", "the policy - as adopted"),
        ("the policy –\nas adopted", "the policy – as adopted"),
        # hyphens inside a line are never touched
        ("follow-up and well-being", "follow-up and well-being"),
        ("  extra   spaces\t here ", "extra spaces here"),
        ("soft\u00adhyphen", "softhyphen"),
        ("", ""),
    ],
)
def test_join_lines(raw: str, joined: str) -> None:
    assert join_lines(raw) == joined


def test_the_documents_own_words_decide_first() -> None:
    # English alone would keep "account-ability" (both halves are common words) ...
    assert join_lines("their account-\nability") == "their account-ability"
    # ... but a document that prints "accountability" elsewhere has a broken word here
    seen = words(["Strengthening accountability in the organization"])
    assert join_lines("their account-\nability", seen) == "their accountability"
    # and a document that prints "co-operation" keeps it, though "cooperation" is common
    assert join_lines("co-\noperation", words(["inter-agency co-operation"])) == "co-operation"


def test_paragraphs_and_list_items_stay_on_their_own_lines() -> None:
    raw = "The heads should:\n(a) review the\npolicy;\n(b) report\n\nA new paragraph\nhere."
    assert join_lines(raw) == (
        "The heads should:\n(a) review the policy;\n(b) report\nA new paragraph here."
    )
    # an enumerator inside a sentence that wraps is not a list item
    assert join_lines("as set out in paragraph\n(a) of the annex") == (
        "as set out in paragraph (a) of the annex"
    )


def test_join_lines_is_idempotent() -> None:
    raw = "ensure the imple-\nmentation of the follow-\nup plan:\n(a) first;\n(b) second."
    once = join_lines(raw)
    assert join_lines(once) == once
