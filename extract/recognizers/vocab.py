"""The recognizers' knowledge, read from ``extract/data/headers.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

from core import datafile
from core.datafile import Strict
from core.text import fold  # the recognizers import it from here

DATA = Path(__file__).resolve().parent.parent / "data" / "headers.yaml"


def valid_regex(source: str) -> str:
    """A pattern that compiles (case-insensitively, as it is used), or a schema error."""
    try:
        re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"bad regex {source!r}: {exc}") from exc
    return source


# A regular expression in a knowledge file: refused where it stands when it does not compile.
Regex = Annotated[str, AfterValidator(valid_regex)]


@dataclass(frozen=True)
class Vocab:
    fields: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    fields_despaced: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    bare_number: re.Pattern[str]
    tick_marks: frozenset[str]
    distinct_tick_marks: tuple[str, ...]  # never letters or bullets: a page cue too
    tick_groups: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    tick_groups_despaced: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    previous_status: re.Pattern[str]
    review_symbol: re.Pattern[str]
    addressee_heading: re.Pattern[str]
    recommendation_cue: re.Pattern[str]


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# What makes a pattern mean something else inside an alternation: group references by
# number or name, conditionals on a group, inline flags.
_NOT_JOINABLE = re.compile(r"\\\d|\(\?P=|\(\?\(|\(\?[aiLmsux]")


def _alternation(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    """A group's patterns as one compiled alternation, so :func:`classify` makes one search
    per group, not one per pattern (header cells are classified on every row). Some pattern
    matches where the alternation does, and only then; patterns that an alternation would
    change (group references, inline flags) stay one pattern each."""
    if len(patterns) < 2 or any(_NOT_JOINABLE.search(p) for p in patterns):
        return tuple(_compile(p) for p in patterns)
    try:
        return (_compile("|".join(f"(?:{p})" for p in patterns)),)
    except re.error:  # e.g. one group name in two patterns
        return tuple(_compile(p) for p in patterns)


def _groups(raw: dict[str, list[str]]) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    return tuple((name, _alternation(pats)) for name, pats in raw.items())


def _despaced(raw: dict[str, list[str]]) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """The same patterns with their spaces removed, to match header text whose words a
    narrow PDF cell broke anywhere ("Addres sed to", "Implementati on")."""
    return tuple(
        (name, _alternation([p.replace(" ", "") for p in pats])) for name, pats in raw.items()
    )


class _TickMarks(Strict):
    distinct: list[str] = Field(min_length=1)
    shared: list[str] = Field(default_factory=list)


class _PreviousStatus(Strict):
    prefixes: list[str] = Field(min_length=1)
    status: Regex

    def compiled(self) -> re.Pattern[str]:
        """The prefixes (longest first; a space stands for any whitespace) before the status."""
        words = sorted(self.prefixes, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in words)
        return _compile(f"(?:{alternatives}){self.status}")


class _HeadersFile(Strict):
    """The schema of ``headers.yaml``."""

    fields: dict[str, list[Regex]]
    bare_number: Regex
    recommendation_cue: Regex
    tick_marks: _TickMarks
    tick_groups: dict[str, list[Regex]]
    previous_status: _PreviousStatus
    review_symbol: Regex
    addressee_heading: Regex


@cache
def load(path: Path = DATA) -> Vocab:
    """The vocabulary of ``path``, checked by :mod:`core.datafile` (``file:line: key: message``)."""
    f = datafile.load(path, _HeadersFile)
    return Vocab(
        fields=_groups(f.fields),
        fields_despaced=_despaced(f.fields),
        bare_number=_compile(f.bare_number),
        tick_marks=frozenset(f.tick_marks.distinct + f.tick_marks.shared),
        distinct_tick_marks=tuple(f.tick_marks.distinct),
        tick_groups=_groups(f.tick_groups),
        tick_groups_despaced=_despaced(f.tick_groups),
        previous_status=f.previous_status.compiled(),
        review_symbol=_compile(f.review_symbol),
        addressee_heading=_compile(f.addressee_heading),
        recommendation_cue=_compile(f.recommendation_cue),
    )


def classify(
    name: str,
    groups: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...],
    despaced: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (),
) -> str | None:
    """The first group one of whose patterns matches ``name``; for a resolved multi-level
    name ("Acceptance recommendation / Accept") the whole name, then each level top-down.
    With ``despaced`` patterns, each candidate is tried again with all its spaces removed."""
    from extract.tables import COLUMN_JOINER as JOINER

    candidates = [fold(name)]
    if JOINER in name:
        candidates += [fold(part) for part in name.split(JOINER)]
    for candidate in candidates:
        if not candidate:
            continue
        for group, patterns in groups:
            if any(p.search(candidate) for p in patterns):
                return group
        squeezed = candidate.replace(" ", "")
        for group, patterns in despaced:
            if any(p.search(squeezed) for p in patterns):
                return group
    return None


def is_tick(text: str, vocab: Vocab) -> bool:
    return fold(text) in vocab.tick_marks


def review_symbol(text: str, vocab: Vocab) -> str | None:
    match = vocab.review_symbol.search(text)
    return match.group(1).upper() if match else None
