"""The evidence recognizer's knowledge, read from ``extract/data/evidence.yaml``: anchor
patterns, status phrases, cell labels, count and addressee phrases, review-title rules, and
the cues of lettered lists (lead-in paragraphs, status sentences, restated statuses)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator

from core import datafile
from core.datafile import Strict
from extract.recognizers.vocab import Regex, valid_regex

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence.yaml"
STATUS_FIELDS = ("acceptance", "implementation")


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    anchors: tuple[re.Pattern[str], ...]
    unnumbered_anchors: tuple[re.Pattern[str], ...]
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
    cited_review_symbol: re.Pattern[str]  # group `symbol`
    reference_paragraph: re.Pattern[str]  # group `id`
    title_strip: re.Pattern[str]
    title_must: re.Pattern[str]
    title_generic: re.Pattern[str]
    title_heading: re.Pattern[str] = re.compile(r"(?!)")  # an evaluation named by a heading
    # lettered lists: lead-in paragraphs, status sentences per field, restated statuses
    lettered_lead_in: tuple[re.Pattern[str], ...] = ()
    lettered_status: dict[str, re.Pattern[str]] = field(default_factory=dict)
    lettered_mention: re.Pattern[str] = re.compile(r"(?!)")
    # recommendations identified by the paragraph they cite at their end (groups id, text)
    cited_anchors: tuple[re.Pattern[str], ...] = ()
    inline_status: re.Pattern[str] = re.compile(r"(?!)")  # "... Status: X." in a cell (label)
    value_stamps: re.Pattern[str] = re.compile(r"(?!)")  # "[Added: 2021/11/27]" in a value

    def count(self, word: str) -> int | None:
        word = word.lower()
        if word.isdigit():
            return int(word)
        return self.number_words.get(word)


class _ReviewTitle(Strict):
    strip_prefix: Regex
    must_match: Regex
    too_generic: Regex
    heading: Regex = "(?!)"


class _Lettered(Strict):
    lead_in: list[Regex]
    status_sentence: dict[str, Regex]
    mention: Regex


class _CuesFile(Strict):
    """The schema of ``evidence.yaml``."""

    anchors: list[Regex]
    unnumbered_anchors: list[Regex] = Field(default_factory=list)
    cited_anchors: list[Regex] = Field(default_factory=list)
    inline_status: Regex = "(?!)"
    value_stamps: Regex = "(?!)"
    region_breaks: list[Regex]
    recommendation_sentence: Regex
    self_reference: Regex
    plural_without_numbers: Regex
    numbered_mention: Regex
    # field -> status value -> patterns
    phrases: dict[str, dict[str, list[Regex]]]
    cell_labels: dict[str, Regex]
    combined: list[Regex]
    addressee_verbs: Regex
    addressees: Regex
    addressee_phrase: str  # with {verbs} and {addressees}: checked once filled in (below)
    addressee_count: str
    status_count: Regex
    number_words: dict[str, int]
    other_review_symbols: Regex
    cited_review_symbol: Regex
    reference_paragraph: Regex
    review_title: _ReviewTitle
    lettered: _Lettered

    @field_validator("addressee_phrase", "addressee_count")
    @classmethod
    def _addressee_pattern(cls, template: str, info: ValidationInfo) -> str:
        if "{addressees}" not in template:
            raise ValueError("must contain {addressees}")
        filled = template.replace("{verbs}", info.data.get("addressee_verbs", ""))
        valid_regex(filled.replace("{addressees}", info.data.get("addressees", "")))
        return template

    def addressee(self, template: str) -> str:
        """``template`` with the verbs and the addressees written in."""
        return template.replace("{verbs}", self.addressee_verbs).replace(
            "{addressees}", self.addressees
        )


@cache
def load(path: Path = DATA) -> Cues:
    """The cues of ``path``, checked by :mod:`core.datafile` (``file:line: key: message``)."""
    f = datafile.load(path, _CuesFile)
    labels = f.cell_labels
    title = f.review_title
    lettered = f.lettered
    return Cues(
        anchors=tuple(_c(p) for p in f.anchors),
        unnumbered_anchors=tuple(_c(p) for p in f.unnumbered_anchors),
        region_breaks=tuple(_c(p) for p in f.region_breaks),
        recommendation_sentence=_c(f.recommendation_sentence),
        self_reference=_c(f.self_reference),
        plural_without_numbers=_c(f.plural_without_numbers),
        numbered_mention=_c(f.numbered_mention),
        phrases={
            field: tuple((value, _c(p)) for value, pats in groups.items() for p in pats)
            for field, groups in f.phrases.items()
        },
        cell_labels={k: _c(v) for k, v in labels.items()},
        cell_labels_despaced={k: _c(v.replace(" ", "")) for k, v in labels.items()},
        combined=tuple(_c(p) for p in f.combined),
        addressee_phrase=_c(f.addressee(f.addressee_phrase)),
        addressee_count=_c(f.addressee(f.addressee_count)),
        status_count=_c(f.status_count),
        number_words={k.lower(): v for k, v in f.number_words.items()},
        other_review_symbols=_c(f.other_review_symbols),
        cited_review_symbol=_c(f.cited_review_symbol),
        reference_paragraph=_c(f.reference_paragraph),
        title_strip=_c(title.strip_prefix),
        title_must=_c(title.must_match),
        title_generic=_c(title.too_generic),
        title_heading=re.compile(title.heading),  # case matters: the name's capital
        lettered_lead_in=tuple(_c(p) for p in lettered.lead_in),
        lettered_status={k: _c(v) for k, v in lettered.status_sentence.items()},
        lettered_mention=_c(lettered.mention),
        cited_anchors=tuple(_c(p) for p in f.cited_anchors),
        inline_status=_c(f.inline_status),
        value_stamps=_c(f.value_stamps),
    )
