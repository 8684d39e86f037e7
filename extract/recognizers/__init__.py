"""Recognizers turn a document's tables into raw records.

Each recognizer is a module with ``NAME``, ``matches(table, vocab)`` and
``parse(table, context, vocab)``; the first in ``REGISTRY`` that matches a table parses it.
The text between tables (review headings, annex titles) is folded into a :class:`Context`
that every recognizer sees. Recognizers know nothing of PDF or DOCX, nor of SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rectrack.model import Block, Document, RawRecord, Table

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
    for item in doc.items:
        if isinstance(item, Block):
            ctx = context.update(ctx, item, vocab)
            continue
        for recognizer in REGISTRY:
            if recognizer.matches(item, vocab):
                records.extend(recognizer.parse(item, ctx, vocab))
                break
    return records
