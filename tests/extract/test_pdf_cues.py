"""page_cues.yaml goes through the one knowledge-file loader: a mistake names file, line, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.datafile import DataFileError
from extract.pdf_cues import DATA, load


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  min_segments: 3", "  min_segments: 1", "table_like.min_segments"),  # no columns
        ("  min_segments: 3", "  min_segments: 3\n  max_segments: 9", "table_like.max_segments"),
        ("  - recommend\n", "  - '  '\n", "words.0"),  # a blank cue would match every page
    ],
)
def test_a_mistake_in_page_cues_names_file_line_and_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    text = DATA.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "page_cues.yaml"
    changed = text.replace(old, new, 1)
    bad.write_text(changed, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load(bad)
    line = _line_of(changed, new.strip().splitlines()[-1])
    assert str(caught.value).startswith(f"{bad}:{line}: {key}:")


def test_the_shipped_cues_load_lower_case() -> None:
    cues = load()
    assert "recommend" in cues.words and all(w == w.lower() for w in cues.words)
    assert cues.min_segments >= 2 and cues.marks


def test_tick_marks_are_the_recognizers_distinct_ones() -> None:
    from extract.recognizers import vocab

    v = vocab.load()
    cues = load()
    assert cues.marks == v.distinct_tick_marks and "✓" in cues.marks
    assert set(cues.marks) < v.tick_marks and "x" not in cues.marks
