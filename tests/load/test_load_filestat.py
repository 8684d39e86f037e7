"""load.filestat: file metadata kept beside each document, batch skip, one-query lookup."""

from __future__ import annotations

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


def test_skipping_many_keeps_failed_rows_failed(tmp_path: object) -> None:
    db = _db(tmp_path)
    load_document(db, ParsedDocument(info=_info("ok.pdf", "a" * 64)))
    record_failure(db, _info("bad.pdf", "b" * 64), "no text layer")
    record_skipped_many(db, ["ok.pdf", "bad.pdf"])
    with db.connect() as conn:
        query = sa.text("select source_file, status from v_documents")
        rows: dict[str, str] = {r[0]: r[1] for r in conn.execute(query)}
    assert rows == {"ok.pdf": "skipped", "bad.pdf": "failed"}
    stored = stored_files(db)
    assert stored["ok.pdf"].status == "loaded"  # a skipped file still holds its records
    assert stored["bad.pdf"].status == "failed"


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
    assert statuses == {"skipped"}
