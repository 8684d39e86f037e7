"""Is a page worth the expensive table analysis? Cheap tests on the text lines the reader
has made anyway, with the cue words in ``extract/data/page_cues.yaml``.

A page is analysed when any cue word or tick mark occurs in its text (case-insensitive,
anywhere, inside longer words too), or when its lines look like columns side by side. The
tests err towards analysing: a page analysed for nothing costs milliseconds, a page skipped
wrongly costs records (measured on the corpus, corpus/real and the generated documents:
benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .pdf_layout import Line

DATA = Path(__file__).resolve().parent / "data" / "page_cues.yaml"


@dataclass(frozen=True)
class Cues:
    words: tuple[str, ...]  # lower case
    marks: tuple[str, ...]
    min_lines: int
    min_segments: int


@cache
def load(path: Path = DATA) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = tuple(str(w).lower() for w in raw["words"])
    if not words or any(not w.strip() for w in words):
        raise ValueError(f"{path.name}: cue words must be non-empty")
    table = raw["table_like"]
    return Cues(
        words=words,
        marks=tuple(str(m) for m in raw.get("marks") or ()),
        min_lines=int(table["min_lines"]),
        min_segments=int(table["min_segments"]),
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
