"""Opening the database: URL resolution, SQLite connection settings, migration to head.

SQLite runs in WAL mode, so an analyst reading during a load sees the last committed state,
never a half-loaded document. Writers take the write lock up front (``BEGIN IMMEDIATE``) and
wait up to ``busy_timeout_ms`` for another writer to finish; past that they fail with a
:class:`LoadError` saying so, rather than SQLite's bare "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.pool import StaticPool

from core.errors import LoadError
from core.text import fold

from .config import BUSY_TIMEOUT_MS, LoadConfig
from .views import refresh_views, stored_hashes, view_hashes

DEFAULT_PATH = Path("db") / "rectrack.sqlite"
_WRITE = "rectrack_write"  # execution option: begin the transaction IMMEDIATE on SQLite


class DatabaseFault(LoadError):
    """The database cannot be used right now (disk full, read-only, locked, connection lost):
    the environment's fault, not the document's. A run stops on it, marking no document
    failed, so that the next run picks up where this one stopped."""


def resolve_url(url_or_path: str | None) -> sa.URL:
    """None -> db/rectrack.sqlite under the working directory; a plain path -> a SQLite file.

    Only the default's ``db/`` folder is created: a typo in a path must not leave folders.
    """
    if url_or_path is None:
        DEFAULT_PATH.parent.mkdir(exist_ok=True)  # the documented default; no other folder
        url_or_path = str(DEFAULT_PATH)
    if "://" in url_or_path:
        return sa.make_url(url_or_path)
    path = Path(url_or_path).expanduser()
    return sa.URL.create("sqlite", database=str(path.resolve()))


def _sqlite_events(engine: sa.Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys and busy_timeout on every connection; we issue BEGIN ourselves
    (pysqlite's own deferred BEGIN defeats busy_timeout when a reader upgrades to a writer)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url_or_path: str | None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """An engine for the database, without touching its schema."""
    url = resolve_url(url_or_path)
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            # one shared connection, or every checkout would see a fresh empty database
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        engine = sa.create_engine(url, **kwargs)
        _sqlite_events(engine, busy_timeout_ms)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", "load:migrations")
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate the schema (tables and views) to ``revision``, in place, keeping every row.

    At head, views whose ``.sql`` changed are recreated too. An up-to-date database is only
    read, so opening it needs no write lock (and works while another process loads).
    """
    config = alembic_config()
    if revision == "head" and _up_to_date(engine, config):
        return
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        if revision == "head":
            refresh_views(conn)


def head_revision() -> str:
    """The newest schema revision this code knows (what ``open_db`` upgrades to)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
    return heads[0]


def _up_to_date(engine: sa.Engine, config: Config) -> bool:
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        if set(MigrationContext.configure(conn).get_current_heads()) != heads:
            return False
        return stored_hashes(conn) == view_hashes(conn.dialect.name)


def open_db(url_or_path: str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """The database at ``url_or_path`` (see :func:`resolve_url`), upgraded to the head schema."""
    return connect(LoadConfig(url_or_path, busy_timeout_ms))


def connect(config: LoadConfig) -> sa.Engine:
    """The database ``config`` names, upgraded to the head schema (:func:`open_db`'s body)."""
    url_or_path, busy_timeout_ms = config.db, config.busy_timeout_ms
    try:
        engine = create_engine(url_or_path, busy_timeout_ms=busy_timeout_ms)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, ValueError) as exc:
        raise LoadError(f"cannot use database {url_or_path!r}: {one_line(exc)}") from exc
    try:
        upgrade(engine)
    except LoadError:
        engine.dispose()
        raise
    except CommandError as exc:  # a revision this code does not know: another tool's, or newer
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseFault(
            f"cannot open database {where}: its schema revision is not one of rectrack's "
            f"({one_line(exc)}); use a database made by rectrack, or a newer rectrack"
        ) from None
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseFault(f"cannot open database {where}: {one_line(exc)}") from exc
    except OSError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseFault(f"cannot open database {where}: {exc.strerror or exc}") from exc
    return engine


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection for one write transaction, committed on exit (rolled back whole on any
    error or interruption). A database that cannot be written right now raises
    :class:`DatabaseFault`; what the database refuses in the data stays the caller's."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn
    except sa.exc.DBAPIError as exc:
        fault = environment_fault(exc)
        if fault is None:
            raise
        raise DatabaseFault(fault) from exc


def environment_fault(exc: BaseException) -> str | None:
    """One line saying why the database cannot be used now, when ``exc`` is such a fault
    (not a refusal of the data: a constraint, a bad value), else None."""
    if isinstance(exc, DatabaseFault):
        return exc.message
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    text = one_line(exc)
    if "locked" in text.lower() or "busy" in text.lower() or "lock timeout" in text.lower():
        return (
            "the database is locked by another writer (waited past the lock timeout); "
            "run one load at a time or retry when the other load has finished"
        )
    if exc.connection_invalidated or isinstance(
        exc, sa.exc.OperationalError | sa.exc.InterfaceError
    ):
        return f"the database cannot be written: {text}"
    return None


def one_line(exc: BaseException) -> str:
    """The driver's message on one line, short enough for v_documents.error."""
    text = str(getattr(exc, "orig", None) or exc)
    return fold(text)[:300]
