"""Acceptance read from a management comment when the document prints no label.

UN-Women's management response, for one, says "UN-Women accepts this recommendation." or
"UN-Women takes note of this recommendation." instead of filling an acceptance column. The
phrases and what they mean live in the vocabulary's ``prose`` section.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.matcher import Matcher
from spacy.util import filter_spans

from normalize.labels import LabelMatch
from normalize.nlp import blank_nlp, phrase_pattern
from normalize.vocabulary import Vocabulary


@lru_cache(maxsize=8)
def _matcher(vocab: Vocabulary) -> Matcher:
    nlp = blank_nlp()
    matcher = Matcher(nlp.vocab)
    for value, phrases in vocab.prose.items():
        patterns = [phrase_pattern(p, vocab.prose_fillers) for p in phrases]
        matcher.add(value, [p for p in patterns if p])
    return matcher


def read_acceptance(text: str, vocab: Vocabulary) -> LabelMatch | None:
    """The acceptance a comment states, with the phrase as printed ("accepts", "takes note").

    Where phrases overlap the longest wins, so a negation ("does not accept") beats the verb
    it contains; then the earliest phrase in the text wins, as the decision is stated first
    ("takes note of this recommendation and fully agrees that ..." is `noted`).
    """
    if not text or not text.strip():
        return None
    nlp = blank_nlp()
    doc = nlp.make_doc(text)
    spans = _matcher(vocab)(doc, as_spans=True)
    if not spans:
        return None
    span = min(filter_spans(spans), key=lambda s: s.start)
    return LabelMatch(span.label_, span.text)
