"""Databases built from code: a SQLite file per test, and PostgreSQL in a throwaway schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from load import open_db

PG_URL = os.environ.get("RECTRACK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_schema_url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh schema on the test server, dropped afterwards; skips if there is no server."""
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
def sqlite_db(tmp_path: Any) -> Iterator[sa.Engine]:
    engine = open_db(str(tmp_path / "rectrack.sqlite"))
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sa.Engine]:
    """The same tests on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        engine = open_db(str(tmp_path / "rectrack.sqlite"))
    else:
        engine = open_db(pg_schema_url(request.getfixturevalue("pg_schema")))
    yield engine
    engine.dispose()
