"""The schema is versioned: an older database upgrades in place and keeps its rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from load import VIEWS, load_document, open_db
from load.db import create_engine, head_revision, upgrade
from load.views import view_sql
from tests.load.conftest import pg_schema_url
from tests.load.load_builders import info, parsed, rec, rows


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])]
)
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


OLD_VIEWS = Path(__file__).parent / "data" / "views_0004"


def _create_old_views(engine: sa.Engine) -> None:
    """The views as revisions 0001-0004 created them (their ``.sql`` files then, copied into
    tests/load/data/views_0004), with their hashes recorded: a database made by that code."""
    dialect = engine.dialect.name
    with engine.begin() as conn:
        hashes = []
        for name in VIEWS:
            path = OLD_VIEWS / f"{name}.{dialect}.sql"
            sql = (path if path.is_file() else OLD_VIEWS / f"{name}.sql").read_text()
            sql = sql.strip().rstrip(";")
            conn.exec_driver_sql(f"CREATE VIEW {name} AS\n{sql}")
            hashes.append({"name": name, "sha256": hashlib.sha256(sql.encode()).hexdigest()})
        if sa.inspect(conn).has_table("view_definitions"):
            conn.execute(sa.text("DELETE FROM view_definitions"))
            conn.execute(
                sa.text("INSERT INTO view_definitions (name, sha256) VALUES (:name, :sha256)"),
                hashes,
            )


def _insert_old_rows(engine: sa.Engine, *, with_stat: bool = True) -> None:
    """Rows as the code of revision 0004 wrote them: a loaded, a skipped and a failed file."""
    mtime = ", mtime_ns" if with_stat else ""
    mtime_value = ", 7" if with_stat else ""
    with engine.begin() as conn:
        for name, status, error in (
            ("old.pdf", "loaded", None),
            ("kept.docx", "skipped", None),
            ("bad.pdf", "failed", "no text layer"),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO documents (source_file, sha256, format, agency, as_of, status, "
                    f"error, ingested_at, size{mtime}) VALUES (:name, :sha, 'pdf', 'WIPO', "
                    f":as_of, :status, :error, :at, 10{mtime_value})"
                ),
                {
                    "name": name,
                    "sha": name[0] * 64,
                    "as_of": "2021-06-30" if name == "old.pdf" else "2020-06-30",
                    "status": status,
                    "error": error,
                    "at": "2021-07-01 10:00:00",
                },
            )
        for name, seq, symbol, number in (
            ("old.pdf", 0, "JIU/REP/2018/4", 2),
            ("old.pdf", 1, "review-of-the-ethics-function", 1),
            ("kept.docx", 0, "JIU/REP/2018/4", 3),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO assessments (document_id, seq, review_symbol, rec_number, "
                    "rec_text, addressee, acceptance, implementation, page) SELECT id, :seq, "
                    ":symbol, :number, :text, 'executive_head', 'accepted', 'in_progress', 4 "
                    "FROM documents WHERE source_file = :name"
                ),
                {
                    "name": name,
                    "seq": seq,
                    "symbol": symbol,
                    "number": number,
                    "text": f"The executive heads\nshould act ({number}).",
                },
            )
        conn.execute(
            sa.text(
                "INSERT INTO unmapped_labels (document_id, field, label, page) "
                "SELECT id, 'implementation', 'Parked', 4 FROM documents "
                "WHERE source_file = 'old.pdf'"
            )
        )


OLD_ASSESSMENT_COLUMNS = (
    "agency, document_symbol, as_of, source_file, page, review_symbol, review_title, "
    "rec_number, rec_text, addressee, acceptance, acceptance_raw, implementation, "
    "implementation_raw, previous_implementation, completed_year, deadline, responsible, comment"
)


def _check_upgraded(engine: sa.Engine, before: list[dict[str, object]]) -> None:
    """Every row kept; new columns backfilled; the data's state, not the last run's fate."""
    order = " ORDER BY source_file, review_symbol, rec_number"
    assert rows(engine, f"SELECT {OLD_ASSESSMENT_COLUMNS} FROM v_assessments{order}") == before
    new = rows(
        engine,
        "SELECT source_file, body, rec_id, rec_text_raw, rec_text, status_page "
        f"FROM v_assessments{order}",
    )
    assert [(r["source_file"], r["body"], r["rec_id"], r["status_page"]) for r in new] == [
        ("kept.docx", "JIU", "3", None),
        ("old.pdf", "JIU", "2", None),
        ("old.pdf", "other", "1", None),
    ]
    assert all(r["rec_text_raw"] == r["rec_text"] for r in new)
    documents = rows(
        engine,
        "SELECT source_file, status, error, records, warnings, note, ingested_at, checked_at "
        "FROM v_documents ORDER BY source_file",
    )
    assert [(d["source_file"], d["status"], d["error"], d["records"]) for d in documents] == [
        ("bad.pdf", "failed", "no text layer", 0),
        ("kept.docx", "loaded", None, 1),  # was 'skipped': it holds its records
        ("old.pdf", "loaded", None, 2),
    ]
    assert all(d["checked_at"] == d["ingested_at"] for d in documents)
    assert all(d["warnings"] is None and d["note"] is None for d in documents)
    assert rows(engine, "SELECT label FROM unmapped_labels") == [{"label": "Parked"}]
    assert rows(engine, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]
    assert set(sa.inspect(engine).get_view_names()) == set(VIEWS)


def test_a_revision_0004_database_upgrades_in_place_keeping_its_rows(bare: sa.Engine) -> None:
    """A database as the code before revision 0005 left it: its tables, its views, a file
    marked 'skipped'. Opening it migrates it in place."""
    upgrade(bare, "0004")
    _create_old_views(bare)
    _insert_old_rows(bare)
    order = " ORDER BY source_file, review_symbol, rec_number"
    before = rows(bare, f"SELECT {OLD_ASSESSMENT_COLUMNS} FROM v_assessments{order}")
    assert len(before) == 3 and "rec_id" not in rows(bare, "SELECT * FROM v_assessments")[0]

    engine = open_db(bare.url.render_as_string(hide_password=False))

    _check_upgraded(engine, before)
    # the new constraint: one row per (document, review, rec_id), numbers may repeat or lack
    load_document(
        engine,
        parsed(
            info("new.pdf", "n"),
            rec(number=3, rec_id="3(a)"),
            rec(number=3, rec_id="3(b)"),
            rec(number=None, rec_id="#1"),
        ),
    )
    assert len(rows(engine, "SELECT * FROM v_assessments WHERE source_file = 'new.pdf'")) == 3
    engine.dispose()


def test_a_first_revision_database_upgrades_keeping_its_rows(bare: sa.Engine) -> None:
    upgrade(bare, "0001")
    tables, views = _tables_and_views(bare)
    assert "reviews" not in tables and "raw_records" not in tables and views == set()
    _insert_old_rows(bare, with_stat=False)
    with bare.begin() as conn:  # the old view's rows, without the view (0001 had no mtime)
        before = [
            dict(r)
            for r in conn.execute(
                sa.text(
                    "SELECT d.agency, d.document_symbol, d.as_of, d.source_file, a.page, "
                    "a.review_symbol, a.review_title, a.rec_number, a.rec_text, a.addressee, "
                    "a.acceptance, a.acceptance_raw, a.implementation, a.implementation_raw, "
                    "a.previous_implementation, a.completed_year, a.deadline, a.responsible, "
                    "a.comment FROM assessments a JOIN documents d ON d.id = a.document_id "
                    "ORDER BY d.source_file, a.review_symbol, a.rec_number"
                )
            ).mappings()
        ]

    upgrade(bare, "head")

    _check_upgraded(bare, before)
    assert rows(bare, "SELECT * FROM reviews ORDER BY review_symbol") == [
        {"review_symbol": "JIU/REP/2018/4", "review_year": 2018},
        {"review_symbol": "review-of-the-ethics-function", "review_year": None},
    ]
    ages = rows(bare, "SELECT rec_id, review_year, age_years FROM v_open_by_age ORDER BY rec_id")
    assert ages == [
        {"rec_id": "1", "review_year": None, "age_years": None},
        {"rec_id": "2", "review_year": 2018, "age_years": 3},
        {"rec_id": "3", "review_year": 2018, "age_years": 2},
    ]


def test_downgrade_and_upgrade_again_keep_the_records(bare: sa.Engine) -> None:
    upgrade(bare, "head")
    load_document(
        bare,
        parsed(
            info(),
            rec(number=1),
            rec(number=2, rec_id="2(a)"),
            rec(number=2, rec_id="2(b)"),  # 0004 holds one row per number: this one goes
            rec(number=None, rec_id="#1"),  # and 0004 cannot hold an unnumbered one
        ),
    )
    from alembic import command

    from load.db import alembic_config, writing

    for target in ("0004", "0001"):
        with writing(bare) as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, target)
        assert _tables_and_views(bare)[1] == set()
        numbers = rows(bare, "SELECT rec_number FROM assessments ORDER BY rec_number")
        assert numbers == [{"rec_number": 1}, {"rec_number": 2}]
    upgrade(bare, "head")
    assert [r["rec_id"] for r in rows(bare, "SELECT rec_id FROM v_latest_status ORDER BY 1")] == [
        "1",
        "2",
    ]
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
    _create_old_views(bare)
    with bare.begin() as conn:
        conn.execute(sa.text("DROP TABLE view_definitions"))
        conn.execute(sa.text("DROP VIEW v_status_changes"))  # as the views then stood
        conn.execute(sa.text("CREATE VIEW v_status_changes AS SELECT 1 AS stale"))
        for name, sha, fmt, as_of, symbol, status in (
            ("old.pdf", "a", "pdf", "2021-06-30", "S/1", "in_progress"),
            ("new.pdf", "b", "pdf", "2022-06-30", "S/2", "implemented"),
            ("new.docx", "c", "docx", "2022-06-30", "S/2", "implemented"),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO documents (source_file, sha256, format, agency, as_of, "
                    "document_symbol, status, ingested_at) VALUES (:name, :sha, :fmt, 'WIPO', "
                    ":as_of, :symbol, 'loaded', '2022-07-01 10:00:00')"
                ),
                {"name": name, "sha": sha * 64, "fmt": fmt, "as_of": as_of, "symbol": symbol},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO assessments (document_id, seq, review_symbol, rec_number, "
                    "rec_text, addressee, acceptance, implementation) SELECT id, 0, "
                    "'JIU/REP/2020/8', 1, 't', 'unknown', 'accepted', :status FROM documents "
                    "WHERE source_file = :name"
                ),
                {"name": name, "status": status},
            )

    engine = open_db(bare.url.render_as_string(hide_password=False))

    assert rows(engine, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]
    assert {r["name"] for r in rows(engine, "SELECT name FROM view_definitions")} == set(VIEWS)
    changes = rows(engine, "SELECT from_document, to_document FROM v_status_changes")
    assert changes == [{"from_document": "old.pdf", "to_document": "new.docx"}]
    engine.dispose()
