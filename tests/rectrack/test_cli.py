"""The command line as a user meets it: help, README, exit codes, reruns, unmapped labels."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import click
import docx
import pytest
from click.testing import CliRunner

from rectrack.cli import EXIT_CANNOT_START, EXIT_FILES_FAILED, EXIT_OK, cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _commands() -> dict[str, click.Command]:
    ctx = click.Context(cli)
    assert isinstance(cli, click.Group)
    return {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}  # type: ignore[misc]


def test_every_command_has_help_with_an_example() -> None:
    for name, command in _commands().items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{name} --help shows no example"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help or param.name in ("port",), f"{name} --{param.name} has no help"


def test_readme_documents_every_command_and_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in _commands().items():
        assert f"rectrack {name}" in readme, f"README does not show `rectrack {name}`"
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "host", "quiet"):
                long = max(param.opts, key=len)
                assert long in readme, f"README does not document {name} {long}"


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme.split("## What it does")[0], re.S)
    assert len(blocks) == 2
    assert "rectrack run corpus/" in blocks[0] and "pip install" in blocks[0]
    assert "pytest" in blocks[1]


def _docx_with_label(path: Path, label: str) -> Path:
    document = docx.Document()
    document.add_paragraph("JIU/REP/2022/3 Review of something")
    table = document.add_table(rows=2, cols=4)
    for c, text in enumerate(["Rec. no.", "Recommendation", "Acceptance", "Implementation status"]):
        table.cell(0, c).text = text
    for c, text in enumerate(["2", "The executive heads should act.", label, "Ongoing"]):
        table.cell(1, c).text = text
    document.save(str(path))
    return path


def test_run_then_rerun_skips_then_labels(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx", folder)
    _docx_with_label(folder / "odd.docx", "Maybe later")
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    first = runner.invoke(cli, ["run", str(folder), "--db", str(db), "--workers", "0"])
    assert first.exit_code == EXIT_OK, first.output
    assert "ITU_C22-61_JIU_system-wide_reports.docx" in first.output
    assert "acceptance: 'Maybe later'" in first.output
    second = runner.invoke(cli, ["run", str(folder), "--db", str(db), "--workers", "0"])
    assert second.exit_code == EXIT_OK
    assert "2 skipped" in second.output
    con = sqlite3.connect(db)
    statuses = {row[0] for row in con.execute("select status from v_documents")}
    count = con.execute("select count(*) from v_assessments").fetchone()[0]
    con.close()
    assert statuses == {"loaded"}  # a rerun does not change the data's state (checked_at)
    assert count == 24  # nothing duplicated
    labels = runner.invoke(cli, ["labels", "--db", str(db)])
    assert "odd.docx" in labels.output and "Maybe later" in labels.output


def test_bad_file_is_named_the_batch_goes_on_and_exit_code_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "UNW_2021_SEA-SH_review_update.docx", folder)
    (folder / "page.pdf").write_text("<!doctype html><html><body>Not found</body></html>")
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "--workers", "1", "-q"])
    assert result.exit_code == EXIT_FILES_FAILED
    assert re.search(r"error: page\.pdf: .*HTML", result.output)
    con = sqlite3.connect(db)
    rows = dict(con.execute("select source_file, status from v_documents").fetchall())
    con.close()
    assert rows == {"UNW_2021_SEA-SH_review_update.docx": "loaded", "page.pdf": "failed"}


@pytest.mark.parametrize(
    "args",
    [
        ["run", "no/such/folder"],
        ["run", "corpus", "--db", "nosuchdriver://x/y"],
    ],
)
def test_a_run_that_cannot_start_exits_2(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert result.output.startswith("error:")


def test_export_writes_a_view(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_label(folder / "one.docx", "Accepted")
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"]).exit_code == 0
    out = tmp_path / "rates.csv"
    result = runner.invoke(cli, ["export", "v_assessments", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "JIU/REP/2022/3" in text and "in_progress" in text


def test_two_files_with_one_name_are_not_merged(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        _docx_with_label(tmp_path / "in" / sub / "same.docx", "Accepted")
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "--db", str(db), "-j", "0"])
    assert result.exit_code == EXIT_FILES_FAILED
    assert "error: same.docx: same file name as" in result.output
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from v_documents").fetchone()[0] == 1
    con.close()


MISSING = "no database at {path}; build it first with `rectrack run corpus/ --db {path}`"


@pytest.mark.parametrize(
    "command",
    [
        ["labels"],
        ["labels", "--format", "json"],
        ["renormalize"],
        ["export", "v_rates", "--out", "{out}"],
        ["report", "--out", "{out}"],
        ["serve"],
    ],
)
def test_reading_commands_refuse_a_missing_database_and_create_nothing(
    command: list[str], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    db = work / "missing.sqlite"
    args = [a.format(out=work / "x.csv" if "export" in command else work / "rep") for a in command]
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert result.output.strip() == "error: " + MISSING.format(path=db)
    assert list(work.iterdir()) == []  # no database, no export, no report folder


def test_the_default_database_missing_is_refused_without_creating_db_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["labels"], ["export", "v_rates", "--out", "x.csv"], ["serve"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == EXIT_CANNOT_START, (args, result.output)
        assert "no database at db/rectrack.sqlite" in result.output
    assert list(tmp_path.iterdir()) == []


def test_run_on_a_missing_path_creates_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "no/such/path"])
    assert result.exit_code == EXIT_CANNOT_START
    assert result.output.strip() == "error: no such file or folder: no/such/path"
    assert list(tmp_path.iterdir()) == []  # no db/ folder, no db/rectrack.sqlite


def test_db_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_label(folder / "one.docx", "Accepted")
    db = tmp_path / "no" / "such" / "dir" / "x.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert f"folder {db.parent} does not exist" in result.output
    assert not (tmp_path / "no").exists()


def test_db_that_is_a_folder_is_named_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_label(folder / "one.docx", "Accepted")
    for args in (
        ["run", str(folder), "-j", "0"],
        ["labels"],
        ["export", "v_rates", "--out", str(tmp_path / "x.csv")],
        ["report", "--out", str(tmp_path / "rep")],
    ):
        result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path)])
        assert result.exit_code == EXIT_CANNOT_START, (args, result.output)
        assert f"error: --db {tmp_path} is a folder, not a database file" in result.output
        assert "unable to open" not in result.output
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "rep").exists()


def test_run_on_a_folder_without_pdf_or_docx_says_what_it_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("hello")
    (folder / "sub" / "report.doc").write_bytes(b"old word")
    (folder / "~$report.docx").write_bytes(b"lock")
    (folder / ".hidden.pdf").write_bytes(b"%PDF")
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"])
    assert result.exit_code == EXIT_CANNOT_START, result.output
    assert f"no PDF or DOCX file under {folder}; 4 file(s) ignored" in result.output
    assert f"{folder / 'notes.txt'}: not a PDF or DOCX (.txt)" in result.output
    assert f"{folder / 'sub' / 'report.doc'}: not a PDF or DOCX (.doc)" in result.output
    assert f"{folder / '~$report.docx'}: a Word lock file" in result.output
    assert f"{folder / '.hidden.pdf'}: a hidden file" in result.output
    assert not db.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["run", str(empty), "--db", str(db)])
    assert result.exit_code == EXIT_CANNOT_START
    assert "no files at all" in result.output
    assert not db.exists()


def test_labels_as_csv_and_json(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_label(folder / "odd.docx", "Maybe later")
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"]).exit_code == 0
    as_csv = runner.invoke(cli, ["labels", "--db", str(db), "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.output.splitlines() == [
        "file,page,field,label",
        "odd.docx,,acceptance,Maybe later",
    ]
    as_json = runner.invoke(cli, ["labels", "--db", str(db), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == [
        {"file": "odd.docx", "page": None, "field": "acceptance", "label": "Maybe later"}
    ]


def test_export_refuses_an_out_folder_that_does_not_exist(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_label(folder / "one.docx", "Accepted")
    db = tmp_path / "db.sqlite"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(folder), "--db", str(db), "-j", "0"]).exit_code == 0
    out = tmp_path / "typo" / "rates.csv"
    result = runner.invoke(cli, ["export", "v_rates", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 2
    assert "does not exist" in result.output and not (tmp_path / "typo").exists()


def test_a_sqlite_url_to_a_missing_file_is_refused_like_a_path(tmp_path: Path) -> None:
    db = tmp_path / "missing.sqlite"
    for args in (["labels"], ["export", "v_rates", "--out", str(tmp_path / "x.csv")]):
        result = CliRunner().invoke(cli, [*args, "--db", f"sqlite:///{db}"])
        assert result.exit_code == EXIT_CANNOT_START, (args, result.output)
        assert result.output.strip() == "error: " + MISSING.format(path=db)
    assert list(tmp_path.iterdir()) == []
