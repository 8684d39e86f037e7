"""Loading the vocabulary file (``data/vocabulary.yaml``) into lookup tables, checked once.

The file is read by the one knowledge-file loader (:mod:`core.datafile`) against the schema
below. Every target must be a value of the scheme (:mod:`normalize.scheme`), no label may be
listed under two values and every pattern must compile: a vocabulary that breaks a rule is
refused with :class:`normalize.errors.VocabularyError` naming ``file:line: key: message``,
rather than producing wrong data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, StrictInt, StrictStr, field_validator

from core import datafile
from core.datafile import Strict
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


def _in_scheme(allowed: frozenset[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not a scheme value ({sorted(allowed)})")
        return value

    return AfterValidator(check)


def _regex(source: str) -> str:
    try:
        re.compile(source)
    except re.error as exc:
        raise ValueError(f"bad regex {source!r}: {exc}") from exc
    return source


# YAML reads some words as numbers ("2020"); a label is its printed text either way. It also
# reads on/off/yes/no as booleans: those are refused (quote them), never turned into "True".
Word = Annotated[StrictStr | StrictInt, AfterValidator(str)]
Regex = Annotated[str, AfterValidator(_regex)]
AcceptanceValue = Annotated[str, _in_scheme(ACCEPTANCE)]
ImplementationValue = Annotated[str, _in_scheme(IMPLEMENTATION)]
AddresseeValue = Annotated[str, _in_scheme(ADDRESSEE)]


class _Table(Strict):
    """A section's fixed labels and patterns, each listed under the scheme value it maps to."""

    labels: dict[str, list[Word]] | None = None
    patterns: dict[str, list[Regex]] | None = None

    @field_validator("labels")
    @classmethod
    def _one_value_per_label(
        cls, labels: dict[str, list[str]] | None
    ) -> dict[str, list[str]] | None:
        seen: dict[str, str] = {}
        for value, items in (labels or {}).items():
            for label in items:
                key = label_key(str(label))
                if not key:
                    raise ValueError(f"{value}: empty label {label!r}")
                if seen.setdefault(key, value) != value:
                    raise ValueError(f"label {label!r} maps to both {seen[key]!r} and {value!r}")
        return labels

    def compiled(self) -> LabelTable:
        labels: dict[str, tuple[str, str]] = {}
        for value, items in (self.labels or {}).items():
            for label in items:
                labels.setdefault(label_key(str(label)), (value, str(label)))
        patterns = tuple(
            Pattern.compile(value, source)
            for value, sources in (self.patterns or {}).items()
            for source in sources
        )
        return LabelTable(labels, patterns)


class _AcceptanceTable(_Table):
    labels: dict[AcceptanceValue, list[Word]] | None = None
    patterns: dict[AcceptanceValue, list[Regex]] | None = None


class _ImplementationTable(_Table):
    labels: dict[ImplementationValue, list[Word]] | None = None
    patterns: dict[ImplementationValue, list[Regex]] | None = None


class _AddresseeTable(_Table):
    labels: dict[AddresseeValue, list[Word]] | None = None
    patterns: dict[AddresseeValue, list[Regex]] | None = None


class _Sections(Strict):
    """The label sections, common or one agency's overrides."""

    acceptance: _AcceptanceTable | None = None
    implementation: _ImplementationTable | None = None
    addressee: _AddresseeTable | None = None

    def tables(self) -> dict[str, LabelTable]:
        return {
            section: table.compiled()
            for section in LABEL_SECTIONS
            if (table := getattr(self, section)) is not None
        }


class _VocabularyFile(_Sections):
    """The schema of ``vocabulary.yaml``."""

    prose: dict[AcceptanceValue, list[Word]] | None = None
    prose_fillers: list[Word] | None = None
    subjects: dict[AddresseeValue, list[Word]] | None = None
    fronting_words: list[Word] | None = None
    agencies: dict[str, _Sections] | None = None


def _words(raw: Sequence[str | int] | None) -> tuple[str, ...]:
    return tuple(str(x) for x in raw or ())


def _compile(f: _VocabularyFile, source: str) -> Vocabulary:
    common = f.tables()
    return Vocabulary(
        tables={section: common.get(section, LabelTable({}, ())) for section in LABEL_SECTIONS},
        overrides={
            str(agency).casefold(): sections.tables()
            for agency, sections in (f.agencies or {}).items()
        },
        prose={value: _words(items) for value, items in (f.prose or {}).items()},
        prose_fillers=_words(f.prose_fillers),
        subjects={value: _words(items) for value, items in (f.subjects or {}).items()},
        fronting_words=_words(f.fronting_words),
        source=source,
    )


def _refused(exc: datafile.DataFileError) -> VocabularyError:
    return VocabularyError(exc.message)  # the message names file:line: key already


def parse_vocabulary(data: Any, source: str = "<memory>") -> Vocabulary:
    """Check and compile a vocabulary given as YAML text or as an already-parsed document."""
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    try:
        return _compile(datafile.parse(text, _VocabularyFile, source), source)
    except datafile.DataFileError as exc:
        raise _refused(exc) from None


@lru_cache(maxsize=8)
def load_vocabulary(path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
    """The vocabulary at ``path``, read and checked once per process."""
    try:
        return _compile(datafile.load(Path(path), _VocabularyFile), str(path))
    except datafile.DataFileError as exc:
        raise _refused(exc) from None
