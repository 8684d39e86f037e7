"""Matching printed status labels against the vocabulary.

Printed labels differ from the vocabulary in ways that carry no meaning: case, line wraps
inside words (PDF cells: "In\\nprogres\\ns"), surrounding punctuation and quotes, curly versus
straight quotes, en dashes. These functions remove exactly those differences and nothing else,
so every mapping that happens is one an analyst wrote down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.text import fold

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "\u00a0": " ",
    }
)
_EDGE = " \t\r\n\"'.,;:!?*•·-_"
_WRAPPERS = {"(": ")", "[": "]", "{": "}"}
_SPACES = re.compile(r"\s+")
# A hyphenated word broken at the end of a line: "Secretary-\nGeneral", or "Secretary- General"
# once a reader has turned the line break into a space. A suspended hyphen ("pre- and post-war")
# is followed by a conjunction and is left alone.
_WRAPPED_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s+(?!(?:and|or|nor|to)\b)(?=[^\W\d_])", re.I)
_FIRST_SENTENCE = re.compile(r"^(.+?[.;])\s+\S")


def collapse(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed: the printed label, minus its line wraps
    (a line broken after a hyphen is joined without a space)."""
    return fold(_WRAPPED_HYPHEN.sub("-", text))


def clean(text: str) -> str:
    """Lower case, straight quotes and dashes, one space per run of whitespace, and no
    surrounding punctuation, quotes or enclosing brackets."""
    out = collapse(text.translate(_QUOTES)).lower()
    while True:
        stripped = out.strip(_EDGE)
        if len(stripped) >= 2 and _WRAPPERS.get(stripped[0]) == stripped[-1]:
            inner = stripped[1:-1]
            if stripped[0] not in inner and stripped[-1] not in inner:
                stripped = inner
        if stripped == out:
            return out
        out = stripped


def label_key(text: str) -> str:
    """The key a fixed label is looked up by: :func:`clean` without any whitespace."""
    return _SPACES.sub("", clean(text))


@dataclass(frozen=True)
class Pattern:
    """A regular expression for labels a fixed entry cannot list ("Not applicable to X")."""

    value: str
    source: str
    regex: re.Pattern[str]
    regex_unspaced: re.Pattern[str]  # the same with spaces optional, for line-broken labels

    @classmethod
    def compile(cls, value: str, source: str) -> Pattern:
        return cls(value, source, re.compile(source), re.compile(source.replace(" ", r"\s*")))


@dataclass(frozen=True)
class LabelTable:
    """One field's vocabulary: fixed labels by key, then patterns in file order."""

    labels: dict[str, tuple[str, str]]  # key -> (scheme value, label as written in the file)
    patterns: tuple[Pattern, ...] = ()

    def values(self) -> set[str]:
        return {v for v, _ in self.labels.values()} | {p.value for p in self.patterns}


@dataclass(frozen=True)
class LabelMatch:
    value: str
    raw: str  # the label to keep beside the value
    year: int | None = None  # from a pattern's `year` group ("Completed in 2020")


def _lookup(printed: str, tables: Sequence[LabelTable]) -> LabelMatch | None:
    key = label_key(printed)
    if not key:
        return None
    for table in tables:
        hit = table.labels.get(key)
        if hit is not None:
            value, canonical = hit
            # Keep the label as printed unless it only differs from the vocabulary's by
            # line wraps inside words; then the printed form is noise, the canonical is the label.
            raw = collapse(printed) if clean(printed) == clean(canonical) else canonical
            return LabelMatch(value, raw)
    text = clean(printed)
    unspaced = _SPACES.sub("", text)
    for table in tables:
        for pattern in table.patterns:
            found = pattern.regex.search(text)
            if found is None and unspaced != text:
                found = pattern.regex_unspaced.search(unspaced)
            if found is not None:
                year = found.groupdict().get("year")
                return LabelMatch(pattern.value, collapse(printed), int(year) if year else None)
    return None


def match_label(printed: str, tables: Iterable[LabelTable]) -> LabelMatch | None:
    """The scheme value of a printed label, or None when no entry maps it.

    The whole label is tried first, then its first sentence, so a status fused with an
    explanation ("Completed in 2020. For details on actions taken, see ...") is read by its
    status phrase, which is also what is kept as the raw label.
    """
    tables = tuple(tables)
    found = _lookup(printed, tables)
    if found is not None:
        return found
    first = _FIRST_SENTENCE.match(collapse(printed))
    if first is not None:
        return _lookup(first.group(1), tables)
    return None


def first_sentence(text: str, limit: int = 120) -> str:
    """A short, readable excerpt of free text, for reporting prose no rule could read."""
    text = collapse(text)
    found = _FIRST_SENTENCE.match(text)
    out = found.group(1) if found else text
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"
