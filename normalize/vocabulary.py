"""Loading the vocabulary file (``data/vocabulary.yaml``) into lookup tables, checked once.

Every target must be a value of the scheme (:mod:`normalize.scheme`) and no label may be listed
under two values: a vocabulary that breaks either rule is refused with
:class:`normalize.errors.VocabularyError` rather than producing wrong data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from normalize.config import DEFAULT_VOCABULARY
from normalize.errors import VocabularyError
from normalize.labels import LabelTable, Pattern, label_key
from normalize.scheme import ACCEPTANCE, ADDRESSEE, IMPLEMENTATION

# Which scheme a section's targets must belong to.
LABEL_SECTIONS = {
    "acceptance": ACCEPTANCE,
    "implementation": IMPLEMENTATION,
    "addressee": ADDRESSEE,
}


@dataclass(frozen=True, eq=False)  # hashed by identity: spaCy matchers are cached per vocabulary
class Vocabulary:
    tables: dict[str, LabelTable]
    overrides: dict[str, dict[str, LabelTable]] = field(default_factory=dict)
    prose: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prose_fillers: tuple[str, ...] = ()
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fronting_words: tuple[str, ...] = ()
    previous_prefixes: tuple[str, ...] = ()
    source: str = ""

    def tables_for(self, section: str, agency: str | None = None) -> list[LabelTable]:
        """The agency's overrides (if any) first, then the common table."""
        out: list[LabelTable] = []
        if agency:
            override = self.overrides.get(agency.casefold(), {}).get(section)
            if override is not None:
                out.append(override)
        out.append(self.tables[section])
        return out


def _fail(source: str, message: str) -> VocabularyError:
    return VocabularyError(message, file=source)


def _string_list(raw: Any, where: str, source: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str | int) for x in raw):
        raise _fail(source, f"{where}: expected a list of strings")
    return tuple(str(x) for x in raw)


def _value_lists(raw: Any, allowed: frozenset[str], where: str, source: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(source, f"{where}: expected a mapping of scheme value -> list")
    for value in raw:
        if value not in allowed:
            raise _fail(source, f"{where}: {value!r} is not a scheme value ({sorted(allowed)})")
    return {value: _string_list(items, f"{where}.{value}", source) for value, items in raw.items()}


def _table(raw: Any, allowed: frozenset[str], where: str, source: str) -> LabelTable:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or set(raw) - {"labels", "patterns"}:
        raise _fail(source, f"{where}: expected 'labels' and/or 'patterns'")
    labels: dict[str, tuple[str, str]] = {}
    for value, items in _value_lists(raw.get("labels"), allowed, f"{where}.labels", source).items():
        for label in items:
            key = label_key(label)
            if not key:
                raise _fail(source, f"{where}.labels.{value}: empty label")
            seen = labels.get(key)
            if seen is not None and seen[0] != value:
                raise _fail(
                    source, f"{where}: label {label!r} maps to both {seen[0]!r} and {value!r}"
                )
            labels.setdefault(key, (value, label))
    patterns: list[Pattern] = []
    raw_patterns = _value_lists(raw.get("patterns"), allowed, f"{where}.patterns", source)
    for value, items in raw_patterns.items():
        for source_re in items:
            try:
                patterns.append(Pattern.compile(value, source_re))
            except re.error as exc:
                message = f"{where}.patterns.{value}: bad regex {source_re!r}: {exc}"
                raise _fail(source, message) from exc
    return LabelTable(labels, tuple(patterns))


def parse_vocabulary(data: Any, source: str = "<memory>") -> Vocabulary:
    """Check and compile an already-parsed vocabulary document."""
    if not isinstance(data, dict):
        raise _fail(source, "the vocabulary must be a YAML mapping")
    tables = {
        section: _table(data.get(section), allowed, section, source)
        for section, allowed in LABEL_SECTIONS.items()
    }
    overrides: dict[str, dict[str, LabelTable]] = {}
    agencies = data.get("agencies") or {}
    if not isinstance(agencies, dict):
        raise _fail(source, "agencies: expected a mapping of agency -> sections")
    for agency, sections in agencies.items():
        if not isinstance(sections, dict) or set(sections) - set(LABEL_SECTIONS):
            raise _fail(source, f"agencies.{agency}: expected {sorted(LABEL_SECTIONS)} sections")
        overrides[str(agency).casefold()] = {
            section: _table(raw, LABEL_SECTIONS[section], f"agencies.{agency}.{section}", source)
            for section, raw in sections.items()
        }
    return Vocabulary(
        tables=tables,
        overrides=overrides,
        prose=_value_lists(data.get("prose"), ACCEPTANCE, "prose", source),
        prose_fillers=_string_list(data.get("prose_fillers"), "prose_fillers", source),
        subjects=_value_lists(data.get("subjects"), ADDRESSEE, "subjects", source),
        fronting_words=_string_list(data.get("fronting_words"), "fronting_words", source),
        previous_prefixes=_string_list(data.get("previous_prefixes"), "previous_prefixes", source),
        source=source,
    )


@lru_cache(maxsize=8)
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    """The vocabulary at ``path``, read and checked once per process."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(source, f"cannot read the vocabulary: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(source, f"not valid YAML: {exc}") from exc
    return parse_vocabulary(data, source)
