"""Alembic environment: migrates the connection :func:`load.db.upgrade` hands over.

Run from the command line too (``alembic -x url=sqlite:///db/rectrack.sqlite upgrade head``
with ``script_location = load:migrations``), where it opens its own connection.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from load.schema import metadata

config = context.config


def _migrate(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///db/rectrack.sqlite ...")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        _migrate(conn)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) mode is not supported: views are read from files")
run()
