"""Databases for the load tests: built from code (a SQLite file per test, PostgreSQL in a
throwaway schema), and one pipeline run over the corpus DOCX files per session."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from load import open_db
from rectrack.config import RunConfig
from rectrack.pipeline import run

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

PG_URL = os.environ.get("RECTRACK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_schema_url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A new schema on the test server, dropped on exit; skips if there is no server."""
    try:
        admin = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.connect():
            pass
    except Exception as exc:  # any failure to reach the server means: skip, with the reason
        pytest.skip(f"no PostgreSQL at {PG_URL}: {str(exc).splitlines()[0]}")
    schema = f"rectrack_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    with fresh_pg_schema() as schema:
        yield schema


@pytest.fixture(scope="session")
def corpus_docx_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus DOCX files copied to a temporary folder and run through the real pipeline
    into SQLite, once per session: (folder, database file). DOCX only: a few seconds."""
    folder = tmp_path_factory.mktemp("corpus_docx")
    files = sorted(CORPUS.glob("*.docx"))
    assert files, f"no DOCX in {CORPUS}"
    for path in files:
        shutil.copy2(path, folder / path.name)
    db = folder.parent / f"{folder.name}.sqlite"
    summary = run([folder], RunConfig.build(db=str(db), workers=0))
    assert summary.failed == [], [(o.source_file, o.error) for o in summary.failed]
    return folder, db


@pytest.fixture
def sqlite_db(tmp_path: Any) -> Iterator[sa.Engine]:
    engine = open_db(str(tmp_path / "rectrack.sqlite"))
    yield engine
    engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])]
)
def db(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sa.Engine]:
    """The same tests on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        engine = open_db(str(tmp_path / "rectrack.sqlite"))
    else:
        engine = open_db(pg_schema_url(request.getfixturevalue("pg_schema")))
    yield engine
    engine.dispose()
