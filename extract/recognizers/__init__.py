"""Recognizers turn a document's tables into raw records.

Each recognizer is a module with ``NAME``, ``matches(table, vocab)`` and
``parse(table, context, vocab)``; the first in ``REGISTRY`` that matches a table parses it.
The text between tables (review headings, annex titles) is folded into a :class:`Context`
that every recognizer sees. Recognizers know nothing of PDF or DOCX, nor of SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.model import Block, Document, RawRecord, Table

from . import columns, context, keyvalue
from .vocab import Vocab, load


@dataclass(frozen=True)
class Recognizer:
    name: str
    matches: Callable[[Table, Vocab], bool]
    parse: Callable[[Table, context.Context, Vocab], list[RawRecord]]


def _columns_matches(table: Table, vocab: Vocab) -> bool:
    return columns.layout(table, vocab) is not None


REGISTRY: list[Recognizer] = [
    Recognizer(keyvalue.NAME, keyvalue.matches, keyvalue.parse),
    Recognizer(columns.NAME, _columns_matches, columns.parse),
]


def recognize(doc: Document, vocab: Vocab | None = None) -> list[RawRecord]:
    """Raw records of every recommendation-status table in ``doc``, in reading order."""
    vocab = vocab or load()
    ctx = context.Context()
    records: list[RawRecord] = []
    last: list[RawRecord] = []  # records of the table just read
    for item in doc.items:
        if isinstance(item, Block):
            if last and _attach_note(last[-1], item, vocab):
                continue
            last = []
            ctx = context.update(ctx, item, vocab)
            continue
        last = []
        for recognizer in REGISTRY:
            if recognizer.matches(item, vocab):
                last = recognizer.parse(item, ctx, vocab)
                records.extend(last)
                break
    _set_bodies(doc, records)
    return records


def _set_bodies(doc: Document, records: list[RawRecord]) -> None:
    """The oversight body of each record the recognizer left without one (extract.bodies:
    review symbol, review title, then cues in the record's text and the document's opening)."""
    from extract.bodies import body_of
    from extract.identify import opening

    cues = opening(doc)
    for r in records:
        r.body = r.body or body_of(r.review_symbol, r.review_title, (r.rec_text, cues))


_NOTE_MAX = 120


def _attach_note(record: RawRecord, block: Block, vocab: Vocab) -> bool:
    """A short note right under a table ('Previously “in progress”', in a text box or a
    paragraph of its own) belongs to the table's last recommendation."""
    text = block.text.strip()
    if len(text) > _NOTE_MAX:
        return False
    match = vocab.previous_status.search(text)
    if not match or text[: match.start()].strip():
        return False
    if record.previous_raw is None:
        record.previous_raw = " ".join((match.group(1) or match.group(2)).split())
    return True
