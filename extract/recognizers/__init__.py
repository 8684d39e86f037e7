"""Recognition: a document's recommendations and the evidence of their status.

One mechanism, whatever the layout: the document as one stream of paragraphs and table rows
(``stream``); anchors wherever a recommendation is stated (``anchors``: "Recommendation 4" in a
paragraph or a cell, "In paragraph 36, the Board recommended", a numbered row, a row under a
review symbol); lettered lists of recommendations under a numbered paragraph announcing them
(``lettered``: "8. The review contained three recommendations ...:" then "(a) <text>. <status
sentence>.", rec_id '8(a)'); a region per anchor and the evidence in it (``regions``,
``evidence``: ``key: value`` lines and rows, cells typed by their header or by their content,
tick marks under status headings, status phrases in prose, statuses stated elsewhere by number,
counts); and a resolver (``resolve``) that keeps each recommendation once, writes a warning
where statements disagree, and keeps only recommendations with a stated status or acceptance.
Key/value tables (WIPO), check-box matrices (ITU) and management-response tables (UN-Women) are
cases of it.

Statuses printed as codes are read through the document's own legend (``legend``: "I |
Implemented", "PI = Partially implemented"). Count tables (per review, per status) give no
records; their counts are evidence. The knowledge lives in ``extract/data/headers.yaml`` and
``extract/data/evidence.yaml``. Recognizers know nothing of PDF or DOCX, nor of SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.model import Document, RawRecord

from . import counts, legend, regions, resolve, stream
from . import cues as cues_mod
from .vocab import Vocab, load

NO_STATUS_NOTE = "no recommendation-status information found"
NAME = "evidence"


@dataclass
class Recognition:
    records: list[RawRecord]
    warnings: list[str] = field(default_factory=list)
    note: str | None = None  # why there are no records


def recognize(
    doc: Document, vocab: Vocab | None = None, own_symbol: str | None = None
) -> list[RawRecord]:
    """Raw records of every recommendation with a stated status in ``doc``, in reading order."""
    return recognize_document(doc, vocab, own_symbol).records


def recognize_document(
    doc: Document, vocab: Vocab | None = None, own_symbol: str | None = None
) -> Recognition:
    """Records, warnings (doubts met, one line each) and, with no records, a note why.
    ``own_symbol`` is the document's symbol as identified (extract.identify): a line holding
    only it is page furniture (a running head printed once), never the review cited."""
    vocab = vocab or load()
    cue = cues_mod.load()
    counted: set[int] = set()
    count_statements: list[counts.CountStatement] = []
    for table in doc.tables:
        found = counts.count_table(table, vocab, cue)
        if found:  # counts per review: evidence, never records
            count_statements.extend(found)
            counted.add(table.index)
    units = stream.units(doc, skip=counted)
    walk = regions.walk(doc, units, vocab, cue, own_symbol)
    records, warnings = resolve.resolve(walk, count_statements)  # in reading order
    _read_codes(doc, records, cue)
    _set_bodies(doc, records)
    return Recognition(records, warnings, None if records else NO_STATUS_NOTE)


def _read_codes(doc: Document, records: list[RawRecord], cue: cues_mod.Cues) -> None:
    """Statuses printed as codes the document's legend explains ("IP" = "In progress") are
    read as the legend's labels (extract/recognizers/legend.py)."""
    codes = legend.codes(doc, cue) if records else {}
    if not codes:
        return
    for r in records:
        r.acceptance_raw = legend.read(r.acceptance_raw, codes)
        r.implementation_raw = legend.read(r.implementation_raw, codes)


def _set_bodies(doc: Document, records: list[RawRecord]) -> None:
    """The oversight body of each record the recognizer left without one (extract.bodies:
    review symbol, review title, what the record's text says of its author, then cues in the
    document's opening)."""
    from extract.bodies import body_of, body_of_text
    from extract.identify import opening

    if all(r.body for r in records):
        return
    # the opening's cues once per document, not once per record (a 1,200-row register
    # spent 24 s re-reading them)
    document_body = body_of_text(opening(doc)) or ""
    for r in records:
        r.body = r.body or body_of(
            r.review_symbol, r.review_title, record_text=r.rec_text, document_body=document_body
        )


__all__ = ["NAME", "NO_STATUS_NOTE", "Recognition", "recognize", "recognize_document"]
