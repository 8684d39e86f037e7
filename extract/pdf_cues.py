"""Is a page worth the expensive table analysis? Cheap tests on the text lines the reader
has made anyway, with the cue words in ``extract/data/page_cues.yaml``.

A page is analysed when any cue word or tick mark (the recognizers' distinct ones, from
``headers.yaml``) occurs in its text (case-insensitive, anywhere, inside longer words too),
or when its lines look like columns side by side. The
tests err towards analysing: a page analysed for nothing costs milliseconds, a page skipped
wrongly costs records (measured on the corpus, corpus/real and the generated documents:
benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from core import datafile
from core.datafile import Strict

from .pdf_layout import Line

DATA = Path(__file__).resolve().parent / "data" / "page_cues.yaml"


@dataclass(frozen=True)
class Cues:
    words: tuple[str, ...]  # lower case
    marks: tuple[str, ...]
    min_lines: int
    min_segments: int


_Cue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _TableLike(Strict):
    min_lines: int = Field(ge=1)
    min_segments: int = Field(ge=2)


class _CuesFile(Strict):
    """page_cues.yaml: what the file may hold (unknown keys are errors)."""

    words: list[_Cue] = Field(min_length=1)
    table_like: _TableLike


@cache
def load(path: Path = DATA, marks_from: Path | None = None) -> Cues:
    """The cues of ``path``; a mistake in it is a DataFileError naming file, line and key. The
    tick marks are the recognizers' distinct ones (``headers.yaml``, or ``marks_from``)."""
    from .recognizers import vocab  # the recognizers' knowledge; imported when first needed

    f = datafile.load(path, _CuesFile)
    return Cues(
        words=tuple(w.lower() for w in f.words),
        # vocab.load() itself when no other file is named: its cache then holds one entry,
        # the one warm-up built (load(DATA) would be a second key, read again per worker)
        marks=(vocab.load(marks_from) if marks_from else vocab.load()).distinct_tick_marks,
        min_lines=f.table_like.min_lines,
        min_segments=f.table_like.min_segments,
    )


def worth_analysing(lines: Sequence[Line], cues: Cues | None = None) -> bool:
    """Whether the page whose text lines are ``lines`` shows a sign of recommendations or
    statuses, or looks like a table."""
    cues = cues or load()
    columned = sum(1 for ln in lines if ln.segments >= cues.min_segments)
    if columned >= cues.min_lines:
        return True
    text = "\n".join(ln.text for ln in lines)
    if any(m in text for m in cues.marks):
        return True
    folded = text.lower()
    return any(w in folded for w in cues.words)
