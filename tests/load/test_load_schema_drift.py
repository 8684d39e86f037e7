"""The migrations and ``load/schema.py`` describe one schema: a database upgraded to Alembic's
head has exactly the tables, columns, types, nullability and indexes that ``schema.metadata``
declares (Alembic's own autogenerate comparison finds nothing to do). Without this test a column
added to one and forgotten in the other drifts silently until a fresh database and an upgraded
one behave differently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from load.db import create_engine, upgrade
from load.schema import metadata
from tests.load.conftest import pg_schema_url


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])]
)
def head(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        engine = create_engine(str(tmp_path / "head.sqlite"))
    else:
        engine = create_engine(pg_schema_url(request.getfixturevalue("pg_schema")))
    upgrade(engine, "head")
    yield engine
    engine.dispose()


def test_alembic_head_equals_schema_py(head: sa.Engine) -> None:
    with head.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _ours}
        )
        diff = compare_metadata(context, metadata)
    assert diff == [], f"migrations and load/schema.py disagree: {diff}"


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    """Alembic's own bookkeeping table is not part of schema.py."""
    return not (type_ == "table" and name == "alembic_version")
