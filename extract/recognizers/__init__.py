"""Recognition: a document's recommendations and the evidence of their status.

Two sources feed one resolver:

* table recognizers for known table shapes, each a module with ``NAME``, ``matches(table,
  vocab)`` and ``parse(table, context, vocab)`` (``keyvalue``: one small key/value table per
  recommendation; ``columns``: one row per recommendation, columns found by header synonyms);
* the evidence walk (``stream`` -> ``anchors`` -> ``regions`` -> ``resolve``) over everything
  else: it starts from wherever the document states a recommendation and gathers the evidence
  around it, so it reads shapes nobody described.

Count tables (per review, per status) give no records; their counts are evidence. The
resolver keeps each recommendation once, writes a warning where statements disagree, and keeps
only recommendations with a stated status or acceptance. Recognizers know nothing of PDF or
DOCX, nor of SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.model import Block, Document, RawRecord, Table

from . import columns, context, keyvalue, regions, resolve, stream
from . import cues as cues_mod
from .evidence import status_from_value
from .vocab import Vocab, load

NO_STATUS_NOTE = "no recommendation-status information found"


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


@dataclass
class Recognition:
    records: list[RawRecord]
    warnings: list[str] = field(default_factory=list)
    note: str | None = None  # why there are no records


def recognize(doc: Document, vocab: Vocab | None = None) -> list[RawRecord]:
    """Raw records of every recommendation with a stated status in ``doc``, in reading order."""
    return recognize_document(doc, vocab).records


_LETTER = re.compile(r"[^\W\d_]")


def _has_status(record: RawRecord) -> bool:
    """A status must be worded: counts and dashes are not statuses, nor is a narrative with no
    status word in it (the same test as for evidence in a typed column)."""
    if record.acceptance_prose and _LETTER.search(record.acceptance_prose):
        return True
    cue = cues_mod.load()
    for name, text in (
        ("acceptance", record.acceptance_raw),
        ("implementation", record.implementation_raw),
    ):
        if text and _LETTER.search(text) and status_from_value(name, text, cue):
            return True
    return False


def recognize_document(doc: Document, vocab: Vocab | None = None) -> Recognition:
    """Records, warnings (doubts met, one line each) and, with no records, a note why."""
    vocab = vocab or load()
    cue = cues_mod.load()
    table_records, consumed, count_statements = _tables(doc, vocab, cue)
    units = stream.units(doc, skip=consumed)
    walk = regions.walk(doc, units, vocab, cue)
    evidence_records, warnings = resolve.resolve(walk, count_statements)
    records, more = _merge(table_records, evidence_records)
    warnings += more
    records.sort(key=lambda r: (r.prov.page or 0, r.table_index))
    _set_bodies(doc, records)
    return Recognition(records, warnings, None if records else NO_STATUS_NOTE)


def _tables(
    doc: Document, vocab: Vocab, cue: cues_mod.Cues
) -> tuple[list[RawRecord], set[int], list[regions.CountStatement]]:
    """Known table shapes read by their recognizers; count tables read as counts."""
    ctx = context.Context()
    records: list[RawRecord] = []
    consumed: set[int] = set()
    counts: list[regions.CountStatement] = []
    last: list[RawRecord] = []
    for item in doc.items:
        if isinstance(item, Block):
            if last and _attach_note(last[-1], item, vocab):
                continue
            last = []
            ctx = context.update(ctx, item, vocab)
            continue
        last = []
        found = regions.count_table(item, vocab, cue)
        if found:
            counts.extend(found)
            consumed.add(item.index)
            continue
        for recognizer in REGISTRY:
            if recognizer.matches(item, vocab):
                parsed = recognizer.parse(item, ctx, vocab)
                # A status table states every row's status, a blank check-box row included;
                # a table where no row has a worded status is no status table.
                if any(_has_status(r) for r in parsed):
                    last = parsed
                    records.extend(parsed)
                    consumed.add(item.index)
                break
    for r in records:
        r.rec_id = r.rec_id or (str(r.rec_number) if r.rec_number is not None else None)
    return records, consumed, counts


def _key(r: RawRecord) -> tuple[str, str]:
    return (r.review_symbol or r.review_title or "", r.rec_id or "")


def _merge(
    table_records: list[RawRecord], evidence_records: list[RawRecord]
) -> tuple[list[RawRecord], list[str]]:
    """Table records first; a recommendation already read is not read again."""
    out: list[RawRecord] = []
    seen: dict[tuple[str, str], RawRecord] = {}
    warnings: list[str] = []
    for r in [*table_records, *evidence_records]:
        key = _key(r)
        first = seen.get(key)
        if first is None:
            seen[key] = r
            out.append(r)
            continue
        for name in ("acceptance_raw", "implementation_raw"):
            a, b = getattr(first, name), getattr(r, name)
            if a and b and " ".join(a.split()).lower() != " ".join(b.split()).lower():
                warnings.append(
                    f"recommendation {r.rec_id} of {key[0] or 'the document'}: "
                    f"{name.removesuffix('_raw')} read differently ('{a}' page "
                    f"{first.prov.page}; '{b}' page {r.prov.page}); kept '{a}'"
                )
            elif b and not a:
                setattr(first, name, b)
    return out, warnings


def _set_bodies(doc: Document, records: list[RawRecord]) -> None:
    """The oversight body of each record the recognizer left without one (extract.bodies:
    review symbol, review title, what the record's text says of its author, then cues in the
    document's opening)."""
    from extract.bodies import body_of
    from extract.identify import opening

    cues = opening(doc)
    for r in records:
        r.body = r.body or body_of(r.review_symbol, r.review_title, cues, record_text=r.rec_text)


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


__all__ = ["NO_STATUS_NOTE", "REGISTRY", "Recognition", "recognize", "recognize_document"]
