"""Writing documents: one transaction per file, replacing any earlier load of the same name.

A file is identified by its name (``source_file``); its ``sha256`` tells an unchanged file
from an edited one. Whatever the latest run made of a file replaces what an earlier run
stored: a changed file's records are swapped atomically, and a changed file that now fails
keeps no stale records (its row says ``failed`` with the reason). ``skipped`` only re-labels a
row whose hash matches, keeping its records.
"""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from core.errors import LoadError
from core.model import Assessment, DocumentInfo, ParsedDocument

from .db import one_line, writing
from .reviews import review_year
from .schema import assessments, documents, reviews
from .schema import unmapped_labels as unmapped_table


def known_document(engine: sa.Engine, source_file: str, sha256: str) -> str | None:
    """'loaded' or 'failed' for the stored file with this name and hash, else None.

    A file marked ``skipped`` by an earlier run still holds its records: it reads 'loaded', so
    a caller that skips 'loaded' files keeps skipping it.
    """
    query = sa.select(documents.c.status).where(
        documents.c.source_file == source_file, documents.c.sha256 == sha256
    )
    with engine.connect() as conn:
        status = conn.execute(query).scalar_one_or_none()
    return "loaded" if status == "skipped" else status


def load_document(engine: sa.Engine, parsed: ParsedDocument) -> int:
    """Store one parsed file (replacing any earlier load of it); returns its record count."""
    info = parsed.info
    _check_unique(parsed)
    doc_row = {**_document_row(info), "status": "loaded", "error": None}
    try:
        with writing(engine) as conn:
            _delete(conn, info.source_file)
            insert = sa.insert(documents).values(doc_row).returning(documents.c.id)
            doc_id: int = conn.execute(insert).scalar_one()
            if parsed.assessments:
                rows = [_assessment_row(doc_id, i, a) for i, a in enumerate(parsed.assessments)]
                conn.execute(sa.insert(assessments), rows)
                _add_reviews(conn, {a.review_symbol for a in parsed.assessments})
            if parsed.unmapped:
                conn.execute(
                    sa.insert(unmapped_table),
                    [
                        {"document_id": doc_id, "field": u.field, "label": u.label, "page": u.page}
                        for u in parsed.unmapped
                    ],
                )
    except LoadError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        raise LoadError(f"the database refused it: {one_line(exc)}", file=info.source_file) from exc
    return len(parsed.assessments)


def record_failure(engine: sa.Engine, info: DocumentInfo, error: str) -> None:
    """Store a ``failed`` row with a one-line reason, dropping any earlier records of the file."""
    row = {**_document_row(info), "status": "failed", "error": " ".join(error.split())}
    with writing(engine) as conn:
        _delete(conn, info.source_file)
        conn.execute(sa.insert(documents).values(row))


def record_skipped(engine: sa.Engine, source_file: str, sha256: str) -> None:
    """Mark an unchanged, already loaded file ``skipped``, keeping its records.

    A file whose stored load failed stays ``failed``: skipping it must not hide the reason.
    """
    with writing(engine) as conn:
        status = conn.execute(
            sa.select(documents.c.status).where(
                documents.c.source_file == source_file, documents.c.sha256 == sha256
            )
        ).scalar_one_or_none()
        if status is None:
            raise LoadError("not stored with this hash, so it cannot be skipped", file=source_file)
        if status != "failed":
            conn.execute(
                sa.update(documents)
                .where(documents.c.source_file == source_file)
                .values(status="skipped")
            )


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


def _check_unique(parsed: ParsedDocument) -> None:
    """One row per (document, recommendation): a repeat is an upstream error, not a guess."""
    seen: dict[tuple[str, int | None], int | None] = {}
    for a in parsed.assessments:
        key = (a.review_symbol, a.rec_number)
        if key in seen:
            pages = f" (pages {seen[key]} and {a.page})" if a.page or seen[key] else ""
            raise LoadError(
                f"recommendation {a.rec_number} of {a.review_symbol} appears twice{pages}; "
                "the recognizer must report each recommendation once",
                file=parsed.info.source_file,
                page=a.page,
            )
        seen[key] = a.page


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
        "ingested_at": datetime.now(UTC),
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
        "rec_number": a.rec_number,
        "rec_text": a.rec_text,
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
    }
