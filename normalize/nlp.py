"""The one spaCy pipeline of the stage: ``spacy.blank("en")``, a tokenizer only.

No trained model is loaded or downloaded; the rules that read prose are token patterns built
from the vocabulary file. The pipeline is built once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def blank_nlp() -> Language:
    return spacy.blank("en")


def phrase_pattern(phrase: str, fillers: Iterable[str] = ()) -> list[dict[str, Any]]:
    """A Matcher pattern for ``phrase`` on lower-cased tokens, allowing one optional filler
    word (e.g. "fully") between its words, so "does not fully accept" still reads as
    "does not accept"."""
    words = [t.lower_ for t in blank_nlp().make_doc(phrase) if not t.is_space]
    filler_set = sorted({f.lower() for f in fillers})
    pattern: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        if i and filler_set:
            pattern.append({"LOWER": {"IN": filler_set}, "OP": "?"})
        pattern.append({"LOWER": word})
    return pattern
