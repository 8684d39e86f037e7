"""What a run says about each file, and what v_documents keeps: a rerun leaves the data's state
alone (checked_at records it), a document without records says why, a doubt is a warning."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import docx
from click.testing import CliRunner

from rectrack.cli import EXIT_OK, cli


def _report(path: Path, rows: list[list[str]]) -> Path:
    document = docx.Document()
    document.add_paragraph("JIU/REP/2022/3 Review of something")
    if rows:
        table = document.add_table(rows=len(rows) + 1, cols=4)
        header = ["Rec. no.", "Recommendation", "Acceptance", "Implementation status"]
        for r, cells in enumerate([header, *rows]):
            for c, text in enumerate(cells):
                table.cell(r, c).text = text
    else:
        document.add_paragraph("The Board took note of the report. No table follows.")
    document.save(str(path))
    return path


def _documents(db: Path) -> dict[str, tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        query = "SELECT source_file, status, records, warnings, note, ingested_at, checked_at "
        return {r[0]: r[1:] for r in con.execute(query + "FROM v_documents")}
    finally:
        con.close()


def test_a_rerun_says_skipped_and_leaves_the_datas_state(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _report(folder / "full.docx", [["1", "The executive heads should act.", "Accepted", "Ongoing"]])
    _report(folder / "empty.docx", [])
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    first = runner.invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"])
    assert first.exit_code == EXIT_OK, first.output
    assert "Loaded without records:" in first.output
    assert "empty.docx: no recommendation-status information found" in first.output
    before = _documents(db)
    assert before["full.docx"][:4] == ("loaded", 1, None, None)
    assert before["empty.docx"][:4] == (
        "loaded",
        0,
        None,
        "no recommendation-status information found",
    )

    time.sleep(0.01)
    second = runner.invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"])
    assert second.exit_code == EXIT_OK, second.output
    assert "2 skipped" in second.output
    assert re.search(r"^full\.docx +skipped", second.output, re.M)
    # a skipped document without records still says why
    assert "empty.docx: no recommendation-status information found" in second.output
    after = _documents(db)
    for name in ("full.docx", "empty.docx"):
        assert after[name][:5] == before[name][:5]  # status, records, warnings, note, ingested
        assert str(after[name][5]) > str(before[name][5])  # checked_at: this run saw it


def test_a_recommendation_read_twice_costs_only_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _report(
        folder / "twice.docx",
        [
            ["1", "The executive heads should act.", "Accepted", "Implemented"],
            ["2", "The legislative bodies should decide.", "Accepted", "Ongoing"],
            ["1", "The executive heads should act.", "Accepted", "Not started"],
        ],
    )
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"])
    assert result.exit_code == EXIT_OK, result.output
    status, records, warnings, _note, _at, _checked = _documents(db)["twice.docx"]
    assert (status, records) == ("loaded", 2)
    assert warnings and "recommendation 1" in warnings, warnings
    assert "Warnings" in result.output and "recommendation 1" in result.output
