"""The recognizers' knowledge files (headers.yaml, evidence.yaml) go through the one loader:
the shipped files compile to the patterns the recognizers use, and a mistake in a copy is
refused naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.datafile import DataFileError
from extract.recognizers import cues, vocab


def test_shipped_headers_compile() -> None:
    v = vocab.load()
    assert vocab.classify("Addressed to", v.fields) == "addressee"
    assert vocab.classify("Target date", v.fields) == "deadline"
    assert vocab.is_tick("✓", v) and not vocab.is_tick("Yes", v)
    assert (
        v.bare_number.match("3.")
        and vocab.review_symbol("see JIU/REP/2019/6", v) == "JIU/REP/2019/6"
    )


def test_shipped_evidence_compiles() -> None:
    c = cues.load()
    assert c.count("Five") == 5 and c.count("12") == 12
    assert any(a.match("Recommendation 4") for a in c.anchors)
    assert c.cell_labels["acceptance"].match("Accepted")
    assert "acceptance" in c.phrases and c.title_generic.match("The evaluation report")


def _copy(tmp_path: Path, source: Path, old: str, new: str) -> tuple[Path, int]:
    """``source`` with ``old`` replaced once, and the 1-based line of the change."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    at = text.index(old)
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text[:at].count("\n") + 1


@pytest.mark.parametrize(
    ("load", "source", "old", "new", "key"),
    [
        (vocab.load, vocab.DATA, "\ntick_groups:", "\ntick_grups:", "tick_grups: Extra inputs"),
        (
            vocab.load,
            vocab.DATA,
            "\nbare_number: '",
            "\nbare_number: [a]  #'",
            "bare_number: Input should be a valid string",
        ),
        (
            vocab.load,
            vocab.DATA,
            "\nreview_symbol: '",
            "\nreview_symbol: '(",
            "review_symbol: .*bad regex",
        ),
        (
            cues.load,
            cues.DATA,
            "\nnumber_words: {one: 1",
            "\nnumber_words: {one: many",
            "number_words.one: ",
        ),
        (
            cues.load,
            cues.DATA,
            "\nregion_breaks:",
            "\nregion_brakes:",
            "region_brakes: Extra inputs",
        ),
        (
            cues.load,
            cues.DATA,
            "\naddressee_count: '",
            "\naddressee_count: '(?P<count",
            "addressee_count: .*bad regex",
        ),
        (
            cues.load,
            cues.DATA,
            "\naddressee_phrase: '{verbs} to (?:the )?(?P<who>{addressees})'",
            "\naddressee_phrase: '{verbs} to (?:the )?(?P<who>administrator)'",
            "addressee_phrase: .*must contain",
        ),
    ],
)
def test_a_mistake_is_refused_naming_file_line_and_key(
    tmp_path: Path,
    load,
    source: Path,
    old: str,
    new: str,
    key: str,  # type: ignore[no-untyped-def]
) -> None:
    path, line = _copy(tmp_path, source, old, new)
    with pytest.raises(DataFileError, match=rf"^{path}:{line + 1}: {key}"):
        load.__wrapped__(path)


@pytest.mark.parametrize(
    ("note", "status"),
    [
        ("Previously “in progress”", "in progress"),
        ('previously: "not started"', "not started"),
        ("Previously: implemented. More text", "implemented"),
    ],
)
def test_previous_status_is_handed_over_without_its_prefix(note: str, status: str) -> None:
    match = vocab.load().previous_status.search(note)
    assert match is not None and (match.group(1) or match.group(2)) == status


def test_addressees_are_listed_once_and_fill_both_patterns() -> None:
    text = cues.DATA.read_text(encoding="utf-8")
    assert text.count("executive director") == 1
    c = cues.load()
    said = c.addressee_phrase.search("recommendations 1 and 2 are directed to the Administrator")
    assert said is not None and said.group("who") == "Administrator"
    counted = c.addressee_count.search("Five are addressed to the Executive Director")
    assert counted is not None and counted.group("who") == "Executive Director"
