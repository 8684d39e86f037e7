"""Writing documents: one transaction per file, replacing any earlier load of the same name.

A file is identified by its name (``source_file``); its ``sha256`` tells an unchanged file
from an edited one. Whatever the latest run made of a file replaces what an earlier run
stored: a changed file's records are swapped atomically, and a changed file that now fails
keeps no stale records (its row says ``failed`` with the reason). ``status`` is the state of
the data, ``loaded`` or ``failed``; a rerun that skips an unchanged file only sets
``checked_at``.

One doubt never costs the whole document: a recommendation that reaches the loader twice
(same review, same ``rec_id``) is kept once, the first time it was read, and the doubt is
written to the document's ``warnings``. The raw records are stored beside the assessments, so
``rectrack renormalize`` can map them again (:func:`replace_assessments`) without the file.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from core.errors import LoadError
from core.model import Assessment, DocumentInfo, ParsedDocument, RawRecord, Unmapped, from_dict
from core.model import to_dict as model_to_dict
from core.text import fold

from .db import one_line, writing
from .reviews import review_year
from .schema import assessments, documents, raw_records, reviews
from .schema import unmapped_labels as unmapped_table

#: ``v_documents.note`` of a loaded document with no records whose reader gave no reason.
NO_RECORDS_NOTE = "no recommendation-status information found"


@dataclass(frozen=True)
class Resolved:
    """What the loader stores for one document: one assessment per (review, rec_id), in the
    order read, every ``rec_id`` filled; the doubts (the reader's, then the loader's); and,
    when there are no records, the note saying why (the reader's, else ``NO_RECORDS_NOTE``)."""

    assessments: list[Assessment]
    warnings: list[str]
    note: str | None


def resolve_document(parsed: ParsedDocument) -> Resolved:
    """Pure: the assessments, warnings and note :func:`load_document` stores for ``parsed``
    (the pipeline shows the same in its run summary)."""
    kept, doubts = _one_per_recommendation(_with_rec_ids(parsed.assessments))
    note = None if kept else " ".join((parsed.note or NO_RECORDS_NOTE).split())
    return Resolved(kept, _lines([*parsed.warnings, *doubts]), note)


def known_document(engine: sa.Engine, source_file: str, sha256: str) -> str | None:
    """'loaded' or 'failed' for the stored file with this name and hash, else None."""
    query = sa.select(documents.c.status).where(
        documents.c.source_file == source_file, documents.c.sha256 == sha256
    )
    with engine.connect() as conn:
        status = conn.execute(query).scalar_one_or_none()
    return status


def load_document(engine: sa.Engine, parsed: ParsedDocument) -> int:
    """Store one parsed file (replacing any earlier load of it); returns its record count."""
    info = parsed.info
    resolved = resolve_document(parsed)
    now = datetime.now(UTC)
    doc_row = {
        **_document_row(info),
        "ingested_at": now,
        "checked_at": now,
        "status": "loaded",
        "error": None,
        "warnings": _text(resolved.warnings),
        "read_warnings": _text(_lines(parsed.warnings)),
        "note": resolved.note,
    }
    try:
        with writing(engine) as conn:
            _delete(conn, info.source_file)
            insert = sa.insert(documents).values(doc_row).returning(documents.c.id)
            doc_id: int = conn.execute(insert).scalar_one()
            _insert_assessments(conn, doc_id, resolved.assessments, parsed.unmapped)
            if parsed.raw_records:
                conn.execute(
                    sa.insert(raw_records),
                    [
                        {"document_id": doc_id, "seq": i, "record": _raw_json(r)}
                        for i, r in enumerate(parsed.raw_records)
                    ],
                )
    except LoadError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        raise LoadError(f"the database refused it: {one_line(exc)}", file=info.source_file) from exc
    return len(resolved.assessments)


def record_failure(engine: sa.Engine, info: DocumentInfo, error: str) -> None:
    """Store a ``failed`` row with a one-line reason, dropping any earlier records of the file."""
    now = datetime.now(UTC)
    row = {
        **_document_row(info),
        "ingested_at": now,
        "checked_at": now,
        "status": "failed",
        "error": fold(error),
    }
    with writing(engine) as conn:
        _delete(conn, info.source_file)
        conn.execute(sa.insert(documents).values(row))


def record_skipped(engine: sa.Engine, source_file: str, sha256: str) -> None:
    """Note that a run saw this unchanged file and left it: ``checked_at`` is set, its status
    (``loaded`` or ``failed``, with the reason) and records stay as they are."""
    with writing(engine) as conn:
        done = conn.execute(
            sa.update(documents)
            .where(documents.c.source_file == source_file, documents.c.sha256 == sha256)
            .values(checked_at=datetime.now(UTC))
        )
        if done.rowcount == 0:
            raise LoadError("not stored with this hash, so it cannot be skipped", file=source_file)


@dataclass(frozen=True)
class StoredRaw:
    """A loaded document's raw records, as ``rectrack renormalize`` needs them."""

    source_file: str
    agency: str | None
    raw_records: list[RawRecord]
    read_warnings: list[str]
    records: int  # assessments stored now; > 0 with no raw records: loaded before 0005


def stored_raw_records(engine: sa.Engine) -> Iterator[StoredRaw]:
    """Every loaded document with its raw records, in ingestion order. Each document is read
    in its own short transaction, so a caller may write between them (as renormalize does)."""
    counts = (
        sa.select(sa.func.count())
        .where(assessments.c.document_id == documents.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            documents.c.id,
            documents.c.source_file,
            documents.c.agency,
            documents.c.read_warnings,
            counts.label("records"),
        )
        .where(documents.c.status == "loaded")
        .order_by(documents.c.id)
    )
    with engine.connect() as conn:
        docs = conn.execute(query).all()
    for doc in docs:
        with engine.connect() as conn:
            raws = (
                conn.execute(
                    sa.select(raw_records.c.record)
                    .where(raw_records.c.document_id == doc.id)
                    .order_by(raw_records.c.seq)
                )
                .scalars()
                .all()
            )
        yield StoredRaw(
            doc.source_file,
            doc.agency,
            [from_dict(RawRecord, json.loads(r)) for r in raws],
            (doc.read_warnings or "").splitlines(),
            doc.records,
        )


def replace_assessments(
    engine: sa.Engine,
    source_file: str,
    assessments_: list[Assessment],
    unmapped: list[Unmapped],
    read_warnings: list[str],
) -> int:
    """Swap a loaded document's assessments and unmapped labels for new ones (mapped again
    from its stored raw records), in one transaction; its file facts, raw records, note and
    ``ingested_at`` stay (the same raw records give as many records, so the note still holds).
    Returns the record count."""
    parsed = ParsedDocument(
        info=DocumentInfo(source_file=source_file, sha256="", format="pdf"),
        assessments=assessments_,
        unmapped=unmapped,
        warnings=read_warnings,
    )
    resolved = resolve_document(parsed)
    with writing(engine) as conn:
        doc_id = conn.execute(
            sa.select(documents.c.id).where(
                documents.c.source_file == source_file, documents.c.status == "loaded"
            )
        ).scalar_one_or_none()
        if doc_id is None:
            raise LoadError("no loaded document of this name", file=source_file)
        conn.execute(sa.delete(assessments).where(assessments.c.document_id == doc_id))
        conn.execute(sa.delete(unmapped_table).where(unmapped_table.c.document_id == doc_id))
        _insert_assessments(conn, doc_id, resolved.assessments, unmapped)
        conn.execute(
            sa.update(documents)
            .where(documents.c.id == doc_id)
            .values(warnings=_text(resolved.warnings))
        )
    return len(resolved.assessments)


def unmapped_labels(engine: sa.Engine) -> list[dict[str, Any]]:
    """Labels no rule mapped, with where they were seen: file, page, field, label."""
    query = (
        sa.select(
            documents.c.source_file.label("file"),
            unmapped_table.c.page,
            unmapped_table.c.field,
            unmapped_table.c.label,
        )
        .select_from(unmapped_table)
        .join(documents, documents.c.id == unmapped_table.c.document_id)
        .order_by(documents.c.id, unmapped_table.c.page, unmapped_table.c.id)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _delete(conn: sa.Connection, source_file: str) -> None:
    """Remove a file's earlier load; children go explicitly (not only by ON DELETE CASCADE),
    so a database opened without foreign keys enforced still keeps no orphans."""
    ids = sa.select(documents.c.id).where(documents.c.source_file == source_file)
    conn.execute(sa.delete(assessments).where(assessments.c.document_id.in_(ids)))
    conn.execute(sa.delete(unmapped_table).where(unmapped_table.c.document_id.in_(ids)))
    conn.execute(sa.delete(raw_records).where(raw_records.c.document_id.in_(ids)))
    conn.execute(sa.delete(documents).where(documents.c.source_file == source_file))


def _add_reviews(conn: sa.Connection, symbols: set[str]) -> None:
    known = set(
        conn.execute(
            sa.select(reviews.c.review_symbol).where(reviews.c.review_symbol.in_(symbols))
        ).scalars()
    )
    new = [{"review_symbol": s, "review_year": review_year(s)} for s in sorted(symbols - known)]
    if not new:
        return
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):  # another writer may add the same symbol meanwhile
        insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
        conn.execute(insert(reviews).on_conflict_do_nothing(), new)
    else:
        conn.execute(sa.insert(reviews), new)


def _insert_assessments(
    conn: sa.Connection, doc_id: int, kept: list[Assessment], unmapped: list[Unmapped]
) -> None:
    if kept:
        conn.execute(
            sa.insert(assessments), [_assessment_row(doc_id, i, a) for i, a in enumerate(kept)]
        )
        _add_reviews(conn, {a.review_symbol for a in kept})
    if unmapped:
        conn.execute(
            sa.insert(unmapped_table),
            [
                {"document_id": doc_id, "field": u.field, "label": u.label, "page": u.page}
                for u in unmapped
            ],
        )


def _with_rec_ids(items: list[Assessment]) -> list[Assessment]:
    """Every assessment with its ``rec_id``: as given; else its number as text; else ``#n``,
    its ordinal among the document's unnumbered recommendations (never an invented number)."""
    out: list[Assessment] = []
    unnumbered = 0
    for a in items:
        if a.rec_id:
            out.append(a)
        elif a.rec_number is not None:
            out.append(dataclasses.replace(a, rec_id=str(a.rec_number)))
        else:
            unnumbered += 1
            out.append(dataclasses.replace(a, rec_id=f"#{unnumbered}"))
    return out


def _one_per_recommendation(items: list[Assessment]) -> tuple[list[Assessment], list[str]]:
    """The first assessment of each (review_symbol, rec_id), and one warning per repeat.

    The recognizer reports each recommendation once, resolving repeats from its evidence; a
    repeat that still arrives here is a doubt about one recommendation, not about the file."""
    first: dict[tuple[str, str], Assessment] = {}
    kept: list[Assessment] = []
    doubts: list[str] = []
    for a in items:
        key = (a.review_symbol, a.rec_id)
        seen = first.get(key)
        if seen is None:
            first[key] = a
            kept.append(a)
            continue
        where = f" (pages {seen.page} and {a.page})" if seen.page or a.page else ""
        if (seen.acceptance, seen.implementation) == (a.acceptance, a.implementation):
            what = "with the same status"
        else:
            what = f"with different statuses ({_status(seen)}; then {_status(a)})"
        doubts.append(
            f"recommendation {a.rec_id} of {a.review_symbol} appears twice{where} {what}; "
            "the first is kept"
        )
    return kept, doubts


def _status(a: Assessment) -> str:
    return f"acceptance {a.acceptance}, implementation {a.implementation}"


def _lines(items: list[str]) -> list[str]:
    """Each warning on one line (a line break inside one would read as two)."""
    return [line for line in (fold(w) for w in items) if line]


def _text(lines: list[str]) -> str | None:
    """Warnings as stored: one per line, null when there are none."""
    return "\n".join(lines) or None


def _raw_json(record: RawRecord) -> str:
    return json.dumps(model_to_dict(record), ensure_ascii=False, sort_keys=True)


def _document_row(info: DocumentInfo) -> dict[str, Any]:
    return {
        "source_file": info.source_file,
        "sha256": info.sha256,
        "format": info.format,
        "pages": info.pages,
        "size": info.size,
        "agency": info.agency,
        "agency_name": info.agency_name,
        "document_symbol": info.document_symbol,
        "as_of": _as_date(info),
    }


def _as_date(info: DocumentInfo) -> date | None:
    if not info.as_of:
        return None
    try:
        return date.fromisoformat(info.as_of)
    except ValueError as exc:
        raise LoadError(
            f"as_of {info.as_of!r} is not an ISO date (YYYY-MM-DD)", file=info.source_file
        ) from exc


def _assessment_row(doc_id: int, seq: int, a: Assessment) -> dict[str, Any]:
    box = a.bbox
    return {
        "document_id": doc_id,
        "seq": seq,
        "review_symbol": a.review_symbol,
        "review_title": a.review_title,
        "rec_id": a.rec_id,
        "rec_number": a.rec_number,
        "rec_text": a.rec_text,
        "rec_text_raw": a.rec_text_raw,
        "body": a.body,
        "addressee": a.addressee,
        "acceptance": a.acceptance,
        "acceptance_raw": a.acceptance_raw,
        "implementation": a.implementation,
        "implementation_raw": a.implementation_raw,
        "previous_implementation": a.previous_implementation,
        "completed_year": a.completed_year,
        "deadline": a.deadline,
        "responsible": a.responsible,
        "comment": a.comment,
        "page": a.page,
        "bbox_x0": box.x0 if box else None,
        "bbox_top": box.top if box else None,
        "bbox_x1": box.x1 if box else None,
        "bbox_bottom": box.bottom if box else None,
        "recognizer": a.recognizer,
        "status_page": a.status_page,
    }
