"""A run killed with SIGKILL in the middle of a batch leaves a database that opens, passes
``PRAGMA integrity_check`` and holds every document whole or not at all; a rerun finishes
the batch. Two runs at once on one database don't corrupt it."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EXPECTED = {  # records per corpus DOCX, as the gold says
    "ITU_C22-61_JIU_system-wide_reports": 23,
    "UNW_2021_SEA-SH_review_update": 12,
    "WO_PBC_34_6": 51,
}
COPIES = 4


def _batch(folder: Path) -> dict[str, int]:
    """Copies of the corpus DOCX files under distinct names; expected records by name."""
    folder.mkdir()
    expected = {}
    for i in range(COPIES):
        for stem, n in EXPECTED.items():
            name = f"{i:02d}_{stem}.docx"
            shutil.copy(CORPUS / f"{stem}.docx", folder / name)
            expected[name] = n
    return expected


def _run(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    code = "import sys; from rectrack.cli import main; sys.argv[0] = 'rectrack'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "run", str(folder), "--db", str(db), "-j", "1", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _loaded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(
                con.execute("select count(*) from v_documents where status = 'loaded'").fetchone()[
                    0
                ]
            )
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _check_whole(db: Path, expected: dict[str, int]) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        docs = con.execute("select source_file, status from v_documents").fetchall()
        counts = dict(
            con.execute(
                "select source_file, count(*) from v_assessments group by source_file"
            ).fetchall()
        )
    finally:
        con.close()
    for name, status in docs:
        assert status in ("loaded", "skipped")
        assert counts.get(name, 0) == expected[name], name  # whole, never half
    for name, n in counts.items():
        assert name in dict(docs) and n == expected[name]
    return len(docs)


@pytest.mark.slow
def test_kill_9_mid_batch_leaves_whole_documents_and_a_rerun_finishes(tmp_path: Path) -> None:
    expected = _batch(tmp_path / "in")
    db = tmp_path / "db.sqlite"
    proc = _run(tmp_path / "in", db)
    deadline = time.monotonic() + 120
    while _loaded(db) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: make the batch bigger"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _check_whole(db, expected)
    assert 2 <= stored < len(expected)
    rerun = _run(tmp_path / "in", db)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    assert _check_whole(db, expected) == len(expected)


@pytest.mark.slow
def test_two_runs_at_once_never_corrupt_the_database(tmp_path: Path) -> None:
    expected = _batch(tmp_path / "in")
    db = tmp_path / "db.sqlite"
    first, second = _run(tmp_path / "in", db), _run(tmp_path / "in", db)
    results = [p.communicate(timeout=300) for p in (first, second)]
    codes = {first.returncode, second.returncode}
    # Each either finished (0) or stopped with a clear message about the lock (1 or 2).
    for proc, (_, err) in zip((first, second), results, strict=True):
        if proc.returncode != 0:
            assert b"locked" in err, err.decode()
    assert 0 in codes
    assert _check_whole(db, expected) == len(expected)
