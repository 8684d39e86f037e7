"""Real documents that tempt a recognizer (tables of contents, recommendation counts by
priority and age) but state no status for any single recommendation: zero records, a note
saying why, and no failure. See tests/fixtures/wild/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.recognizers import NO_STATUS_NOTE
from rectrack.pipeline import parse_file

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"


@pytest.mark.parametrize("path", sorted(WILD.glob("*.pdf")), ids=lambda p: p.stem)
def test_no_records_from_documents_without_statuses(path: Path) -> None:
    parsed = parse_file(path)
    assert parsed.assessments == []
    assert parsed.note == NO_STATUS_NOTE
