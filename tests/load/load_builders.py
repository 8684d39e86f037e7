"""Values for load tests, built from code: documents, assessments, and a query helper."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.model import Assessment, DocumentInfo, ParsedDocument


def info(name: str = "report.pdf", sha: str = "a", **kw: Any) -> DocumentInfo:
    fmt = "docx" if name.lower().endswith(".docx") else "pdf"
    pages = 10 if fmt == "pdf" else None
    fields: dict[str, Any] = {"format": fmt, "pages": pages, "agency": "WIPO"}
    fields.update(kw)
    return DocumentInfo(source_file=name, sha256=sha * 64 if len(sha) == 1 else sha, **fields)


def rec(symbol: str = "JIU/REP/2020/8", number: int = 1, **kw: Any) -> Assessment:
    fields: dict[str, Any] = {"rec_text": f"Recommendation {number} of {symbol}"}
    fields.update(kw)
    return Assessment(review_symbol=symbol, rec_number=number, **fields)


def parsed(doc: DocumentInfo, *recs: Assessment, **kw: Any) -> ParsedDocument:
    return ParsedDocument(info=doc, assessments=list(recs), **kw)


def rows(engine: sa.Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]
