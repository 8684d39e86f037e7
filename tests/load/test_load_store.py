"""Writing documents: idempotence, replacement, failures, skips, unmapped labels."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.model import BBox, Unmapped
from load import (
    LoadError,
    known_document,
    load_document,
    open_db,
    record_failure,
    record_skipped,
    unmapped_labels,
)
from tests.load.load_builders import info, parsed, rec, rows


def test_loading_the_same_file_twice_duplicates_nothing(db: sa.Engine) -> None:
    doc = parsed(info(), rec(number=1), rec(number=2), unmapped=[Unmapped("acceptance", "Yes?", 3)])
    assert load_document(db, doc) == 2
    first = rows(db, "SELECT * FROM v_assessments ORDER BY rec_number")
    assert load_document(db, doc) == 2
    assert rows(db, "SELECT * FROM v_assessments ORDER BY rec_number") == first
    assert len(rows(db, "SELECT * FROM v_documents")) == 1
    assert len(unmapped_labels(db)) == 1


def test_a_changed_file_replaces_its_records(db: sa.Engine) -> None:
    load_document(
        db,
        parsed(info(sha="a"), rec(number=1), rec(number=2), unmapped=[Unmapped("addressee", "X")]),
    )
    load_document(db, parsed(info(sha="b"), rec(number=3)))
    assert [r["rec_number"] for r in rows(db, "SELECT rec_number FROM v_assessments")] == [3]
    assert unmapped_labels(db) == []
    docs = rows(db, "SELECT sha256, records, status FROM v_documents")
    assert docs == [{"sha256": "b" * 64, "records": 1, "status": "loaded"}]
    assert known_document(db, "report.pdf", "a" * 64) is None
    assert known_document(db, "report.pdf", "b" * 64) == "loaded"


def test_a_refused_reload_keeps_the_earlier_load(db: sa.Engine) -> None:
    load_document(db, parsed(info(sha="a"), rec(number=1)))
    broken = rec(number=2)
    broken.rec_text = None  # type: ignore[assignment]  # NOT NULL: refused mid-transaction
    with pytest.raises(LoadError, match="refused"):
        load_document(db, parsed(info(sha="b"), rec(number=5), broken))
    assert rows(db, "SELECT rec_number FROM v_assessments") == [{"rec_number": 1}]
    assert known_document(db, "report.pdf", "a" * 64) == "loaded"


def test_a_repeated_recommendation_is_kept_once_with_a_warning(db: sa.Engine) -> None:
    doc = parsed(
        info(),
        rec(number=4, page=2, acceptance="accepted", implementation="implemented"),
        rec(number=5, page=3),
        rec(number=4, page=7, acceptance="accepted", implementation="in_progress"),
        rec(number=5, page=9),
        warnings=["the reader's own doubt"],
    )
    assert load_document(db, doc) == 2
    kept = rows(db, "SELECT rec_id, page, implementation FROM v_assessments ORDER BY rec_id")
    assert kept == [
        {"rec_id": "4", "page": 2, "implementation": "implemented"},  # the first is kept
        {"rec_id": "5", "page": 3, "implementation": "unknown"},
    ]
    (document,) = rows(db, "SELECT status, error, records, warnings FROM v_documents")
    assert (document["status"], document["error"], document["records"]) == ("loaded", None, 2)
    assert document["warnings"].split("\n") == [
        "the reader's own doubt",
        "recommendation 4 of JIU/REP/2020/8 appears twice (pages 2 and 7) with different "
        "statuses (acceptance accepted, implementation implemented; then acceptance accepted, "
        "implementation in_progress); the first is kept",
        "recommendation 5 of JIU/REP/2020/8 appears twice (pages 3 and 9) with the same "
        "status; the first is kept",
    ]


def test_rec_id_is_kept_as_printed_and_filled_where_missing(db: sa.Engine) -> None:
    load_document(
        db,
        parsed(
            info(),
            rec(number=3, rec_id="3(a)"),
            rec(number=3, rec_id="3(b)"),  # same number, another recommendation
            rec(number=None, rec_id="", rec_text="An unnumbered one"),
            rec(number=7, rec_id=""),  # a reader that gave only the number
            rec(number=None, rec_id="", rec_text="Another unnumbered one"),
        ),
    )
    got = rows(db, "SELECT rec_id, rec_number FROM v_assessments ORDER BY rec_id")
    assert got == [
        {"rec_id": "#1", "rec_number": None},
        {"rec_id": "#2", "rec_number": None},
        {"rec_id": "3(a)", "rec_number": 3},
        {"rec_id": "3(b)", "rec_number": 3},
        {"rec_id": "7", "rec_number": 7},
    ]
    assert rows(db, "SELECT warnings FROM v_documents") == [{"warnings": None}]


def test_new_assessment_fields_reach_the_views(db: sa.Engine) -> None:
    load_document(
        db,
        parsed(
            info(),
            rec(
                number=36,
                symbol="A/79/5/Add.11",
                body="board_of_auditors",
                rec_text="The Board recommended that UNOPS review its policy.",
                rec_text_raw="The Board recommended that\nUNOPS review its policy.",
                page=4,
                status_page=5,
                recognizer="anchors",
            ),
        ),
    )
    (row,) = rows(
        db,
        "SELECT body, rec_id, rec_text, rec_text_raw, page, status_page, recognizer "
        "FROM v_latest_status",
    )
    assert row == {
        "body": "board_of_auditors",
        "rec_id": "36",
        "rec_text": "The Board recommended that UNOPS review its policy.",
        "rec_text_raw": "The Board recommended that\nUNOPS review its policy.",
        "page": 4,
        "status_page": 5,
        "recognizer": "anchors",
    }


def test_a_document_without_records_is_loaded_with_zero_and_says_why(db: sa.Engine) -> None:
    load_document(db, parsed(info("empty.docx", format="docx", pages=None)))
    load_document(db, parsed(info("toc.pdf", sha="b"), note="only a table of contents"))
    got = rows(db, "SELECT source_file, status, records, error, note FROM v_documents")
    assert sorted(got, key=lambda r: r["source_file"]) == [
        {"source_file": "empty.docx", "status": "loaded", "records": 0, "error": None,
         "note": "no recommendation-status information found"},
        {"source_file": "toc.pdf", "status": "loaded", "records": 0, "error": None,
         "note": "only a table of contents"},
    ]  # fmt: skip
    load_document(db, parsed(info("full.pdf", sha="c"), rec(), note="a note but records"))
    assert rows(db, "SELECT note FROM v_documents WHERE source_file = 'full.pdf'") == [
        {"note": None}
    ]


def test_a_changed_file_that_fails_keeps_no_stale_records(db: sa.Engine) -> None:
    load_document(db, parsed(info(sha="a"), rec(number=1)))
    record_failure(db, info(sha="b"), "table header not recognised\n  on page 3")
    (doc,) = rows(db, "SELECT status, error, records, sha256 FROM v_documents")
    assert doc == {
        "status": "failed",
        "error": "table header not recognised on page 3",
        "records": 0,
        "sha256": "b" * 64,
    }
    assert rows(db, "SELECT * FROM v_assessments") == []
    assert known_document(db, "report.pdf", "b" * 64) == "failed"


def test_skipping_keeps_the_status_and_records_the_check(db: sa.Engine) -> None:
    load_document(db, parsed(info(sha="a"), rec(number=1)))
    query = "SELECT status, records, ingested_at, checked_at FROM v_documents"
    (before,) = rows(db, query)
    time.sleep(0.01)
    record_skipped(db, "report.pdf", "a" * 64)
    (after,) = rows(db, query)
    assert (after["status"], after["records"]) == ("loaded", 1)
    assert after["ingested_at"] == before["ingested_at"] == before["checked_at"]
    assert after["checked_at"] > before["checked_at"]
    assert len(rows(db, "SELECT * FROM v_latest_status")) == 1
    assert known_document(db, "report.pdf", "a" * 64) == "loaded"  # so the next run skips too


def test_skipping_a_failed_file_keeps_its_failure_visible(db: sa.Engine) -> None:
    record_failure(db, info(sha="a"), "encrypted PDF")
    (before,) = rows(db, "SELECT checked_at FROM v_documents")
    time.sleep(0.01)
    record_skipped(db, "report.pdf", "a" * 64)
    (after,) = rows(db, "SELECT status, error, checked_at FROM v_documents")
    assert (after["status"], after["error"]) == ("failed", "encrypted PDF")
    assert after["checked_at"] > before["checked_at"]


def test_skipping_an_unknown_file_is_an_error(db: sa.Engine) -> None:
    with pytest.raises(LoadError, match="cannot be skipped"):
        record_skipped(db, "never-seen.pdf", "c" * 64)


def test_unmapped_labels_say_where_they_were_seen(db: sa.Engine) -> None:
    load_document(
        db,
        parsed(
            info("b.pdf"),
            unmapped=[Unmapped("implementation", "Parked", 4), Unmapped("acceptance", "Maybe", 2)],
        ),
    )
    assert unmapped_labels(db) == [
        {"file": "b.pdf", "page": 2, "field": "acceptance", "label": "Maybe"},
        {"file": "b.pdf", "page": 4, "field": "implementation", "label": "Parked"},
    ]


def test_rows_keep_document_page_and_bbox(db: sa.Engine) -> None:
    load_document(db, parsed(info(), rec(page=3, bbox=BBox(10.5, 20, 300, 80.25))))
    (row,) = rows(
        db,
        "SELECT d.source_file, a.page, a.bbox_x0, a.bbox_top, a.bbox_x1, a.bbox_bottom "
        "FROM assessments a JOIN documents d ON d.id = a.document_id",
    )
    assert row == {
        "source_file": "report.pdf",
        "page": 3,
        "bbox_x0": 10.5,
        "bbox_top": 20,
        "bbox_x1": 300,
        "bbox_bottom": 80.25,
    }


def test_as_of_must_be_an_iso_date(db: sa.Engine) -> None:
    with pytest.raises(LoadError, match="ISO date"):
        load_document(db, parsed(info(as_of="30 June 2022")))


def test_default_database_is_db_rectrack_sqlite_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = open_db(None)
    load_document(engine, parsed(info()))
    engine.dispose()
    assert (tmp_path / "db" / "rectrack.sqlite").is_file()
    reopened = open_db("sqlite:///" + str(tmp_path / "db" / "rectrack.sqlite"))
    assert known_document(reopened, "report.pdf", "a" * 64) == "loaded"
    reopened.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db: sa.Engine) -> None:
    with sqlite_db.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
