"""A small database built from code for the serve, report and notebook tests: two agencies,
two editions each, reviews shared across agencies; plus the expected numbers, computed here in
plain Python from the same values (not from the views), so the views can be checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.model import Assessment, DocumentInfo, ParsedDocument
from load import load_document, open_db

R1, R2, R3 = "JIU/REP/2019/2", "JIU/REP/2020/8", "JIU/NOTE/2021/1"

ACCEPTED = {"accepted", "partially_accepted"}
DECIDED = ACCEPTED | {"not_accepted", "noted"}  # load/views/README.md


def _a(
    sym: str, n: int, acc: str, imp: str, page: int | None, addr: str = "executive_head"
) -> Assessment:
    return Assessment(
        review_symbol=sym,
        rec_number=n,
        review_title=f"Review {sym}",
        rec_text=f"The executive heads should act on item {n} of {sym}.",
        addressee=addr,
        acceptance=acc,
        acceptance_raw=acc.replace("_", " ").capitalize(),
        implementation=imp,
        implementation_raw=imp.replace("_", " ").capitalize(),
        page=page,
    )


def _doc(name: str, agency: str, as_of: str, fmt: str = "pdf") -> DocumentInfo:
    return DocumentInfo(
        source_file=name,
        sha256=(name * 64)[:64],
        format=fmt,  # type: ignore[arg-type]
        pages=12 if fmt == "pdf" else None,
        agency=agency,
        document_symbol=f"{agency}/{as_of[:4]}",
        as_of=as_of,
    )


def documents() -> list[ParsedDocument]:
    """Oldest edition first per agency; the loading order is also the ingestion order."""
    return [
        ParsedDocument(
            _doc("wipo_2021.pdf", "WIPO", "2021-06-30"),
            [
                _a(R1, 1, "accepted", "in_progress", 3),
                _a(R1, 2, "accepted", "not_started", 3),
                _a(R2, 1, "under_consideration", "not_applicable", 4, "legislative_body"),
                _a(R2, 2, "accepted", "implemented", 5),
            ],
        ),
        ParsedDocument(
            _doc("wipo_2022.pdf", "WIPO", "2022-06-30"),
            [
                _a(R1, 1, "accepted", "implemented", 2),  # changed: in_progress -> implemented
                _a(R1, 2, "accepted", "not_started", 2),  # unchanged, open
                _a(R2, 1, "accepted", "in_progress", 6, "legislative_body"),  # changed
                # R2/2 not mentioned: its latest status stays the 2021 one
                _a(R3, 1, "not_relevant", "not_applicable", 7),
            ],
        ),
        ParsedDocument(
            _doc("itu_2021.docx", "ITU", "2021-03-31", "docx"),
            [
                _a(R2, 1, "accepted", "in_progress", None),
                _a(R2, 2, "not_accepted", "not_applicable", None),
            ],
        ),
        ParsedDocument(
            _doc("itu_2022.pdf", "ITU", "2022-03-31"),
            [
                _a(R2, 1, "accepted", "implemented", 9),  # changed
                _a(R2, 2, "not_accepted", "not_applicable", 9),
                _a(R2, 3, "partially_accepted", "in_progress", 10, "legislative_body"),
                _a(R3, 1, "unknown", "unknown", 11),
                # latest status still undecided: left out of the acceptance denominator
                _a(R3, 2, "under_consideration", "not_applicable", 11),
            ],
        ),
    ]


def build_db(path: Path) -> Path:
    """Write the fixture database to ``path`` (a SQLite file) and return it."""
    engine = open_db(str(path))
    try:
        for doc in documents():
            load_document(engine, doc)
    finally:
        engine.dispose()
    return path


@dataclass(frozen=True)
class Latest:
    agency: str
    source_file: str
    page: int | None
    a: Assessment


def latest() -> dict[tuple[str, str, int], Latest]:
    """Newest mention per (agency, review, rec), by as_of (the fixture has no ties)."""
    out: dict[tuple[str, str, int], Latest] = {}
    newest: dict[tuple[str, str, int], str] = {}
    for doc in documents():
        agency, as_of = doc.info.agency or "", doc.info.as_of or ""
        for a in doc.assessments:
            key = (agency, a.review_symbol, a.rec_number)
            if key not in newest or as_of > newest[key]:
                newest[key] = as_of
                out[key] = Latest(agency, doc.info.source_file, a.page, a)
    return out


def expected_rates() -> dict[str, dict[str, float | int | None]]:
    """The JIU's formulas, applied in Python to :func:`latest`."""
    counts: dict[str, Counter[str]] = {}
    for row in latest().values():
        c = counts.setdefault(row.agency, Counter())
        c["recommendations"] += row.a.acceptance in DECIDED
        c["accepted"] += row.a.acceptance in ACCEPTED
        c["implemented"] += row.a.acceptance in ACCEPTED and row.a.implementation == "implemented"
    return {
        agency: {
            "recommendations": c["recommendations"],
            "accepted": c["accepted"],
            "implemented": c["implemented"],
            "acceptance_rate": c["accepted"] / c["recommendations"]
            if c["recommendations"]
            else None,
            "implementation_rate": c["implemented"] / c["accepted"] if c["accepted"] else None,
        }
        for agency, c in counts.items()
    }


def expected_changes() -> set[tuple[str, str, int, str, str]]:
    """(agency, review, rec, from_implementation, to_implementation) between an agency's two
    editions, where acceptance or implementation differ."""
    by_agency: dict[str, list[ParsedDocument]] = {}
    for doc in documents():
        by_agency.setdefault(doc.info.agency or "", []).append(doc)
    out: set[tuple[str, str, int, str, str]] = set()
    for agency, docs in by_agency.items():
        old, new = sorted(docs, key=lambda d: d.info.as_of or "")
        before = {(a.review_symbol, a.rec_number): a for a in old.assessments}
        for a in new.assessments:
            b = before.get((a.review_symbol, a.rec_number))
            if b and (b.acceptance, b.implementation) != (a.acceptance, a.implementation):
                out.add((agency, a.review_symbol, a.rec_number, b.implementation, a.implementation))
    return out
