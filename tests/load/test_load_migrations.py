"""The schema is versioned: an older database upgrades in place and keeps its rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from load import VIEWS, load_document, open_db
from load.db import create_engine, head_revision, upgrade
from load.views import CONTRACT_VIEWS, view_sql
from tests.load.conftest import pg_schema_url
from tests.load.load_builders import info, parsed, rec, rows


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def bare(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on an empty database, not migrated yet."""
    if request.param == "sqlite":
        engine = create_engine(str(tmp_path / "old.sqlite"))
    else:
        engine = create_engine(pg_schema_url(request.getfixturevalue("pg_schema")))
    yield engine
    engine.dispose()


def _tables_and_views(engine: sa.Engine) -> tuple[set[str], set[str]]:
    inspector = sa.inspect(engine)
    return set(inspector.get_table_names()), set(inspector.get_view_names())


def test_a_first_revision_database_upgrades_keeping_its_rows(bare: sa.Engine) -> None:
    upgrade(bare, "0001")
    tables, views = _tables_and_views(bare)
    assert "reviews" not in tables
    assert views == set(CONTRACT_VIEWS)
    with bare.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO documents (source_file, sha256, format, agency, as_of, status, "
                "ingested_at) VALUES ('old.pdf', :sha, 'pdf', 'WIPO', :as_of, 'loaded', :at)"
            ),
            {"sha": "a" * 64, "as_of": "2021-06-30", "at": "2021-07-01 10:00:00"},
        )
        conn.execute(
            sa.text(
                "INSERT INTO assessments (document_id, seq, review_symbol, rec_number, rec_text, "
                "addressee, acceptance, implementation) SELECT id, 0, 'JIU/REP/2018/4', 2, 't', "
                "'executive_head', 'accepted', 'in_progress' FROM documents"
            )
        )
    before = rows(bare, "SELECT * FROM v_assessments")

    upgrade(bare, "head")

    tables, views = _tables_and_views(bare)
    assert "reviews" in tables
    assert views == set(VIEWS)
    assert rows(bare, "SELECT * FROM v_assessments") == before
    assert rows(bare, "SELECT * FROM reviews") == [
        {"review_symbol": "JIU/REP/2018/4", "review_year": 2018}
    ]
    assert rows(bare, "SELECT review_year, age_years FROM v_open_by_age") == [
        {"review_year": 2018, "age_years": 3}
    ]


def test_downgrade_and_upgrade_again_keep_the_records(bare: sa.Engine) -> None:
    upgrade(bare, "head")
    load_document(bare, parsed(info(), rec()))
    from alembic import command

    from load.db import alembic_config, writing

    with writing(bare) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert _tables_and_views(bare)[1] == set(CONTRACT_VIEWS)
    upgrade(bare, "head")
    assert len(rows(bare, "SELECT * FROM v_latest_status")) == 1
    assert rows(bare, "SELECT review_year FROM reviews") == [{"review_year": 2020}]


def test_opening_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite")
    engine = open_db(path)
    load_document(engine, parsed(info(), rec()))
    engine.dispose()
    again = open_db(path)
    assert rows(again, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]
    assert len(rows(again, "SELECT * FROM v_assessments")) == 1
    again.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_every_view_has_sql_for_both_dialects(dialect: str) -> None:
    for view in VIEWS:
        assert view_sql(view, dialect).lstrip().upper().startswith(("SELECT", "WITH", "--"))


def test_opening_recreates_views_whose_sql_changed(tmp_path: Path) -> None:
    path = str(tmp_path / "db.sqlite")
    engine = open_db(path)
    load_document(engine, parsed(info(), rec(acceptance="accepted")))
    with engine.begin() as conn:  # as if v_rates.sql had been edited since it was created
        conn.execute(sa.text("DROP VIEW v_rates"))
        conn.execute(sa.text("CREATE VIEW v_rates AS SELECT 1 AS stale"))
        conn.execute(sa.text("UPDATE view_definitions SET sha256 = 'old' WHERE name = 'v_rates'"))
    engine.dispose()
    again = open_db(path)
    (row,) = rows(again, "SELECT * FROM v_rates")
    assert "stale" not in row and row["recommendations"] == 1
    again.dispose()


def test_a_database_from_the_first_text_of_0002_upgrades(bare: sa.Engine) -> None:
    """Revision 0002 first created no view_definitions table (it was added to 0002 in place):
    such a database reads 0002 without it, and its v_status_changes paired files, not
    editions. Opening it must add the table and recreate the views."""
    upgrade(bare, "0002")
    old = info("old.pdf", "a", as_of="2021-06-30", document_symbol="S/1")
    load_document(bare, parsed(old, rec(implementation="in_progress")))
    for name, sha, fmt in (("new.pdf", "b", "pdf"), ("new.docx", "c", "docx")):
        new = info(name, sha, format=fmt, as_of="2022-06-30", document_symbol="S/2")
        load_document(bare, parsed(new, rec(implementation="implemented")))
    with bare.begin() as conn:
        conn.execute(sa.text("DROP TABLE view_definitions"))
        conn.execute(sa.text("DROP VIEW v_status_changes"))  # as the views then stood
        conn.execute(sa.text("CREATE VIEW v_status_changes AS SELECT 1 AS stale"))

    engine = open_db(bare.url.render_as_string(hide_password=False))

    assert rows(engine, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]
    assert {r["name"] for r in rows(engine, "SELECT name FROM view_definitions")} == set(VIEWS)
    changes = rows(engine, "SELECT from_document, to_document FROM v_status_changes")
    assert changes == [{"from_document": "old.pdf", "to_document": "new.docx"}]
    engine.dispose()
