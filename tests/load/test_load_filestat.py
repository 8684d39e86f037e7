"""load.filestat: file metadata kept beside each document, batch skip, one-query lookup."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from core.model import DocumentInfo, ParsedDocument
from load import (
    known_stat,
    load_document,
    open_db,
    record_failure,
    record_skipped_many,
    remember_stats,
    stored_files,
)


def _db(tmp_path: object) -> sa.Engine:
    return open_db(f"{tmp_path}/files.sqlite")


def _info(name: str, sha: str) -> DocumentInfo:
    return DocumentInfo(source_file=name, sha256=sha, format="pdf", size=10)


def test_remembered_metadata_identifies_the_file(tmp_path: object) -> None:
    db = _db(tmp_path)
    load_document(db, ParsedDocument(info=_info("a.pdf", "a" * 64)))
    assert known_stat(db, "a.pdf", 10, 123) is None  # nothing remembered yet
    remember_stats(db, [("a.pdf", 10, 123)])
    assert known_stat(db, "a.pdf", 10, 123) == "loaded"
    assert known_stat(db, "a.pdf", 10, 124) is None
    assert known_stat(db, "a.pdf", 11, 123) is None
    assert known_stat(db, "b.pdf", 10, 123) is None
    stored = stored_files(db)
    assert set(stored) == {"a.pdf"}
    assert (stored["a.pdf"].sha256, stored["a.pdf"].mtime_ns) == ("a" * 64, 123)


def test_skipping_keeps_the_datas_state_and_records_the_check(tmp_path: object) -> None:
    db = _db(tmp_path)
    load_document(db, ParsedDocument(info=_info("ok.pdf", "a" * 64)))
    record_failure(db, _info("bad.pdf", "b" * 64), "no text layer")
    query = sa.text("select source_file, status, error, ingested_at, checked_at from v_documents")
    with db.connect() as conn:
        before = {r.source_file: r for r in conn.execute(query)}
    time.sleep(0.01)
    record_skipped_many(db, ["ok.pdf", "bad.pdf"])
    with db.connect() as conn:
        after = {r.source_file: r for r in conn.execute(query)}
    for name, status in (("ok.pdf", "loaded"), ("bad.pdf", "failed")):
        assert after[name].status == before[name].status == status
        assert after[name].error == before[name].error
        assert after[name].ingested_at == before[name].ingested_at  # the data was not read again
        assert after[name].checked_at > before[name].checked_at  # but this run saw the file
    assert after["bad.pdf"].error == "no text layer"
    stored = stored_files(db)
    assert (stored["ok.pdf"].status, stored["bad.pdf"].status) == ("loaded", "failed")


@pytest.mark.slow
def test_many_names_in_one_call(tmp_path: object) -> None:
    db = _db(tmp_path)
    names = [f"f{i}.pdf" for i in range(1200)]  # more than one IN (...) chunk
    for n in names:
        load_document(db, ParsedDocument(info=_info(n, "c" * 64)))
    remember_stats(db, [(n, 10, i) for i, n in enumerate(names)])
    record_skipped_many(db, names)
    stored = stored_files(db)
    assert [stored[n].mtime_ns for n in names] == list(range(1200))
    with db.connect() as conn:
        statuses = set(conn.execute(sa.text("select status from documents")).scalars())
    assert statuses == {"loaded"}
    with db.connect() as conn:
        unchecked = conn.execute(
            sa.text("select count(*) from documents where checked_at = ingested_at")
        ).scalar_one()
    assert unchecked == 0
