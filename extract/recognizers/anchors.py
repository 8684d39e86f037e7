"""Anchors: the places where a document states a recommendation ("Recommendation 4",
"6. Recommendation 1.", "Evaluation recommendation 3:", "In paragraph 36, the Board
recommended ..."). The patterns are data (``evidence.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import Cues
from .vocab import fold

_LEADING = re.compile(r"\d+")


@dataclass(frozen=True)
class Anchor:
    rec_id: str  # as printed: '4', '3(a)', '1.2'; '' when unnumbered
    rec_number: int | None  # leading number, for sorting
    rest: str  # the text after the anchor (the recommendation, or the start of a response)
    addressee: str | None = None  # stated on the anchor line ("addressed to legislative bodies")


def find(text: str, cues: Cues) -> Anchor | None:
    """The anchor a paragraph or cell begins with, if any."""
    head = fold(text[:400])
    for pattern in cues.anchors:
        m = pattern.match(head)
        if not m:
            continue
        rec_id = re.sub(r"\s+", "", m.group("id"))
        number = _LEADING.match(rec_id)
        addressee = m.groupdict().get("addressee")
        rest_start = m.end("id")
        # the rest of the whole text, from the same offset in the original (folded) text
        rest = fold(text)[rest_start:].lstrip(" .:;,-–—)")
        if addressee:
            rest = fold(text)[m.end() :].lstrip(" .:;,-–—)")
        return Anchor(rec_id, int(number.group(0)) if number else None, rest, addressee)
    whole = fold(text)
    for pattern in cues.cited_anchors:  # "I recommend that ... [paragraph 18]"
        m = pattern.match(whole)
        if m:
            return Anchor(m.group("id"), int(m.group("id")), whole[m.start("text") :])
    for pattern in cues.unnumbered_anchors:
        m = pattern.match(head)
        if m:  # the walk gives it an ordinal ('#1') in reading order
            return Anchor("", None, fold(text)[m.end() :])
    return None


def reference_paragraph(text: str, cues: Cues) -> int | None:
    """The paragraph a report-reference cell cites ("A/69/5/Add.6, chap. II, para. 29" -> 29):
    the recommendation's own number in that report, where the row's number only counts rows."""
    m = cues.reference_paragraph.match(fold(text))
    return int(m.group("id")) if m else None
