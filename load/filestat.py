"""File metadata remembered with each document, so a rerun can skip unchanged files without
reading them.

A file counts as unchanged when its name, size and ``mtime_ns`` all equal what was stored
when it was last hashed: every ordinary write changes the modification time (nanoseconds on
current file systems), and a same-size rewrite that keeps the old mtime takes a deliberate act
(``touch -d``, ``cp -p`` of another file over it, an archive restored with its times). When the
metadata differ the caller hashes the file, as before; ``rectrack run --force`` ignores all of
this and parses every file. Rows stored before revision 0004 have no ``mtime_ns``: they are
hashed once, then remembered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from .db import writing
from .schema import documents

_CHUNK = 500  # names per IN (...) list: well under SQLite's 32,766 bound parameters


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int | None
    mtime_ns: int | None
    status: str  # 'loaded' or 'failed'
    agency: str | None = None
    note: str | None = None  # why a loaded file has no records (shown again when it is skipped)


def stored_files(engine: sa.Engine) -> dict[str, StoredFile]:
    """Every stored file by name, in one query (a rerun over 10,000 files must not ask
    10,000 times)."""
    query = sa.select(
        documents.c.source_file,
        documents.c.sha256,
        documents.c.size,
        documents.c.mtime_ns,
        documents.c.status,
        documents.c.agency,
        documents.c.note,
    )
    with engine.connect() as conn:
        return {
            row.source_file: StoredFile(
                row.sha256, row.size, row.mtime_ns, row.status, row.agency, row.note
            )
            for row in conn.execute(query)
        }


def known_stat(engine: sa.Engine, source_file: str, size: int, mtime_ns: int) -> str | None:
    """'loaded' or 'failed' for the stored file with this name, size and mtime_ns, else None
    (unknown metadata: hash the file and ask :func:`load.known_document`)."""
    query = sa.select(documents.c.status).where(
        documents.c.source_file == source_file,
        documents.c.size == size,
        documents.c.mtime_ns == mtime_ns,
    )
    with engine.connect() as conn:
        status = conn.execute(query).scalar_one_or_none()
    return status


def remember_stats(engine: sa.Engine, stats: Iterable[tuple[str, int, int]]) -> None:
    """Store (name, size, mtime_ns) of files just hashed, in one transaction."""
    rows = [{"name": n, "size": s, "mtime_ns": m} for n, s, m in stats]
    if not rows:
        return
    update = (
        sa.update(documents)
        .where(documents.c.source_file == sa.bindparam("name"))
        .values(size=sa.bindparam("size"), mtime_ns=sa.bindparam("mtime_ns"))
    )
    with writing(engine) as conn:
        conn.execute(update, rows)


def record_skipped_many(engine: sa.Engine, source_files: Iterable[str]) -> None:
    """:func:`load.record_skipped` for many unchanged files in one transaction: each one's
    ``checked_at`` says this run saw it; its status (``loaded`` or ``failed``, with the
    reason), records and ``ingested_at`` stay as they are."""
    names = list(source_files)
    if not names:
        return
    now = datetime.now(UTC)
    with writing(engine) as conn:
        for i in range(0, len(names), _CHUNK):
            conn.execute(
                sa.update(documents)
                .where(documents.c.source_file.in_(names[i : i + _CHUNK]))
                .values(checked_at=now)
            )
