"""Writing documents: idempotence, replacement, failures, skips, unmapped labels."""

from __future__ import annotations

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


def test_a_repeated_recommendation_is_an_error_not_a_guess(db: sa.Engine) -> None:
    doc = parsed(info(), rec(number=4, page=2), rec(number=4, page=7))
    with pytest.raises(LoadError, match="appears twice") as err:
        load_document(db, doc)
    assert "report.pdf" in str(err.value)
    assert rows(db, "SELECT * FROM v_documents") == []


def test_a_document_without_records_is_loaded_with_zero(db: sa.Engine) -> None:
    load_document(db, parsed(info("empty.docx", format="docx", pages=None)))
    (doc,) = rows(db, "SELECT * FROM v_documents")
    assert (doc["source_file"], doc["status"], doc["records"], doc["error"]) == (
        "empty.docx",
        "loaded",
        0,
        None,
    )


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


def test_skipping_keeps_records_and_says_skipped(db: sa.Engine) -> None:
    load_document(db, parsed(info(sha="a"), rec(number=1)))
    record_skipped(db, "report.pdf", "a" * 64)
    (doc,) = rows(db, "SELECT status, records FROM v_documents")
    assert doc == {"status": "skipped", "records": 1}
    assert len(rows(db, "SELECT * FROM v_latest_status")) == 1
    assert known_document(db, "report.pdf", "a" * 64) == "loaded"  # so the next run skips too
    record_skipped(db, "report.pdf", "a" * 64)
    assert rows(db, "SELECT status, records FROM v_documents") == [
        {"status": "skipped", "records": 1}
    ]


def test_skipping_a_failed_file_keeps_its_failure_visible(db: sa.Engine) -> None:
    record_failure(db, info(sha="a"), "encrypted PDF")
    record_skipped(db, "report.pdf", "a" * 64)
    assert rows(db, "SELECT status, error FROM v_documents") == [
        {"status": "failed", "error": "encrypted PDF"}
    ]


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
