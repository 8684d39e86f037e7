"""Settings of the load stage: which database, and how long to wait for it."""

from __future__ import annotations

from dataclasses import dataclass

BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class LoadConfig:
    """``db``: a file path or any SQLAlchemy URL (None: ``db/rectrack.sqlite``).
    ``busy_timeout_ms``: how long a writer waits for another writer's lock before it gives up."""

    db: str | None = None
    busy_timeout_ms: int = BUSY_TIMEOUT_MS

    def __post_init__(self) -> None:
        if self.busy_timeout_ms < 0:
            raise ValueError("busy_timeout_ms cannot be negative")
