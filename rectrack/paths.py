"""Checks on the paths a user types, made before any database is opened or file is parsed.

A typo must cost nothing: opening a SQLite file that does not exist creates it, and creating
its folder would leave a trace of every mistyped ``--db``. So every command checks its
``--db`` here first (exists when it must be read, never a folder, its folder already there)
and ``run`` checks that its paths exist and hold something to read. Each check raises
:class:`RectrackError` with one line a person can act on; the commands turn it into exit 2.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from core.errors import RectrackError

DEFAULT_DB = Path("db") / "rectrack.sqlite"
READABLE_SUFFIXES = (".pdf", ".docx")


def sqlite_file(db: str | None) -> Path | None:
    """The SQLite file behind ``--db`` (a path or a ``sqlite:///`` URL); None for a server
    database or an in-memory one, whose existence only the server can tell."""
    if db is None:
        return DEFAULT_DB
    if "://" not in db:
        return Path(db).expanduser()
    try:
        url = sa.make_url(db)
    except sa.exc.ArgumentError as exc:
        raise RectrackError(f"cannot use database {db!r}: {exc}") from exc
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.query.get("uri") == "true" and url.database.startswith("file:"):
        # a SQLite URI filename (sqlite:///file:path?mode=ro&uri=true): the path after file:
        return Path(url.database.removeprefix("file:").split("?", 1)[0]).expanduser()
    return Path(url.database).expanduser()


def missing_database(path: Path) -> RectrackError:
    """The one message every reading command gives for a database that is not there."""
    return RectrackError(
        f"no database at {path}; build it first with `rectrack run corpus/ --db {path}`"
    )


def check_db(db: str | None, *, must_exist: bool) -> None:
    """Refuse a ``--db`` that would fail late or leave a trace.

    ``must_exist``: the command only reads (labels, export, report, serve), so a missing file
    is an error rather than a new empty database. Otherwise (run) the file may be new, but its
    folder must exist, except the default ``db/`` that ``run`` documents and creates.
    """
    path = sqlite_file(db)
    if path is None:
        return
    if path.is_dir():
        raise RectrackError(
            f"--db {path} is a folder, not a database file; "
            f"give a file in it, e.g. --db {path / DEFAULT_DB.name}"
        )
    if path.exists():
        if not path.is_file():
            raise RectrackError(f"--db {path} is not a regular file")
        return
    if must_exist:
        raise missing_database(path)
    parent = path.parent
    if db is None and path == DEFAULT_DB:
        return  # the documented default location; load.db creates db/ for it
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise RectrackError(
            f"cannot create database {path}: folder {parent} {what}; "
            "create the folder first or choose another --db"
        )


@dataclass(frozen=True)
class Ignored:
    path: Path
    reason: str


def ignored_reason(path: Path) -> str | None:
    """Why ``run`` skips a file found in a folder, or None if it reads it (the same rule as
    :func:`rectrack.pipeline.discover`)."""
    if path.name.startswith("~$"):
        return "a Word lock file (~$)"
    if path.name.startswith("."):
        return "a hidden file"
    if path.suffix.lower() not in READABLE_SUFFIXES:
        return f"not a PDF or DOCX ({path.suffix or 'no suffix'})"
    return None


def _files_under(root: Path) -> list[Path]:
    """Every file under ``root``, as ``run`` walks it (linked folders are not entered)."""
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        out.extend(Path(folder) / name for name in sorted(names))
    return [p for p in out if p.is_file()]


def check_inputs(paths: Iterable[Path]) -> None:
    """Every path exists, and together they hold at least one PDF or DOCX to read.

    When nothing is readable the error lists what was found and why it was ignored, so
    "0 files" is never reported as a successful run.
    """
    paths = list(paths)
    for path in paths:
        if not path.exists():
            raise RectrackError(f"no such file or folder: {path}")
    ignored: list[Ignored] = []
    for path in paths:
        if path.is_file():
            return  # a file named on the command line is always read (and checked then)
        for sub in _files_under(path):
            reason = ignored_reason(sub)
            if reason is None:
                return
            ignored.append(Ignored(sub, reason))
    where = ", ".join(str(p) for p in paths)
    if not ignored:
        raise RectrackError(f"no PDF or DOCX file under {where}: no files at all")
    shown = ignored[:20]
    lines = [f"  {i.path}: {i.reason}" for i in shown]
    if len(ignored) > len(shown):
        lines.append(f"  ... and {len(ignored) - len(shown)} more")
    raise RectrackError(
        f"no PDF or DOCX file under {where}; {len(ignored)} file(s) ignored:\n" + "\n".join(lines)
    )
