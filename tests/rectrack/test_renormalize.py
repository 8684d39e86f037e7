"""The analyst's loop: an unmapped label added to the vocabulary changes the views after
`rectrack renormalize`, which reads the stored raw records and parses no file."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner

from normalize import NormalizeConfig
from normalize.config import DEFAULT_VOCABULARY
from rectrack.cli import EXIT_CANNOT_START, EXIT_OK, cli
from rectrack.renormalize import renormalize

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
LABEL = "Parked for later"  # an implementation label no rule maps


def _docx_with_labels(path: Path) -> Path:
    """A progress report whose second recommendation has an implementation label nobody
    mapped, and whose text wraps a hyphenated word across lines."""
    document = docx.Document()
    document.add_paragraph("JIU/REP/2022/3 Review of something")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ["Rec. no.", "Recommendation", "Acceptance", "Implementation status"],
        ["1", "The executive heads should ensure the imple-\nmentation of the plan.", "Accepted",
         "Implemented"],
        ["2", "The executive heads should act.", "Accepted", LABEL],
    ]  # fmt: skip
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def _vocabulary_with(tmp_path: Path, label: str, value: str) -> Path:
    """A copy of the shipped vocabulary with one implementation label added (the shipped file
    is left alone)."""
    data = yaml.safe_load(DEFAULT_VOCABULARY.read_text(encoding="utf-8"))
    data["implementation"]["labels"][value].append(label)
    out = tmp_path / "vocabulary.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _views(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        return {
            view: sorted(con.execute(f"SELECT * FROM {view}").fetchall(), key=repr)
            for view in ("v_assessments", "v_latest_status", "v_rates", "v_rate_rows")
        } | {
            "unmapped": con.execute("SELECT field, label, page FROM unmapped_labels").fetchall(),
            "documents": con.execute(
                "SELECT source_file, status, records, warnings, note, ingested_at "
                "FROM v_documents ORDER BY source_file"
            ).fetchall(),
        }
    finally:
        con.close()


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A corpus DOCX and the made-up report, read by `rectrack run` into a new database."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx", folder)
    _docx_with_labels(folder / "odd.docx")
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0", "-q"])
    assert result.exit_code == EXIT_OK, result.output
    return db


def test_an_added_label_changes_the_views_after_renormalize(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _views(loaded)
    assert ("implementation", LABEL, None) in before["unmapped"]
    con = sqlite3.connect(loaded)
    (row,) = con.execute(
        "SELECT implementation, implementation_raw, rec_text, rec_text_raw FROM v_assessments "
        "WHERE source_file = 'odd.docx' AND rec_id = '2'"
    ).fetchall()
    con.close()
    assert row[:2] == ("unknown", LABEL)

    # no parser may run: every reader and the recognizers fail the test if called
    import extract
    import extract.recognizers

    def parsed_a_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("renormalize parsed a file")

    monkeypatch.setattr(extract, "read_document", parsed_a_file)
    monkeypatch.setattr(extract.recognizers, "recognize", parsed_a_file)
    for fmt in list(extract.READERS):
        monkeypatch.setitem(extract.READERS, fmt, parsed_a_file)

    vocabulary = _vocabulary_with(tmp_path, LABEL, "in_progress")
    summary = renormalize(str(loaded), NormalizeConfig(vocabulary_path=vocabulary))

    after = _views(loaded)
    assert summary.documents == 2 and summary.without_raw == []
    assert summary.unmapped_before == len(before["unmapped"])
    assert summary.unmapped_after == len(before["unmapped"]) - 1
    assert ("implementation", LABEL, None) not in after["unmapped"]
    con = sqlite3.connect(loaded)
    (row,) = con.execute(
        "SELECT implementation, implementation_raw FROM v_latest_status "
        "WHERE source_file = 'odd.docx' AND rec_id = '2'"
    ).fetchall()
    con.close()
    assert row == ("in_progress", LABEL)
    assert after["v_rates"] != before["v_rates"] or after["v_rate_rows"] != before["v_rate_rows"]
    # everything else as it was: the other document, the file facts, the stored reading
    assert after["documents"] == before["documents"]
    itu = [r for r in after["v_assessments"] if r[3] != "odd.docx"]
    assert itu == [r for r in before["v_assessments"] if r[3] != "odd.docx"] and itu


def test_renormalize_with_the_same_vocabulary_changes_nothing(loaded: Path) -> None:
    """The stored raw records are the reading, whole: mapping them again gives every row."""
    before = _views(loaded)
    result = CliRunner().invoke(cli, ["renormalize", "--db", str(loaded)])
    assert result.exit_code == EXIT_OK, result.output
    assert "2 documents mapped again" in result.output
    assert _views(loaded) == before


def test_the_text_is_joined_and_the_raw_text_kept(loaded: Path) -> None:
    con = sqlite3.connect(loaded)
    (row,) = con.execute(
        "SELECT rec_text, rec_text_raw FROM v_assessments "
        "WHERE source_file = 'odd.docx' AND rec_id = '1'"
    ).fetchall()
    con.close()
    assert row == (
        "The executive heads should ensure the implementation of the plan.",
        "The executive heads should ensure the imple-\nmentation of the plan.",
    )


@pytest.mark.slow
def test_renormalize_imports_no_reader(loaded: Path, tmp_path: Path) -> None:
    """In a fresh interpreter, `rectrack renormalize` imports neither the readers nor the PDF
    and DOCX libraries."""
    vocabulary = _vocabulary_with(tmp_path, LABEL, "in_progress")
    code = (
        "import sys\n"
        "from rectrack.cli import cli\n"
        "try:\n"
        f"    cli(['renormalize', '--db', {str(loaded)!r}, '--vocabulary', {str(vocabulary)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('extract', 'pdfplumber', 'pdfminer', 'pypdfium2', 'docx'))\n"
        "print('imported:', bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "imported: []" in done.stdout, done.stdout
    assert "unmapped labels 1 -> 0" in done.stdout


def test_documents_loaded_before_raw_records_were_kept_are_named(loaded: Path) -> None:
    con = sqlite3.connect(loaded)
    con.execute("DELETE FROM raw_records WHERE document_id IN "
                "(SELECT id FROM documents WHERE source_file = 'odd.docx')")  # fmt: skip
    con.commit()
    con.close()
    result = CliRunner().invoke(cli, ["renormalize", "--db", str(loaded)])
    assert result.exit_code == EXIT_OK, result.output
    assert "1 documents mapped again" in result.output
    assert "rectrack run --force" in result.output and "odd.docx" in result.output


def test_a_missing_database_is_refused_and_not_created(tmp_path: Path) -> None:
    db = tmp_path / "missing.sqlite"
    result = CliRunner().invoke(cli, ["renormalize", "--db", str(db)])
    assert result.exit_code == EXIT_CANNOT_START
    assert "no database at" in result.output
    assert not db.exists()
