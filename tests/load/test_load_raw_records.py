"""Raw records kept with each document, read back whole, and assessments swapped for ones
mapped again (what `rectrack renormalize` does), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.model import BBox, Prov, RawRecord, Unmapped
from load import (
    LoadError,
    load_document,
    record_failure,
    replace_assessments,
    stored_raw_records,
    unmapped_labels,
)
from tests.load.load_builders import info, parsed, rec, rows


def _raw(number: int | None, label: str, **kw: object) -> RawRecord:
    return RawRecord(
        recognizer="columns",
        rec_number=number,
        rec_id=kw.pop("rec_id", None),  # type: ignore[arg-type]
        rec_text=f"The executive heads\nshould act ({number}).",
        implementation_raw=label,
        prov=Prov(page=3, bbox=BBox(10, 20.5, 300, 80)),
        status_prov=Prov(page=4),
        review_symbol="JIU/REP/2020/8",
        **kw,  # type: ignore[arg-type]
    )


def test_raw_records_come_back_as_they_were_stored(db: sa.Engine) -> None:
    raws = [_raw(1, "Parked"), _raw(3, "Ongoing", rec_id="3(a)"), _raw(None, "Done", body="oios")]
    load_document(db, parsed(info(), rec(number=1), raw_records=raws, warnings=["w1"]))
    record_failure(db, info("bad.pdf", "b"), "no text layer")
    (stored,) = list(stored_raw_records(db))  # failed documents hold none
    assert stored.source_file == "report.pdf" and stored.agency == "WIPO"
    assert stored.raw_records == raws
    assert stored.read_warnings == ["w1"] and stored.records == 1


def test_replacing_assessments_keeps_the_document_and_recomputes_warnings(db: sa.Engine) -> None:
    load_document(
        db,
        parsed(
            info(),
            rec(number=1, implementation="unknown", implementation_raw="Parked"),
            rec(number=2),
            unmapped=[Unmapped("implementation", "Parked", 3)],
            raw_records=[_raw(1, "Parked"), _raw(2, "Ongoing")],
            warnings=["a doubt of the reader"],
        ),
    )
    (before,) = rows(db, "SELECT ingested_at, checked_at, note, records FROM v_documents")
    n = replace_assessments(
        db,
        "report.pdf",
        [
            rec(number=1, implementation="in_progress", implementation_raw="Parked"),
            rec(number=2),
            rec(number=2, implementation="implemented"),  # a repeat: kept once, with a warning
        ],
        [],
        ["a doubt of the reader"],
    )
    assert n == 2
    got = rows(db, "SELECT rec_id, implementation FROM v_latest_status ORDER BY rec_id")
    assert got == [
        {"rec_id": "1", "implementation": "in_progress"},
        {"rec_id": "2", "implementation": "unknown"},
    ]
    assert unmapped_labels(db) == []
    (after,) = rows(db, "SELECT ingested_at, checked_at, note, records, warnings FROM v_documents")
    assert (after["ingested_at"], after["checked_at"], after["note"]) == (
        before["ingested_at"],
        before["checked_at"],
        before["note"],
    )
    warnings = after["warnings"].splitlines()
    assert warnings[0] == "a doubt of the reader"
    assert warnings[1].startswith("recommendation 2 of JIU/REP/2020/8 appears twice")
    (kept,) = stored_raw_records(db)
    assert len(kept.raw_records) == 2  # the reading is kept


def test_only_a_loaded_document_can_be_replaced(db: sa.Engine) -> None:
    record_failure(db, info(), "encrypted PDF")
    with pytest.raises(LoadError, match="no loaded document"):
        replace_assessments(db, "report.pdf", [rec()], [], [])
    assert rows(db, "SELECT status, records FROM v_documents") == [
        {"status": "failed", "records": 0}
    ]
