"""Whom a recommendation is addressed to, when the document does not say it.

JIU recommendations name their addressee as the subject of "should": "The executive heads of
... should", "The legislative organs and governing bodies ... should", "In order to ...,
legislative/governing bodies should", "By the end of 2021, executive heads should". The subject
is read from the tokens before the first "should", after skipping fronted clauses (a clause
that opens with a word such as "In", "By" or "To" and ends with a comma). The subject terms
and the fronting words are in the vocabulary's ``subjects`` and ``fronting_words`` sections.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from core.text import fold
from normalize.labels import LabelMatch, match_label
from normalize.nlp import blank_nlp
from normalize.scheme import UNKNOWN
from normalize.vocabulary import Vocabulary

_LEADING_NUMBER = re.compile(r"^\s*(?:recommendation|rec\.?)\s*\d+[a-z]?\s*[:.)-]?\s*", re.I)


@lru_cache(maxsize=8)
def _matcher(vocab: Vocabulary) -> PhraseMatcher:
    nlp = blank_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for value, phrases in vocab.subjects.items():
        matcher.add(value, [nlp.make_doc(p) for p in phrases])
    return matcher


def _segments(before: Span) -> list[Span]:
    """The subject span cut at commas."""
    out: list[Span] = []
    start = before.start
    for token in before:
        if token.text == ",":
            if token.i > start:
                out.append(before.doc[start : token.i])
            start = token.i + 1
    if before.end > start:
        out.append(before.doc[start : before.end])
    return out


def _is_fronted(segment: Span, fronting: tuple[str, ...]) -> bool:
    words = segment.text.lower().split()
    return any(words[: len(f.split())] == f.lower().split() for f in fronting)


def subject_span(doc: Doc, fronting: tuple[str, ...]) -> Span | None:
    """The tokens naming who "should" act, fronted clauses removed; None without a "should"."""
    should = next((t.i for t in doc if t.lower_ == "should"), None)
    if should is None or should == 0:
        return None
    segments = _segments(doc[0:should])
    while len(segments) > 1 and _is_fronted(segments[0], fronting):
        segments.pop(0)
    if not segments:
        return None
    return doc[segments[0].start : should]


def infer_addressee(text: str, vocab: Vocabulary) -> str:
    """The addressee named by the subject of the recommendation's "should", or `unknown`.

    The first clause of the subject is searched first ("The Secretary-General, in consultation
    with the executive heads, should" is the Secretary-General), then the rest of it.
    """
    # Line breaks from narrow PDF cells would split the subject's phrases into other tokens.
    text = fold(_LEADING_NUMBER.sub("", text or ""))
    if not text:
        return UNKNOWN
    doc = blank_nlp().make_doc(text)
    subject = subject_span(doc, vocab.fronting_words)
    if subject is None:
        return UNKNOWN
    matches = [
        s
        for s in _matcher(vocab)(doc, as_spans=True)
        if s.start >= subject.start and s.end <= subject.end
    ]
    if not matches:
        return UNKNOWN
    first_clause_end = next((t.i for t in subject if t.text == ","), subject.end)
    # Earliest term wins; among terms starting together, the longest.
    ordered = sorted(matches, key=lambda s: (s.start >= first_clause_end, s.start, -len(s)))
    return ordered[0].label_


def stated_addressee(label: str, vocab: Vocabulary, agency: str | None) -> LabelMatch | None:
    """The addressee a document states (annex title, column value, JIU code), if mapped."""
    return match_label(label, vocab.tables_for("addressee", agency))
