"""Opening the database: URL resolution, SQLite connection settings, migration to head.

SQLite runs in WAL mode, so an analyst reading during a load sees the last committed state,
never a half-loaded document. Writers take the write lock up front (``BEGIN IMMEDIATE``) and
wait up to ``busy_timeout_ms`` for another writer to finish; past that they fail with a
:class:`LoadError` saying so, rather than SQLite's bare "database is locked".
"""

from __future__ import annotations

import math
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

from .config import BUSY_TIMEOUT_MS, CONNECT_TIMEOUT_S, LoadConfig
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


def _postgres_events(engine: sa.Engine, lock_timeout_ms: int) -> None:
    """Every connection waits at most ``lock_timeout_ms`` for a lock (PostgreSQL waits
    forever by default: a run would hang silently behind another one's lock)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        cursor.close()
        dbapi_conn.commit()


_PG_LOCK_CLASS = 0x72656374  # "rect": the advisory lock's first key; the schema is the second


def _serialize_writers(conn: sa.Connection) -> None:
    """On PostgreSQL, one write transaction at a time per schema (an advisory lock held to
    commit), as SQLite's ``BEGIN IMMEDIATE`` does: two runs that store the same file would
    otherwise both delete its old row and insert a new one, and the second would fail on the
    unique file name (its document marked failed, its records gone); two runs creating the
    schema at once would collide on the catalog."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({_PG_LOCK_CLASS}, hashtext(current_schema()))"
        )


def create_engine(
    url_or_path: str | None,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
) -> sa.Engine:
    """An engine for the database, without touching its schema. Writers wait at most
    ``busy_timeout_ms`` for another writer's lock; a server gets ``connect_timeout_s`` to
    answer a connection (PostgreSQL with psycopg; SQLite has no server)."""
    url = resolve_url(url_or_path)
    kwargs: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            # one shared connection, or every checkout would see a fresh empty database
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        engine = sa.create_engine(url, **kwargs)
        _sqlite_events(engine, busy_timeout_ms)
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_driver_name() in ("psycopg", "psycopg2") and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = max(1, math.ceil(connect_timeout_s))
    engine = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if url.get_backend_name() == "postgresql":
        _postgres_events(engine, busy_timeout_ms)
    return engine


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
    with engine.connect() as conn:
        if revision == "head" and _up_to_date(conn, config):
            return
    with writing(engine) as conn:  # one writer at a time: another run may be upgrading too
        if revision == "head" and _up_to_date(conn, config):
            return  # it did, while we waited for the lock
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        if revision == "head":
            refresh_views(conn)


def head_revision() -> str:
    """The newest schema revision this code knows (what ``open_db`` upgrades to)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
    return heads[0]


def _up_to_date(conn: sa.Connection, config: Config) -> bool:
    heads = set(ScriptDirectory.from_config(config).get_heads())
    if set(MigrationContext.configure(conn).get_current_heads()) != heads:
        return False
    return stored_hashes(conn) == view_hashes(conn.dialect.name)


def open_db(url_or_path: str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """The database at ``url_or_path`` (see :func:`resolve_url`), upgraded to the head schema."""
    return connect(LoadConfig(url_or_path, busy_timeout_ms))


def connect(config: LoadConfig) -> sa.Engine:
    """The database ``config`` names, upgraded to the head schema (:func:`open_db`'s body)."""
    url_or_path = config.db
    try:
        engine = create_engine(
            url_or_path,
            busy_timeout_ms=config.busy_timeout_ms,
            connect_timeout_s=config.connect_timeout_s,
        )
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
                _serialize_writers(conn)
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
