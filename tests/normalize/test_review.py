from __future__ import annotations

from normalize.review import review_key, slugify


def test_symbol_is_kept() -> None:
    assert review_key(" JIU/REP/2021/3 ", "Cybersecurity", "ITU") == "JIU/REP/2021/3"


def test_slug_from_agency_and_title() -> None:
    title = "Independent victim-centred review of UN-Women’s policies and procedures"
    assert review_key(None, title, "UN-Women") == (
        "UN-Women:independent-victim-centred-review-un-women-policies-procedures"
    )
    assert review_key(None, title, "UN-Women", words=4) == (
        "UN-Women:independent-victim-centred-review-un-women"
    )


def test_slug_is_stable_across_typography() -> None:
    a = review_key(None, "Independent  victim-centred review", "UN-Women")
    b = review_key("", "INDEPENDENT victim-centred Review.", "UN-Women")
    assert a == b == "UN-Women:independent-victim-centred-review"


def test_no_title_and_no_agency() -> None:
    assert review_key(None, None, "UN-Women") == "UN-Women:untitled"
    assert review_key(None, "  ", None) == "unknown:untitled"


def test_slugify_folds_accents() -> None:
    assert slugify("Évaluation des politiques") == "evaluation-des-politiques"
