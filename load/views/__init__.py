"""The public views, one ``.sql`` file each, (re)created at the head revision.

A view's SQL is ``<name>.sql``, or ``<name>.<dialect>.sql`` where SQLite and PostgreSQL need
different text (the dialect file wins). Views are derived data: dropping and recreating them
never loses a row, so a migration that touches tables drops them all first and
:func:`refresh_views` creates them again from the current files (see README.md here).
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa

from core.digest import sha256_hex

#: Views of the contract (docs/database.md), in dependency order.
CONTRACT_VIEWS = (
    "v_editions",  # not in the contract: which edition each document is; read by v_status_changes
    "v_assessments",
    "v_documents",
    "v_latest_status",
    "v_status_changes",
    "v_rate_rows",  # not in the contract: the rows behind every rate, with their flags
    "v_rates",
)

#: Analysis views (they read the ``reviews`` table), in dependency order.
ANALYSIS_VIEWS = (
    "v_previous_disagreements",
    "v_rates_by_addressee",
    "v_rates_by_review_year",
    "v_open_by_age",
)

#: Every public view at the head revision; ``export_view`` accepts only these names.
VIEWS = CONTRACT_VIEWS + ANALYSIS_VIEWS


def view_sql(name: str, dialect: str) -> str:
    """The SELECT behind view ``name`` for ``dialect`` ('sqlite', 'postgresql', ...)."""
    if name not in VIEWS:
        raise KeyError(f"unknown view {name!r}")
    folder = resources.files(__package__)
    for candidate in (f"{name}.{dialect}.sql", f"{name}.sql"):
        path = folder / candidate
        if path.is_file():
            return path.read_text(encoding="utf-8").strip().rstrip(";")
    raise FileNotFoundError(f"no SQL file for view {name!r}")


def drop_views(conn: sa.Connection, names: tuple[str, ...] = VIEWS) -> None:
    """Drop ``names`` (dependents first) if they exist."""
    cascade = " CASCADE" if conn.dialect.name == "postgresql" else ""
    for name in reversed(names):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}{cascade}")


def create_views(conn: sa.Connection, names: tuple[str, ...]) -> None:
    """Create ``names`` (in the given dependency order) from their current SQL files."""
    for name in names:
        conn.exec_driver_sql(f"CREATE VIEW {name} AS\n{view_sql(name, conn.dialect.name)}")


def view_hashes(dialect: str) -> dict[str, str]:
    """sha256 of each view's current SQL for ``dialect``: what the database should hold."""
    return {n: sha256_hex(view_sql(n, dialect).encode()) for n in VIEWS}


def stored_hashes(conn: sa.Connection) -> dict[str, str]:
    """The hashes recorded when the views were last created (empty before revision 0002)."""
    if not sa.inspect(conn).has_table("view_definitions"):
        return {}
    query = sa.text("SELECT name, sha256 FROM view_definitions")
    return {name: sha for name, sha in conn.execute(query)}


def refresh_views(conn: sa.Connection) -> bool:
    """Recreate every view if any ``.sql`` file changed since; True if it did."""
    wanted = view_hashes(conn.dialect.name)
    if stored_hashes(conn) == wanted:
        return False
    drop_views(conn)
    create_views(conn, VIEWS)
    conn.execute(sa.text("DELETE FROM view_definitions"))
    conn.execute(
        sa.text("INSERT INTO view_definitions (name, sha256) VALUES (:name, :sha256)"),
        [{"name": n, "sha256": h} for n, h in wanted.items()],
    )
    return True
