"""PostgreSQL under faults: two runs at once, the schema created twice at once, a server
that never answers, a lock held elsewhere, a run killed while its workers parse. Against the
server on this machine (skipped without one), each test in a schema of its own."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import load
from load.config import LoadConfig
from rectrack import pipeline
from rectrack.config import RunConfig
from tests.load.conftest import PG_URL, fresh_pg_schema, pg_schema_url
from tests.load.load_builders import info, parsed, rec
from tests.rectrack.test_run_faults import _HANGING_RUN, _group

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
pytestmark = pytest.mark.slow  # PostgreSQL, killed runs and timeouts
EXPECTED = {  # records per corpus DOCX, as the gold says
    "ITU_C22-61_JIU_system-wide_reports": 23,
    "UNW_2021_SEA-SH_review_update": 12,
    "WO_PBC_34_6": 51,
}


@pytest.fixture
def schema() -> Any:
    with fresh_pg_schema() as name:
        yield name


def _batch(folder: Path, copies: int) -> dict[str, int]:
    folder.mkdir()
    expected = {}
    for i in range(copies):
        for stem, n in EXPECTED.items():
            name = f"{i:02d}_{stem}.docx"
            shutil.copy(CORPUS / f"{stem}.docx", folder / name)
            expected[name] = n
    return expected


def _cli(folder: Path, url: str, *extra: str, code: str | None = None) -> subprocess.Popen[bytes]:
    code = code or "import sys; from rectrack.cli import main; sys.argv[0] = 'rectrack'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "run", str(folder), "--db", url, "-q", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=REPO,
    )


def _stored(url: str) -> tuple[dict[str, str], dict[str, int]]:
    """(source_file -> status, source_file -> records) as the views say."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select source_file, status from v_documents")).all()
            status = {str(r[0]): str(r[1]) for r in rows}
            query = "select source_file, count(*) from v_assessments group by 1"
            counts = {str(r[0]): int(r[1]) for r in conn.execute(sa.text(query)).all()}
    finally:
        engine.dispose()
    return status, counts


@pytest.mark.slow
def test_two_runs_at_once_give_the_rows_of_one_run(schema: str, tmp_path: Path) -> None:
    """On a fresh schema: both create it, both load the same batch, document by document."""
    expected = _batch(tmp_path / "in", copies=3)
    url = pg_schema_url(schema)
    runs = [_cli(tmp_path / "in", url, "-j", "1") for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in runs]
    for proc, (_, err) in zip(runs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    status, counts = _stored(url)
    assert set(status) == set(expected)
    assert set(status.values()) <= {"loaded", "skipped"}, status
    assert counts == expected


def test_creating_the_schema_twice_at_once_is_harmless(schema: str) -> None:
    """Three processes open a fresh schema at the same moment: each finds it made whole."""
    url = pg_schema_url(schema)
    code = (
        "import sys, time; import load; "
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); "
        "load.open_db(sys.argv[1]).dispose()"
    )
    at = str(time.time() + 3)  # all start together, after their imports
    procs = [
        subprocess.Popen([sys.executable, "-c", code, url, at], stderr=subprocess.PIPE, cwd=REPO)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], "\n".join(errors)
    engine = load.open_db(url)
    assert load.load_document(engine, parsed(info(), rec())) == 1
    engine.dispose()


def test_a_server_that_never_answers_stops_the_run_within_the_connect_timeout() -> None:
    server = socket.create_server(("127.0.0.1", 0))  # accepts (the kernel does), never speaks
    port = server.getsockname()[1]
    config = RunConfig(load=LoadConfig(f"postgresql+psycopg://u@127.0.0.1:{port}/x", 30_000, 2))
    start = time.monotonic()
    try:
        with pytest.raises(load.DatabaseFault, match="cannot open database"):
            pipeline.run([CORPUS / "WO_PBC_34_6.docx"], config)
    finally:
        server.close()
    assert time.monotonic() - start < 8


def test_a_lock_held_elsewhere_is_given_up_after_the_lock_timeout(schema: str) -> None:
    url = pg_schema_url(schema)
    engine = load.connect(LoadConfig(url, busy_timeout_ms=500))
    other = sa.create_engine(url)
    try:
        with other.connect() as conn, conn.begin():
            conn.exec_driver_sql("LOCK TABLE documents IN ACCESS EXCLUSIVE MODE")
            start = time.monotonic()
            with pytest.raises(load.DatabaseFault, match="locked"):
                load.load_document(engine, parsed(info(), rec()))
            waited = time.monotonic() - start
    finally:
        engine.dispose()
        other.dispose()
    assert 0.4 <= waited < 5


def test_a_killed_run_leaves_no_session_behind(schema: str, tmp_path: Path) -> None:
    """Its workers die with it and never held its connection: the server sees the session
    end, instead of an orphan keeping it open (idle, or idle in transaction with its
    locks)."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "WO_PBC_34_6.docx", folder / "a.docx")
    shutil.copy(CORPUS / "WO_PBC_34_6.docx", folder / "hang1.docx")
    shutil.copy(CORPUS / "WO_PBC_34_6.docx", folder / "hang2.docx")
    tag = f"rectrack_kill_{uuid.uuid4().hex[:8]}"
    url = f"{pg_schema_url(schema)}&application_name={tag}"
    proc = _cli(folder, url, "-j", "3", code=_HANGING_RUN)
    admin = sa.create_engine(PG_URL)

    def sessions() -> int:
        with admin.connect() as conn:
            query = "select count(*) from pg_stat_activity where application_name = :tag"
            return int(conn.execute(sa.text(query), {"tag": tag}).scalar_one())

    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (
            sessions() and _loaded_one(pg_schema_url(schema)) and len(_group(proc.pid)) >= 3
        ):
            time.sleep(0.1)
        assert sessions() >= 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while sessions() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sessions() == 0
    finally:
        for pid in _group(proc.pid):
            os.kill(pid, signal.SIGKILL)
        admin.dispose()


def _loaded_one(url: str) -> bool:
    try:
        status, _ = _stored(url)
    except sa.exc.SQLAlchemyError:
        return False
    return "loaded" in status.values()


def test_a_lost_connection_stops_the_run_and_marks_no_document_failed(
    schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server ends the session in the middle of the second document's transaction."""
    from click.testing import CliRunner

    import load.store as store
    from rectrack.cli import EXIT_CANNOT_START, cli

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx", folder / "a.docx")
    shutil.copy(CORPUS / "UNW_2021_SEA-SH_review_update.docx", folder / "b.docx")
    real = store._add_reviews
    calls: list[int] = []
    admin = sa.create_engine(PG_URL)

    def cut(conn: sa.Connection, symbols: set[str]) -> None:
        calls.append(1)
        if len(calls) == 2:
            pid = conn.exec_driver_sql("select pg_backend_pid()").scalar_one()
            with admin.connect() as other:
                other.execute(sa.text("select pg_terminate_backend(:pid)"), {"pid": pid})
        real(conn, symbols)

    monkeypatch.setattr(store, "_add_reviews", cut)
    url = pg_schema_url(schema)
    try:
        result = CliRunner().invoke(cli, ["run", str(folder), "--db", url, "-j", "0", "-q"])
    finally:
        admin.dispose()
    assert result.exit_code == EXIT_CANNOT_START, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    status, _ = _stored(url)
    assert status == {"a.docx": "loaded"}
    monkeypatch.setattr(store, "_add_reviews", real)
    rerun = pipeline.run([folder], RunConfig.build(db=url, workers=0))
    assert {o.source_file: o.status for o in rerun.outcomes} == {
        "a.docx": "skipped",
        "b.docx": "loaded",
    }
    assert set(_stored(url)[0].values()) <= {"loaded", "skipped"}
