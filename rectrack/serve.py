"""Datasette over the SQLite database, with the contract's descriptions, facets and canned
queries from ``rectrack/metadata.yaml`` (shipped in the package), so oversight staff browse and
query without writing SQL. The home page opens on the rates and the canned queries
(``serve_hooks``); the database is opened read-only and never migrated or created.

Datasette reads SQLite files only; a database on PostgreSQL is served by exporting it (or by
any PostgreSQL front end), so a non-SQLite URL is refused with that advice.
"""

from __future__ import annotations

import sqlite3
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import click
import sqlalchemy as sa
from pydantic import Field, model_validator

from core import datafile
from core.datafile import Strict
from core.errors import RectrackError

#: The database key used in metadata.yaml; replaced by the served file's Datasette name.
METADATA_DB_KEY = "rectrack"
DEFAULT_PORT = 8001
#: Every query (canned, typed, facets) is cut off past these limits, so one heavy query cannot
#: hold the server; cells are never truncated, so recommendation text is read whole.
SQL_TIME_LIMIT_MS = 5000
SETTINGS = {
    "sql_time_limit_ms": SQL_TIME_LIMIT_MS,
    "facet_time_limit_ms": 1000,
    "truncate_cells_html": 0,
    "default_page_size": 100,
}


class Query(Strict):
    """A canned query; no ``write`` key: the server is read-only."""

    sql: str
    title: str | None = None
    description: str | None = None
    description_html: str | None = None
    hide_sql: bool = False
    params: list[str] | None = None
    fragment: str | None = None


class Table(Strict):
    """What Datasette shows of one table or view."""

    title: str | None = None
    description: str | None = None
    description_html: str | None = None
    columns: dict[str, str] | None = None
    facets: list[str] | None = None
    hidden: bool = False
    sort: str | None = None
    sort_desc: str | None = None
    sortable_columns: list[str] | None = None
    label_column: str | None = None
    size: int | None = None


class Database(Strict):
    title: str | None = None
    description: str | None = None
    description_html: str | None = None
    tables: dict[str, Table] = Field(default_factory=dict)
    queries: dict[str, Query] = Field(default_factory=dict)


class Metadata(Strict):
    """metadata.yaml: the part of Datasette's metadata format rectrack uses, so a misspelt
    key (which Datasette would silently ignore) is an error naming its file and line.
    Top-level ``x-`` keys hold YAML anchors shared by several views and are dropped."""

    title: str | None = None
    description: str | None = None
    description_html: str | None = None
    license: str | None = None
    license_url: str | None = None
    source: str | None = None
    source_url: str | None = None
    about: str | None = None
    about_url: str | None = None
    databases: dict[str, Database] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _drop_anchors(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


def sqlite_path(url_or_path: str | None) -> Path:
    """The SQLite file behind ``--db`` (a path or ``sqlite:///`` URL); anything else refused.

    Nothing is created: a missing file or folder is an error, never a new empty database.
    """
    from rectrack.paths import check_db, sqlite_file

    text = None if url_or_path is None else str(url_or_path)
    path = sqlite_file(text)
    if path is None:
        if text is not None and "://" in text and not text.startswith("sqlite"):
            backend = text.split("://", 1)[0].split("+", 1)[0]
            raise RectrackError(
                f"rectrack serve works on SQLite files only, not {backend}; "
                "export the views (rectrack export) or load the corpus into a SQLite file "
                "with `rectrack run corpus/ --db db/rectrack.sqlite`"
            )
        raise RectrackError("rectrack serve needs a SQLite file, not an in-memory database")
    check_db(text, must_exist=True)
    return path


def read_only_uri(path: Path) -> str:
    """SQLite URI that opens ``path`` read-only: serving never writes the database."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def check_schema(path: Path) -> None:
    """Refuse a database whose schema or views are older than this code, without migrating it.

    ``serve`` opens the database read-only (it may be loading at the same time, or belong to
    someone else), so an out-of-date file is named with the command that upgrades it.
    """
    from alembic.runtime.migration import MigrationContext

    from load.db import head_revision
    from load.views import stored_hashes, view_hashes

    engine = sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(read_only_uri(path), uri=True)
    )
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            views_current = stored_hashes(conn) == view_hashes("sqlite")
    except sa.exc.DBAPIError as exc:
        raise RectrackError(f"cannot read database {path}: {exc.orig}") from exc
    finally:
        engine.dispose()
    head = head_revision()
    if current != {head} or not views_current:
        found = ", ".join(sorted(current)) or "none"
        raise RectrackError(
            f"database {path} has schema revision {found} (views "
            f"{'current' if views_current else 'out of date'}), this rectrack needs {head}; "
            f"serve does not change the database: upgrade it with "
            f"`rectrack run corpus/ --db {path}` (unchanged files are not parsed again)"
        )


def load_metadata(db_name: str = METADATA_DB_KEY, path: Path | None = None) -> dict[str, Any]:
    """Datasette metadata (the package's metadata.yaml, or ``path``), keyed to the database
    name Datasette will use.

    Top-level ``x-`` keys (YAML anchors shared by several views) are dropped.
    """
    try:
        if path is None:
            text = resources.files(__package__).joinpath("metadata.yaml").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RectrackError(f"cannot read Datasette metadata {path}: {exc.strerror}") from exc
    source = str(path) if path is not None else f"{__package__}/metadata.yaml"
    metadata = datafile.parse(text, Metadata, source).model_dump(exclude_unset=True)
    databases = metadata.get("databases", {})
    if METADATA_DB_KEY in databases and db_name != METADATA_DB_KEY:
        databases[db_name] = databases.pop(METADATA_DB_KEY)
    return metadata


def make_datasette(
    db_path: str | Path,
    metadata_path: Path | None = None,
    *,
    sql_time_limit_ms: int = SQL_TIME_LIMIT_MS,
) -> Any:
    """A Datasette instance serving ``db_path`` read-only, with rectrack's metadata, a home
    page that opens on the rates, rates shown as percentages, and a time limit on queries.

    The database is neither created nor migrated: an out-of-date schema is refused.
    """
    from datasette.app import Datasette

    from rectrack import serve_hooks

    path = sqlite_path(str(db_path))
    check_schema(path)

    class Served(Datasette):
        """Marked before Datasette builds its routes, so the hooks know it is rectrack's."""

        def __init__(self, **kwargs: Any) -> None:
            setattr(self, serve_hooks.MARK, path.stem)
            super().__init__(**kwargs)

    serve_hooks.register()
    return Served(
        files=[str(path)],
        metadata=load_metadata(path.stem, metadata_path),
        settings={**SETTINGS, "sql_time_limit_ms": sql_time_limit_ms},
        template_dir=str(resources.files(__package__).joinpath("templates")),
    )


def public_views(db_path: str | Path) -> dict[str, list[str]]:
    """Every public view in the database with its column names (what metadata must describe)."""
    from load.views import VIEWS

    path = Path(db_path)
    engine = sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(read_only_uri(path), uri=True)
    )
    try:
        inspector = sa.inspect(engine)
        present = set(inspector.get_view_names())
        return {v: [c["name"] for c in inspector.get_columns(v)] for v in VIEWS if v in present}
    finally:
        engine.dispose()


def serve(db: str | None, port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> None:
    """Run Datasette on ``db`` until interrupted."""
    import uvicorn

    path = sqlite_path(db)
    ds = make_datasette(path)
    click.echo(f"Serving {path} read-only at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


@click.command("serve")
@click.option(
    "--db",
    default=None,
    help="SQLite database file (or sqlite:/// URL) [default: db/rectrack.sqlite].",
)
@click.option("--port", "-p", type=int, default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; 0.0.0.0 makes it reachable from other machines.",
)
def serve_command(db: str | None, port: int, host: str) -> None:
    """Browse and query the database in a web browser (Datasette), with descriptions of every
    view and column, facets, and canned queries (rates by agency, open recommendations by age,
    changes since the previous edition, one review across agencies).

    Example:

        rectrack serve --db db/rectrack.sqlite --port 8001
    """
    try:
        serve(db, port, host)
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
