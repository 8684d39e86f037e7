"""Generality: documents generated in the test (tests/generate) for the corpus's three layouts
and for invented agencies' layouts, in several fonts, page sizes, orientations, column orders,
rules and page breaks, read end to end (check, read, identify, recognize, normalize) and
compared with the records they were built from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.model import Assessment
from extract.config import ExtractConfig
from rectrack.pipeline import parse_file
from tests.generate import Case, ExpectedRecord, variants

FIELDS = (
    "acceptance",
    "implementation",
    "addressee",
    "previous_implementation",
    "completed_year",
    "responsible",
)
CASES = list(variants())
SCORE: Counter[str] = Counter()
pytestmark = pytest.mark.slow  # builds and reads every generated document


def _fold(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _pair(
    expected: list[ExpectedRecord], got: list[Assessment]
) -> tuple[list[tuple[ExpectedRecord, Assessment]], list[object], list[object]]:
    by_key = {}
    for a in got:
        symbol = a.review_symbol if a.review_symbol.startswith("JIU/") else None
        by_key[(symbol, a.rec_number)] = a
    pairs, missing = [], []
    for e in expected:
        a = by_key.pop(e.key, None)
        if a is None:
            missing.append(e.key)
        else:
            pairs.append((e, a))
    return pairs, missing, list(by_key)


RUNS = [(c, "pdfium") for c in CASES] + [(c, "pdfplumber") for c in CASES if c.fmt == "pdf"]


@pytest.mark.parametrize(
    ("case", "engine"), RUNS, ids=[f"{c.id}-{e}" if c.fmt == "pdf" else c.id for c, e in RUNS]
)
def test_generated_document_read_like_the_corpus(case: Case, engine: str, tmp_path: Path) -> None:
    """Each PDF through both page readers: PDFium (default) and pdfminer (the reference)."""
    path = case.build(tmp_path)
    parsed = parse_file(path, ExtractConfig.with_engine(engine))
    spec = case.spec
    if not spec.records:  # budget tables, participant lists, tables of contents
        assert parsed.assessments == []
        return
    assert parsed.info.agency == spec.agency
    pairs, missing, extra = _pair(list(spec.records), parsed.assessments)
    assert missing == [] and extra == []
    wrong = []
    for e, a in pairs:
        for field in FIELDS:
            want, have = _fold(getattr(e, field)), _fold(getattr(a, field))
            SCORE[f"{case.spec.layout}/{field}/total"] += 1
            if want == have:
                SCORE[f"{case.spec.layout}/{field}/ok"] += 1
            else:
                wrong.append(f"#{e.rec_number} {field}: {have!r} != {want!r}")
    assert wrong == []
    assert not parsed.unmapped, parsed.unmapped
