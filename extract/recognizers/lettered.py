"""Lettered lists of recommendations: "(a) <text>. <status sentence>." under a numbered
paragraph that announces them ("8. The third-party review contained three recommendations
concerning mandate and strategy:"), the letters starting again at (a) under every such
paragraph.

A reader may cut such a list anywhere (items run together in one paragraph, an item's last
line stands alone, the first item shares the lead-in's paragraph, a footnote falls between
two items), so the list is read as one text from the lead-in to the next numbered paragraph,
heading, table row or anchor, and split on the markers "(a)", "(b)", ... that follow each
other in order at a sentence's end. Each item's status is the sentence closing it that opens
with a status ("Completed to planned scope in 2023"); its recommendation is the text before.
A list under a paragraph that does not announce recommendations, and an item without a status
sentence, give nothing. The cues are data (``evidence.yaml``, ``lettered``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from string import ascii_lowercase

from .context import is_headingish
from .cues import Cues
from .evidence import cell_label
from .stream import Unit
from .vocab import fold

_RUNNING_MAX = 80
_RUNNING_PAGES = 3
_NUMBERED_PARAGRAPH = re.compile(r"^\d{1,3}\.\s+\S")
_ENDS_SENTENCE = re.compile(r"[.;:!?][\"”’)]?\d{0,3}$")
# an item marker; it counts at the start of a piece or after a sentence's end (";", ":", "."
# and optionally "and"/"or"), never inside a sentence ("(IPAS) review")
_MARKER = re.compile(r"\((?P<l>[a-z]{1,5})\)\s*")
_UNITS = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_ROMAN = (*(f"{t}{u}" for t in ("", "x") for u in _UNITS if t or u), "xx")  # i ... xx
# the orders items are marked in: (a), (b), ... or (i), (ii), ...; the first marker decides
_SEQUENCES = (tuple(ascii_lowercase), _ROMAN)
_AFTER_SENTENCE = re.compile(r"[.;:][\"”’)]?\d{0,3}\s*(?:(?:and|or)\s+)?$")
_SENTENCE_START = re.compile(r"(?<=[.;!?])[\"”’)]?\s*(?=[A-Z])")
# the end of a status sentence: a full stop, optionally followed by a footnote mark
_SENTENCE_END = re.compile(r"[.;!?](?=\d{0,3}(?:\s|$))")


@dataclass
class Item:
    letter: str
    text: str  # the recommendation's words
    unit: Unit  # where the item starts
    statuses: list[tuple[str, str, Unit]] = field(default_factory=list)  # field, raw, where


@dataclass
class LetteredList:
    number: int  # the lead-in paragraph's number
    items: list[Item]
    end: int  # index of the first unit after the list


def lead_in(text: str, cues: Cues) -> re.Match[str] | None:
    head = fold(text)
    for pattern in cues.lettered_lead_in:
        m = pattern.match(head)
        if m:
            return m
    return None


def _running_lines(units: list[Unit]) -> set[str]:
    """Short lines that open (or close) three pages or more (a running header the reader kept
    in the text, "DP/OPS/2025/2"): they interrupt a list without ending it."""
    pages: dict[str, set[int | None]] = {}
    for k, unit in enumerate(units):
        text = fold(unit.text)
        if len(text) > _RUNNING_MAX or unit.is_row:
            continue
        opens = k == 0 or units[k - 1].page != unit.page
        closes = k + 1 == len(units) or units[k + 1].page != unit.page
        if opens or closes:
            pages.setdefault(text, set()).add(unit.page)
    return {t for t, p in pages.items() if len(p) >= _RUNNING_PAGES}


def _continues(unit: Unit, cues: Cues) -> bool:
    """The unit is still part of the list: not a table row, a numbered paragraph, a section
    heading or a heading-like line that ends no sentence ("Progress on recommendation (b)")."""
    if unit.is_row:
        return False
    text = fold(unit.text)
    if _NUMBERED_PARAGRAPH.match(text) or any(p.match(text) for p in cues.region_breaks):
        return False
    if text[:1].islower():
        return True  # the rest of a sentence cut by the reader
    # a bold line that ends a sentence is an item's tail, not a heading
    return not (unit.block is not None and is_headingish(unit.block)) or bool(
        _ENDS_SENTENCE.search(text)
    )


def read(
    units: list[Unit], i: int, cues: Cues, is_anchor: Callable[[Unit], bool] | None = None
) -> LetteredList | None:
    """The lettered list announced by ``units[i]``, if it announces one and any of its items
    closes with a status sentence (a list without any is not read as one)."""
    unit = units[i]
    if unit.is_row:
        return None
    m = lead_in(unit.text, cues)
    if m is None:
        return None
    pieces: list[tuple[str, Unit]] = [(fold(unit.text)[m.end() :].strip(), unit)]
    furniture = _running_lines(units)
    j = i + 1
    while j < len(units):
        text = fold(units[j].text)
        if text in furniture and not units[j].is_row:  # a running header between two pages
            j += 1
            continue
        if not _continues(units[j], cues) or (is_anchor is not None and is_anchor(units[j])):
            break
        pieces.append((text, units[j]))
        j += 1
    items = _items(pieces, cues)
    if not any(item.statuses for item in items):
        return None
    # items without a status sentence stay: a status restated by letter elsewhere in the
    # section may give them one; the resolver drops those nothing gives a status
    return LetteredList(int(m.group("id")), items, j)


def _items(pieces: list[tuple[str, Unit]], cues: Cues) -> list[Item]:
    # one text, remembering where each piece starts (a marker at a piece's start is a marker)
    text, starts = "", []
    for piece, unit in pieces:
        if not piece:
            continue
        if text:
            text += " "
        starts.append((len(text), unit))
        text += piece
    if not starts:
        return []
    piece_starts = {s for s, _ in starts}

    def unit_at(offset: int) -> Unit:
        return next(u for s, u in reversed(starts) if s <= offset)

    marks: list[tuple[int, int, str]] = []  # marker start, text start, letter
    expected = 0
    order: tuple[str, ...] = ()
    for mk in _MARKER.finditer(text):
        if expected == 0:
            order = next((seq for seq in _SEQUENCES if mk.group("l") == seq[0]), ())
        if expected >= len(order) or mk.group("l") != order[expected]:
            continue
        at = mk.start("l") - 1  # the "("
        if expected == 0 and text[:at].strip():
            return []  # the list must start right after the lead-in
        if at not in piece_starts and not _AFTER_SENTENCE.search(text[max(0, at - 12) : at]):
            continue
        marks.append((at, mk.end(), mk.group("l")))
        expected += 1
    out: list[Item] = []
    for k, (at, begin, letter) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        out.append(_item(letter, text[begin:end].strip(), unit_at(at), begin, unit_at, cues))
    return out


def _item(
    letter: str, body: str, unit: Unit, offset: int, unit_at: Callable[[int], Unit], cues: Cues
) -> Item:
    """The item's words up to its first status sentence, and the status sentences."""
    item = Item(letter, body, unit)
    first: int | None = None
    for start in _SENTENCE_START.finditer(body):
        pos = start.end()
        if pos == 0:
            continue
        end = _SENTENCE_END.search(body, pos)
        sentence = body[pos : end.start() if end else len(body)].strip()
        if not sentence or cues.recommendation_sentence.search(sentence):
            continue
        found = cell_label(sentence, cues)
        if not found:
            found = {f: sentence for f, p in cues.lettered_status.items() if p.match(sentence)}
        if not found:
            continue
        if first is None:
            first = pos
        where = unit_at(offset + pos)
        item.statuses.extend((f, raw, where) for f, raw in found.items())
    if first is not None:
        item.text = body[:first].strip()
    return item
