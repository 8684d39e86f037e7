"""The corpus DOCX files loaded into PostgreSQL from the command line (`rectrack run ... --db
postgresql+psycopg://...`, in a fresh schema) give the same rows in every public view as the
SQLite run of the same files. The corpus holds one edition per agency, so both databases also
get the same invented earlier WIPO edition, for the edition views to have rows to compare, and
the same invented reports of other oversight bodies (identifiers as printed, an unnumbered
recommendation, a repeat kept once with a warning, a report without records and its note)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from core.model import Assessment, DocumentInfo, ParsedDocument
from load import VIEWS, load_document, open_db
from load.db import head_revision
from rectrack.cli import cli
from tests.load.conftest import fresh_pg_schema, pg_schema_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

#: Differs between any two runs by design: when the file was ingested and last checked.
RUN_SPECIFIC = {"ingested_at", "checked_at"}


def _value(value: Any) -> Any:
    """One comparable form: dates as ISO strings, floats to 9 places."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 9)
    return value


def _sorted(columns: list[str], rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    keep = [i for i, c in enumerate(columns) if c not in RUN_SPECIFIC]
    out = [tuple(_value(row[i]) for i in keep) for row in rows]
    return sorted(out, key=repr)


def _sqlite_view(db: Path, view: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        cursor = con.execute(f"SELECT * FROM {view}")
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.close()


def _earlier_wipo_edition(db: Path) -> ParsedDocument:
    """A 2021 WIPO edition with every recommendation of the loaded WIPO report in progress."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM v_assessments WHERE agency = 'WIPO'").fetchall()
    finally:
        con.close()
    assert rows, "no WIPO records in the corpus run"
    info = DocumentInfo(
        source_file="wipo_2021_invented.docx",
        sha256="e" * 64,
        format="docx",
        agency="WIPO",
        document_symbol="WO/PBC/33/0",
        as_of="2021-03-31",
    )
    records = [
        Assessment(
            review_symbol=r["review_symbol"],
            rec_number=r["rec_number"],
            rec_text=r["rec_text"],
            addressee=r["addressee"],
            acceptance=r["acceptance"],
            implementation="in_progress",
        )
        for r in rows
    ]
    return ParsedDocument(info=info, assessments=records)


def _other_bodies() -> list[ParsedDocument]:
    """Invented follow-up reports of the Board of Auditors and an evaluation office, and one
    report with nothing to read, for the rows the corpus DOCX files do not have."""
    board = DocumentInfo(
        source_file="board_2024_invented.pdf",
        sha256="f" * 64,
        format="pdf",
        pages=12,
        agency="UNOPS",
        as_of="2024-12-31",
    )

    def rec(
        rec_id: str, number: int | None, acceptance: str, implementation: str, **kw: Any
    ) -> Assessment:
        return Assessment(
            review_symbol=kw.pop("symbol", "A/79/5/Add.11"),
            rec_id=rec_id,
            rec_number=number,
            rec_text=f"In paragraph {rec_id}, the Board recommended that UNOPS act.",
            rec_text_raw=f"In paragraph {rec_id}, the Board\nrecommended that UNOPS act.",
            body=kw.pop("body", "board_of_auditors"),
            acceptance=acceptance,
            implementation=implementation,
            page=3,
            status_page=4,
            recognizer="invented",
            **kw,
        )

    records = [
        rec("36", 36, "accepted", "in_progress"),
        rec("3(a)", 3, "accepted", "implemented"),
        rec("3(b)", 3, "not_accepted", "not_applicable"),
        rec(
            "#1", None, "accepted", "unknown", symbol="evaluation-of-procurement", body="evaluation"
        ),
        rec("36", 36, "accepted", "implemented"),  # a repeat: kept once, with a warning
    ]
    empty = DocumentInfo(
        source_file="toc_invented.pdf", sha256="0" * 64, format="pdf", pages=2, agency="UNOPS"
    )
    return [
        ParsedDocument(info=board, assessments=records, warnings=["a doubt of the reader"]),
        ParsedDocument(info=empty),
    ]


@pytest.fixture(scope="module")
def lite(corpus_docx_run: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's SQLite run (left as it is for other tests), plus the edition."""
    copy = tmp_path_factory.mktemp("lite") / "rectrack.sqlite"
    shutil.copy2(corpus_docx_run[1], copy)
    engine = open_db(str(copy))
    load_document(engine, _earlier_wipo_edition(corpus_docx_run[1]))
    for document in _other_bodies():
        load_document(engine, document)
    engine.dispose()
    return copy


@pytest.fixture(scope="module")
def pg_url(corpus_docx_run: tuple[Path, Path]) -> Iterator[str]:
    """The same DOCX folder loaded by the CLI into a fresh PostgreSQL schema, plus the edition."""
    folder = corpus_docx_run[0]
    with fresh_pg_schema() as schema:
        url = pg_schema_url(schema)
        result = CliRunner().invoke(cli, ["run", str(folder), "--db", url, "-j", "0", "-q"])
        assert result.exit_code == 0, result.output
        engine = open_db(url)
        load_document(engine, _earlier_wipo_edition(corpus_docx_run[1]))
        for document in _other_bodies():
            load_document(engine, document)
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def pg(pg_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(pg_url)
    yield engine
    engine.dispose()


def test_the_cli_loaded_every_file_into_the_schema(
    pg: sa.Engine, corpus_docx_run: tuple[Path, Path]
) -> None:
    folder = corpus_docx_run[0]
    with pg.connect() as conn:
        loaded = conn.execute(sa.text("SELECT source_file, status FROM v_documents")).all()
        revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    files = [p.name for p in folder.glob("*.docx")] + ["wipo_2021_invented.docx"]
    files += [d.info.source_file for d in _other_bodies()]
    assert sorted(loaded) == [(name, "loaded") for name in sorted(files)]
    assert revision == head_revision()


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_gives_the_same_rows_as_sqlite(view: str, pg: sa.Engine, lite: Path) -> None:
    lite_columns, lite_rows = _sqlite_view(lite, view)
    with pg.connect() as conn:
        result = conn.execute(sa.text(f"SELECT * FROM {view}"))
        pg_columns, pg_rows = list(result.keys()), [tuple(r) for r in result]
    assert pg_columns == lite_columns
    assert lite_rows, f"{view} is empty: the comparison would prove nothing"
    assert _sorted(pg_columns, pg_rows) == _sorted(lite_columns, lite_rows)


def test_the_invented_reports_reach_the_views_alike(pg: sa.Engine, lite: Path) -> None:
    """The rows the corpus lacks are there, so the comparison above covers them."""
    query = (
        "SELECT agency, body, recommendations, accepted, implemented FROM v_rates "
        "WHERE agency = 'UNOPS' ORDER BY body"
    )
    with pg.connect() as conn:
        rates = [tuple(r) for r in conn.execute(sa.text(query))]
        documents = {
            r.source_file: (r.records, r.warnings, r.note)
            for r in conn.execute(sa.text("SELECT * FROM v_documents"))
        }
    assert rates == [("UNOPS", "board_of_auditors", 3, 2, 1), ("UNOPS", "evaluation", 1, 1, 0)]
    records, warnings, note = documents["board_2024_invented.pdf"]
    assert records == 4 and note is None
    assert warnings.splitlines()[0] == "a doubt of the reader"
    assert "recommendation 36 of A/79/5/Add.11 appears twice" in warnings.splitlines()[1]
    assert documents["toc_invented.pdf"] == (0, None, "no recommendation-status information found")
    con = sqlite3.connect(lite)
    try:
        assert con.execute(query).fetchall() == rates
    finally:
        con.close()
