from __future__ import annotations

import pytest

from normalize.nlp import blank_nlp
from normalize.prose import read_acceptance
from normalize.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        ("UN-Women accepts this recommendation. The organization commits to ...", "accepted",
         "accepts"),
        ("UN-Women takes note of this recommendation.", "noted", "takes note"),
        ("UN-Women takes note of this recommendation and fully agrees that any approach ...",
         "noted", "takes note"),
        ("UN-Women does not accept this recommendation.", "not_accepted", "does not accept"),
        ("UN-Women does not fully accept this recommendation.", "not_accepted",
         "does not fully accept"),
        ("UNDP doesn't accept the recommendation.", "not_accepted", "doesn't accept"),
        ("Management rejects this recommendation.", "not_accepted", "rejects"),
        ("UN-Women partially accepts this recommendation.", "partially_accepted",
         "partially accepts"),
        ("UN-Women ACCEPTS the recommendation and is in the process of ...", "accepted", "ACCEPTS"),
        ("The Entity agrees with this recommendation.", "accepted", "agrees with"),
    ],
)  # fmt: skip
def test_reads_acceptance_from_prose(vocab: Vocabulary, text: str, value: str, raw: str) -> None:
    found = read_acceptance(text, vocab)
    assert found is not None
    assert (found.value, found.raw) == (value, raw)


@pytest.mark.parametrize("text", ["", "   ", "A number of mechanisms already exist.", "acceptance"])
def test_no_phrase_no_value(vocab: Vocabulary, text: str) -> None:
    assert read_acceptance(text, vocab) is None


def test_pipeline_is_built_once() -> None:
    assert blank_nlp() is blank_nlp()
    assert blank_nlp().pipe_names == []  # tokenizer only: no trained model
