"""Settings of the load stage: which database, and how long to wait for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LoadConfig:
    """``db``: a file path or any SQLAlchemy URL (None: ``db/rectrack.sqlite``).
    ``busy_timeout_ms``: how long a writer waits for another writer's lock before it gives up
    (SQLite's busy_timeout, PostgreSQL's lock_timeout). ``connect_timeout_s``: how long a
    database server gets to answer a connection (PostgreSQL; whole seconds, at least 2)."""

    db: str | None = None
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    connect_timeout_s: float = CONNECT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.busy_timeout_ms < 0:
            raise ValueError("busy_timeout_ms cannot be negative")
        if not math.isfinite(self.connect_timeout_s) or self.connect_timeout_s <= 0:
            raise ValueError("connect_timeout_s must be a finite number of seconds above 0")
