"""Faults outside the file: bad arguments, killed and interrupted runs, files that change
during a run, databases that cannot be written, time limits, names and links that are not
what they seem. Each test failed before its fix."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extract import pdf
from rectrack import pipeline
from rectrack.cli import EXIT_CANNOT_START, cli
from rectrack.config import RunConfig

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
DOCX = CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx"
OTHER_DOCX = CORPUS / "UNW_2021_SEA-SH_review_update.docx"
PDF = CORPUS / "ITU_C22-61_JIU_system-wide_reports.pdf"
OTHER_PDF = CORPUS / "UNW_2021_SEA-SH_review_update.pdf"
LONG_PDF = CORPUS / "WO_PBC_34_6.pdf"


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _docs(db: Path) -> dict[str, tuple[str, str]]:
    """source_file -> (status, sha256)."""
    rows = _rows(db, "select source_file, status, sha256 from v_documents")
    return {name: (status, sha) for name, status, sha in rows}


# --- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--timeout", "-1"],
        ["--timeout", "0"],
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--memory-mb", "0"],
        ["--memory-mb", "-5"],
    ],
)
def test_bad_limits_are_refused_with_exit_2(args: list[str], tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(DOCX), "--db", str(db), "-j", "0", *args])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert args[0] in result.output
    assert "Traceback" not in result.output
    assert not db.exists()  # refused before anything was opened


# --- killed and interrupted runs ---------------------------------------------------------

# A run whose reader hangs on files named hang*: the workers inherit the patch.
_HANGING_RUN = """
import sys, time
import extract.jobs as jobs
from rectrack.cli import main

def hanging(real):
    def read(path, config):
        if path.name.startswith("hang"):
            time.sleep(3600)
        return real(path, config)
    return read

jobs.READERS = {fmt: hanging(reader) for fmt, reader in jobs.READERS.items()}
sys.argv[0] = "rectrack"
main()
"""


def _start_run(folder: Path, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _HANGING_RUN, "run", str(folder), "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the test can list every member
        cwd=REPO,
    )


def _group(pgid: int) -> list[int]:
    """Live processes (not zombies) of process group ``pgid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(entry.name))
    return out


def _hanging_batch(folder: Path) -> None:
    folder.mkdir()
    shutil.copy(DOCX, folder / DOCX.name)  # loads quickly
    shutil.copy(OTHER_DOCX, folder / "hang1.docx")
    shutil.copy(OTHER_DOCX, folder / "hang2.docx")


def _wait_for(condition: Any, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition()


def _loaded(db: Path) -> bool:
    try:
        return any(s == "loaded" for s, _ in _docs(db).values())
    except sqlite3.Error:
        return False


def _no_survivors(pgid: int) -> list[int]:
    deadline = time.monotonic() + 5
    while _group(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = _group(pgid)
    for pid in survivors:  # leave nothing behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    return survivors


@pytest.mark.slow
def test_kill_9_of_the_parent_leaves_no_process_of_the_run(tmp_path: Path) -> None:
    _hanging_batch(tmp_path / "in")
    db = tmp_path / "db.sqlite"
    proc = _start_run(tmp_path / "in", db, "-j", "3")
    _wait_for(lambda: _loaded(db) and len(_group(proc.pid)) >= 3)  # parent + 2 hanging
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as the OOM killer would
    proc.wait()
    assert _no_survivors(proc.pid) == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_run_cleanly(signum: int, tmp_path: Path) -> None:
    _hanging_batch(tmp_path / "in")
    db = tmp_path / "db.sqlite"
    proc = _start_run(tmp_path / "in", db, "-j", "2")
    _wait_for(lambda: _loaded(db) and len(_group(proc.pid)) >= 3)
    os.killpg(proc.pid, signum)  # the whole group, as a terminal or systemd does
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum, err.decode()
    assert "interrupted" in out.decode().lower()
    assert "Traceback" not in err.decode()
    assert _no_survivors(proc.pid) == []
    assert _rows(db, "pragma integrity_check") == [("ok",)]
    docs = _docs(db)
    assert docs[DOCX.name][0] == "loaded"
    assert "hang1.docx" not in docs and "hang2.docx" not in docs  # not marked failed


def test_an_interrupt_during_a_write_rolls_the_document_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop arrives while the second document's rows are being inserted."""
    import load.store as store

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DOCX, folder / "a.docx")
    shutil.copy(OTHER_DOCX, folder / "b.docx")
    real = store._add_reviews
    calls = []

    def interrupted(conn: Any, symbols: set[str]) -> None:
        calls.append(1)
        real(conn, symbols)
        if len(calls) == 2:
            raise pipeline.Interrupted(signal.SIGTERM)

    monkeypatch.setattr(store, "_add_reviews", interrupted)
    db = tmp_path / "db.sqlite"
    summary = pipeline.run([folder], RunConfig.build(db=str(db), workers=0))
    assert summary.interrupted == signal.SIGTERM
    assert summary.exit_code == 143
    assert [o.source_file for o in summary.outcomes] == ["a.docx"]
    assert set(_docs(db)) == {"a.docx"}
    n = _rows(db, "select count(*) from v_assessments where source_file = 'b.docx'")
    assert n == [(0,)]


# --- one version of a file ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 2])
def test_a_file_changed_during_its_parse_is_hashed_as_parsed(
    workers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is replaced by another report between the reader's first look (its hash)
    and its pages: what is stored must be one version, hash and records alike."""
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "report.pdf"
    shutil.copy(PDF, target)
    real = pdf.read_page_range

    def swap_then_read(path: Path, *args: Any) -> Any:
        shutil.copy(OTHER_PDF, target)  # the publisher's new version lands mid-parse
        return real(path, *args)

    monkeypatch.setattr(pdf, "read_page_range", swap_then_read)
    db = tmp_path / "db.sqlite"
    summary = pipeline.run([folder], RunConfig.build(db=str(db), workers=workers))
    (outcome,) = summary.outcomes
    assert outcome.status == "loaded", outcome.error
    first = pipeline.parse_file(PDF)
    assert outcome.records == len(first.assessments)
    assert _docs(db)["report.pdf"][1] == hashlib.sha256(PDF.read_bytes()).hexdigest()
    monkeypatch.setattr(pdf, "read_page_range", real)
    again = pipeline.run([folder], RunConfig.build(db=str(db), workers=workers))
    assert [o.status for o in again.outcomes] == ["loaded"]  # the new version, not "skipped"
    assert _docs(db)["report.pdf"][1] == hashlib.sha256(OTHER_PDF.read_bytes()).hexdigest()


# --- the environment's faults ------------------------------------------------------------


def _full_after_first_document(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Every connection to ``db`` may grow it by no page: SQLite's own 'database or disk
    is full' (SQLITE_FULL), as on a full disk."""
    import sqlalchemy as sa

    import load.db

    pages = _rows(db, "pragma page_count")[0][0]
    real = load.db.create_engine

    def capped(url: str | None, **kwargs: Any) -> sa.Engine:
        engine = real(url, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _cap(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"pragma max_page_count = {pages}")

        return engine

    monkeypatch.setattr(load.db, "create_engine", capped)


@pytest.mark.slow
def test_a_full_disk_stops_the_run_and_marks_no_document_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DOCX, folder / DOCX.name)
    db = tmp_path / "db.sqlite"
    args = ["run", str(folder), "--db", str(db), "-j", "0", "-q"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    for name in ("b.docx", "c.docx"):
        shutil.copy(OTHER_DOCX, folder / name)
    with monkeypatch.context() as patch:
        _full_after_first_document(patch, db)
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_CANNOT_START, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "full" in errors[0], result.output
    assert "Traceback" not in result.output
    docs = _docs(db)
    assert all(status != "failed" for status, _ in docs.values()), docs
    result = CliRunner().invoke(cli, args)  # space freed: the rerun finishes the batch
    assert result.exit_code == 0, result.output
    assert {n: s for n, (s, _) in _docs(db).items()} == {
        DOCX.name: "loaded",  # unchanged, skipped by the rerun: its data's state stays loaded
        "b.docx": "loaded",
        "c.docx": "loaded",
    }


def test_a_read_only_database_stops_the_run_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    assert CliRunner().invoke(cli, ["run", str(DOCX), "--db", str(db), "-j", "0"]).exit_code == 0
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = CliRunner().invoke(cli, ["run", str(OTHER_DOCX), "--db", url, "-j", "0"])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert "readonly" in result.output or "read-only" in result.output
    assert "Traceback" not in result.output
    assert OTHER_DOCX.name not in _docs(db)


def test_a_foreign_schema_revision_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    con = sqlite3.connect(db)
    con.execute("create table alembic_version (version_num varchar(32) primary key)")
    con.execute("insert into alembic_version values ('someone_elses_app_0042')")
    con.commit()
    con.close()
    result = CliRunner().invoke(cli, ["run", str(DOCX), "--db", str(db), "-j", "0"])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert "schema revision" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unwritable_db_path_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        cli, ["run", str(DOCX), "--db", str(blocker / "sub" / "db.sqlite"), "-j", "0"]
    )
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert result.output.startswith("error: cannot create database"), result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
    assert isinstance(result.exception, SystemExit)


# --- time limits -------------------------------------------------------------------------


@pytest.mark.slow
def test_timeout_bounds_a_file_not_each_of_its_page_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six ranges of 1.2 s each on two workers: 3.6 s for the file, each range well inside
    the 2.5 s limit. The file is given up at 2.5 s, not parsed for 3.6."""
    real = pdf.read_page_range

    def slow(path: Path, *args: Any) -> Any:
        time.sleep(1.2)
        return real(path, *args)

    monkeypatch.setattr(pdf, "read_page_range", slow)
    config = RunConfig.build(
        db=str(tmp_path / "db.sqlite"), workers=2, timeout_s=2.5, split_pages=4, chunk_pages=6
    )
    pipeline.warm_up()
    start = time.monotonic()
    results = dict(pipeline.parse_many([LONG_PDF], config))
    elapsed = time.monotonic() - start
    error = results[LONG_PDF]
    assert isinstance(error, Exception)
    assert "gave up after 2.5 s (timeout)" in str(error)
    assert elapsed < 3.5


# --- what reaches a person ---------------------------------------------------------------


def test_file_names_cannot_forge_output_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pdf\nerror: forged.pdf: all is lost\r.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(
        cli, ["run", str(folder), "--db", str(tmp_path / "db.sqlite"), "-j", "0"]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert not any(line.startswith("error: forged.pdf") for line in lines), result.output
    assert "\r" not in result.output
    assert "x.pdf\\nerror: forged.pdf: all is lost\\r.pdf" in result.output


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    shutil.copy(DOCX, outside / "private.docx")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.docx").symlink_to(outside / "private.docx")
    shutil.copy(OTHER_DOCX, folder / "inside.docx")
    (folder / "alias.docx").symlink_to(folder / "inside.docx")  # inside: followed
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    db = tmp_path / "db.sqlite"
    summary = pipeline.run([folder], RunConfig.build(db=str(db), workers=0))
    status = {o.source_file: (o.status, o.error) for o in summary.outcomes}
    assert status["report.docx"][0] == "failed"
    assert "outside" in (status["report.docx"][1] or "")
    assert status["inside.docx"][0] == "loaded"
    assert status["alias.docx"][0] == "loaded"
    assert "private.docx" not in status
    assert set(_docs(db)) == {"inside.docx", "alias.docx"}
