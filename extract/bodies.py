"""Which oversight body issued a recommendation: the JIU, the Board of Auditors, OIOS, an
internal audit or evaluation office, or another (independent review, external assessment).

A recognizer knows a recommendation's review (its symbol, its title) and the text around it,
not who wrote that review; the body follows from how each body numbers and names its reports
and from what documents say of them ("the Board recommended", "Management response to the
evaluation"). All of that is data, in ``data/bodies.yaml``; the order of trust is the
symbol (a numbering scheme is unambiguous), then the title, then what the recommendation's
own text says of its author ("In paragraph 36, the Board recommended ..."), then cue phrases
in the document's opening; an office a response merely mentions decides nothing. In a title
or a text the earliest-printed pattern wins: a title's head noun, a document's title line,
come before the offices they go on to name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator

from core import datafile
from core.datafile import Strict
from core.text import fold

DATA_FILE = Path(__file__).parent / "data" / "bodies.yaml"

BODIES = frozenset({"JIU", "board_of_auditors", "oios", "internal_audit", "evaluation", "other"})


class _Body(Strict):
    symbols: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    record_cues: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()


class _BodiesFile(Strict):
    """Schema of ``data/bodies.yaml``; keys of ``bodies`` are the scheme's values."""

    default: str
    bodies: dict[str, _Body]

    @field_validator("bodies")
    @classmethod
    def _known_bodies(cls, value: dict[str, _Body]) -> dict[str, _Body]:
        unknown = sorted(set(value) - BODIES)
        if unknown:
            raise ValueError(f"not a body of the scheme: {', '.join(unknown)}")
        return value

    @field_validator("default")
    @classmethod
    def _known_default(cls, value: str) -> str:
        if value not in BODIES:
            raise ValueError(f"not a body of the scheme: {value}")
        return value


@dataclass(frozen=True)
class Bodies:
    """``bodies.yaml`` compiled: per body (in the order tried) its symbol, title, cue regexes."""

    default: str
    symbols: tuple[tuple[str, re.Pattern[str]], ...]
    titles: tuple[tuple[str, re.Pattern[str]], ...]
    record_cues: tuple[tuple[str, re.Pattern[str]], ...]
    cues: tuple[tuple[str, re.Pattern[str]], ...]
    review_symbol_re: re.Pattern[str]


def _compile(path: Path, body: str, kind: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise datafile.DataFileError(f"{path}: bodies.{body}.{kind}: {pattern!r}: {exc}") from exc


def load_bodies(path: Path = DATA_FILE) -> Bodies:
    """Compile a bodies file (errors name the file, key and line)."""
    f = datafile.load(path, _BodiesFile)
    symbols, titles, record_cues, cues = [], [], [], []
    for body, spec in f.bodies.items():
        symbols += [(body, _compile(path, body, "symbols", p)) for p in spec.symbols]
        titles += [(body, _compile(path, body, "titles", p)) for p in spec.titles]
        record_cues += [(body, _compile(path, body, "record_cues", p)) for p in spec.record_cues]
        cues += [(body, _compile(path, body, "cues", p)) for p in spec.cues]
    alternation = "|".join(f"(?:{rx.pattern})" for _, rx in symbols) or r"(?!x)x"
    finder = re.compile(rf"(?<![\w/.-])(?:{alternation})(?![\w/]|\.\d)", re.IGNORECASE)
    return Bodies(f.default, tuple(symbols), tuple(titles), tuple(record_cues), tuple(cues), finder)


@lru_cache(maxsize=1)
def default_bodies() -> Bodies:
    return load_bodies(DATA_FILE)


def review_symbol_pattern(bodies: Bodies | None = None) -> re.Pattern[str]:
    """A regex that finds the review symbols of every body in running text ("JIU/REP/2023/6",
    "A/79/5/Add.2", "E/AC.51/2022/7"), for recognizers looking for reviews."""
    return (bodies or default_bodies()).review_symbol_re


def body_of_symbol(symbol: str | None, bodies: Bodies | None = None) -> str | None:
    """The body whose numbering ``symbol`` follows, or None."""
    if not symbol:
        return None
    symbol = fold(symbol)
    for body, rx in (bodies or default_bodies()).symbols:
        if rx.fullmatch(symbol):
            return body
    return None


def _first(text: str, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    """The body of the pattern that matches earliest in ``text`` (ties: the file's order)."""
    best: tuple[int, int, str] | None = None  # (start, order, body)
    for order, (body, rx) in enumerate(patterns):
        m = rx.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, body)
    return best[2] if best else None


def body_of_title(title: str | None, bodies: Bodies | None = None) -> str | None:
    """The body a review's title names, or None: the earliest-named wins, so the head of the
    title decides ("External assessment of the internal audit function" is `other`)."""
    if not title:
        return None
    return _first(fold(title), (bodies or default_bodies()).titles)


def body_of_text(texts: str | Iterable[str], bodies: Bodies | None = None) -> str | None:
    """The body of the first-printed document cue in the first of ``texts`` that has one."""
    b = bodies or default_bodies()
    for text in [texts] if isinstance(texts, str) else texts:
        found = _first(fold(text), b.cues) if text else None
        if found:
            return found
    return None


def body_of_record(text: str | None, bodies: Bodies | None = None) -> str | None:
    """The body a recommendation's own text names as its author ("the Board recommended")."""
    if not text:
        return None
    return _first(fold(text), (bodies or default_bodies()).record_cues)


def body_of(
    review_symbol: str | None,
    review_title: str | None = None,
    cues: str | Iterable[str] = (),
    bodies: Bodies | None = None,
    *,
    record_text: str | None = None,
) -> str:
    """The oversight body of a recommendation (a value of the scheme): from its review's
    symbol, else the review's title, else what its own text says of its author
    (``record_text``), else document cues in ``cues`` (the document's opening), else the
    file's default (``other``)."""
    b = bodies or default_bodies()
    return (
        body_of_symbol(review_symbol, b)
        or body_of_title(review_title, b)
        or body_of_record(record_text, b)
        or body_of_text(cues, b)
        or b.default
    )
