"""The evidence recognizer's knowledge, read from ``extract/data/evidence.yaml``: anchor
patterns, status phrases, cell labels, count and addressee phrases, review-title rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence.yaml"
STATUS_FIELDS = ("acceptance", "implementation")


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    anchors: tuple[re.Pattern[str], ...]
    region_breaks: tuple[re.Pattern[str], ...]
    recommendation_sentence: re.Pattern[str]
    self_reference: re.Pattern[str]
    plural_without_numbers: re.Pattern[str]
    numbered_mention: re.Pattern[str]
    # field -> ((value, pattern), ...), most specific values first as listed in the file
    phrases: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
    cell_labels: dict[str, re.Pattern[str]]
    cell_labels_despaced: dict[str, re.Pattern[str]]
    combined: tuple[re.Pattern[str], ...]
    addressee_phrase: re.Pattern[str]
    addressee_count: re.Pattern[str]
    status_count: re.Pattern[str]
    number_words: dict[str, int]
    other_review_symbols: re.Pattern[str]
    title_strip: re.Pattern[str]
    title_must: re.Pattern[str]
    title_generic: re.Pattern[str]

    def count(self, word: str) -> int | None:
        word = word.lower()
        if word.isdigit():
            return int(word)
        return self.number_words.get(word)


@cache
def load(path: Path = DATA) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases = {
        field: tuple((value, _c(p)) for value, pats in groups.items() for p in pats)
        for field, groups in raw["phrases"].items()
    }
    labels = raw["cell_labels"]
    title = raw["review_title"]
    return Cues(
        anchors=tuple(_c(p) for p in raw["anchors"]),
        region_breaks=tuple(_c(p) for p in raw["region_breaks"]),
        recommendation_sentence=_c(raw["recommendation_sentence"]),
        self_reference=_c(raw["self_reference"]),
        plural_without_numbers=_c(raw["plural_without_numbers"]),
        numbered_mention=_c(raw["numbered_mention"]),
        phrases=phrases,
        cell_labels={k: _c(v) for k, v in labels.items()},
        cell_labels_despaced={k: _c(v.replace(" ", "")) for k, v in labels.items()},
        combined=tuple(_c(p) for p in raw["combined"]),
        addressee_phrase=_c(raw["addressee_phrase"]),
        addressee_count=_c(raw["addressee_count"]),
        status_count=_c(raw["status_count"]),
        number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
        other_review_symbols=_c(raw["other_review_symbols"]),
        title_strip=_c(title["strip_prefix"]),
        title_must=_c(title["must_match"]),
        title_generic=_c(title["too_generic"]),
    )
