"""Datasette over the SQLite database, with the contract's descriptions, facets and canned
queries from ``rectrack/metadata.yaml`` (shipped in the package), so oversight staff browse and query without writing SQL.

Datasette reads SQLite files only; a database on PostgreSQL is served by exporting it (or by
any PostgreSQL front end), so a non-SQLite URL is refused with that advice.
"""

from __future__ import annotations

import copy
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
import yaml

from core.errors import RectrackError

#: Metadata shipped inside the package (read through importlib.resources, so an installed
#: wheel finds it as well as a checkout).
METADATA_PATH = Path(str(resources.files(__package__).joinpath("metadata.yaml")))
#: The database key used in metadata.yaml; replaced by the served file's Datasette name.
METADATA_DB_KEY = "rectrack"
DEFAULT_PORT = 8001


def sqlite_path(url_or_path: str | None) -> Path:
    """The SQLite file behind ``--db`` (a path or ``sqlite:///`` URL); anything else refused."""
    from load.db import resolve_url

    url = resolve_url(url_or_path)
    if url.get_backend_name() != "sqlite":
        raise RectrackError(
            f"rectrack serve works on SQLite files only, not {url.get_backend_name()}; "
            "export the views (rectrack export) or load the corpus into a SQLite file "
            "with `rectrack run corpus/ --db db/rectrack.sqlite`"
        )
    if url.database in (None, "", ":memory:"):
        raise RectrackError("rectrack serve needs a SQLite file, not an in-memory database")
    path = Path(url.database)
    if not path.is_file():
        raise RectrackError(
            f"no database at {path}; build it first with `rectrack run corpus/ --db {path}`"
        )
    return path


def load_metadata(db_name: str = METADATA_DB_KEY, path: Path = METADATA_PATH) -> dict[str, Any]:
    """Datasette metadata from ``path``, keyed to the database name Datasette will use.

    Top-level ``x-`` keys (YAML anchors shared by several views) are dropped.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RectrackError(f"cannot read Datasette metadata {path}: {exc.strerror}") from exc
    metadata = {k: copy.deepcopy(v) for k, v in raw.items() if not str(k).startswith("x-")}
    databases = metadata.get("databases", {})
    if METADATA_DB_KEY in databases and db_name != METADATA_DB_KEY:
        databases[db_name] = databases.pop(METADATA_DB_KEY)
    return metadata


def make_datasette(db_path: str | Path, metadata_path: Path = METADATA_PATH) -> Any:
    """A Datasette instance serving ``db_path`` read-only, with rectrack's metadata.

    The schema is brought to the head revision first, so every view the metadata names exists.
    """
    from datasette.app import Datasette

    import load

    path = sqlite_path(str(db_path))
    engine = load.open_db(str(path))
    engine.dispose()
    return Datasette(
        files=[str(path)],
        metadata=load_metadata(path.stem, metadata_path),
        settings={"facet_time_limit_ms": 1000, "sql_time_limit_ms": 5000},
    )


def public_views(db_path: str | Path) -> dict[str, list[str]]:
    """Every public view in the database with its column names (what metadata must describe)."""
    from load.views import VIEWS

    engine = sa.create_engine(f"sqlite:///{Path(db_path).resolve()}")
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
    name = path.stem
    click.echo(f"Serving {name} at http://{host}:{port}/{name} (Ctrl-C to stop)", err=True)
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
