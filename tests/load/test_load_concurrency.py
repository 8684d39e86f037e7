"""SQLite with two writers: the second waits (busy_timeout) or fails with a clear LoadError;
a reader during a load sees the last committed state."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from load import LoadError, load_document, open_db
from tests.load.load_builders import info, parsed, rec, rows


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another writer, mid-transaction: holds SQLite's write lock until commit/rollback."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM assessments")
    return other


def test_a_second_writer_fails_clearly_after_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    engine = open_db(str(path), busy_timeout_ms=200)
    other = _hold_write_lock(path)
    try:
        start = time.monotonic()
        with pytest.raises(LoadError, match="locked by another writer"):
            load_document(engine, parsed(info(), rec()))
        assert time.monotonic() - start >= 0.15  # it did wait
    finally:
        other.rollback()
        other.close()
    assert load_document(engine, parsed(info(), rec())) == 1  # free again
    engine.dispose()


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    engine = open_db(str(path), busy_timeout_ms=10_000)
    other = _hold_write_lock(path)
    timer = threading.Timer(0.3, other.commit)
    timer.start()
    try:
        start = time.monotonic()
        assert load_document(engine, parsed(info(), rec())) == 1
        assert time.monotonic() - start >= 0.25
    finally:
        timer.join()
        other.close()
    assert len(rows(engine, "SELECT * FROM v_assessments")) == 1
    engine.dispose()


def test_a_reader_during_a_load_sees_the_committed_state(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    engine = open_db(str(path))
    load_document(engine, parsed(info(), rec(number=1), rec(number=2)))
    other = _hold_write_lock(path)  # deletes every assessment, not committed
    try:
        assert len(rows(engine, "SELECT * FROM v_assessments")) == 2
    finally:
        other.rollback()
        other.close()
    engine.dispose()


def test_opening_an_up_to_date_database_needs_no_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    open_db(str(path)).dispose()
    other = _hold_write_lock(path)
    try:
        reader = open_db(str(path), busy_timeout_ms=100)  # an analyst opening during a load
        assert rows(reader, "SELECT * FROM v_documents") == []
        reader.dispose()
    finally:
        other.rollback()
        other.close()
