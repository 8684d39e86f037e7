"""`rectrack run --vocabulary FILE`: a batch mapped with the analyst's own vocabulary from the
start (an installed package's file is not the place for local labels), in forked workers and
in-process alike, and a mistake in that file stops the run before anything is read."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectrack.cli import EXIT_CANNOT_START, cli

from .test_renormalize import LABEL, _docx_with_labels, _vocabulary_with

RECTRACK = Path(sys.executable).parent / "rectrack"


def _implementation_of_rec_2(db: Path) -> tuple[str, list[str]]:
    con = sqlite3.connect(db)
    try:
        (value,) = con.execute(
            "SELECT implementation FROM v_assessments WHERE source_file = 'odd.docx' "
            "AND rec_id = '2'"
        ).fetchone()
        unmapped = [label for (label,) in con.execute("SELECT label FROM unmapped_labels")]
        return value, unmapped
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["0", "1"])  # in this process; forked by the fork server
def test_run_maps_with_the_given_vocabulary(tmp_path: Path, workers: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_labels(folder / "odd.docx")
    vocabulary = _vocabulary_with(tmp_path, LABEL, "in_progress")
    plain, own = tmp_path / "plain.sqlite", tmp_path / "own.sqlite"
    for db, extra in ((plain, []), (own, ["--vocabulary", str(vocabulary)])):
        done = subprocess.run(
            [str(RECTRACK), "run", str(folder), "--db", str(db), "-j", workers, "-q", *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert _implementation_of_rec_2(plain) == ("unknown", [LABEL])
    assert _implementation_of_rec_2(own) == ("in_progress", [])


def test_a_broken_vocabulary_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_labels(folder / "odd.docx")
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text("implementation:\n  labels:\n    in_progres: [Parked]\n", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    args = ["run", str(folder), "--db", str(db), "-j", "0", "--vocabulary", str(broken)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_CANNOT_START
    assert result.output.startswith(f"error: {broken}")
    assert len(result.output.strip().splitlines()) == 1
    assert not db.exists()
