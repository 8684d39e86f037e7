"""What one file may cost a worker: the run's time limit and memory cap, and their checks.

Apart from ``rectrack.config``, which pulls in every stage's settings (the load stage's
imports SQLAlchemy): the command line checks these options while it parses them, before it
starts the fork server (``rectrack.forkserver``), and a fork server started after SQLAlchemy
was imported would hand it to every worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class WorkerLimits:
    """What one file may cost a worker: ``timeout_s`` seconds of wall-clock time for the
    whole file (all its page ranges together) and ``memory_mb`` MB of address space."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB

    def __post_init__(self) -> None:
        check_timeout(self.timeout_s)
        check_memory_mb(self.memory_mb)


def check_timeout(seconds: float) -> float:
    """A time limit is a finite number of seconds above zero (not NaN, not infinity)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValueError(f"a timeout is a number of seconds, not {seconds!r}")
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"a timeout must be a finite number of seconds above 0, not {seconds:g}")
    return float(seconds)


def check_memory_mb(mb: int) -> int:
    """A memory cap is a whole number of MB above zero."""
    if isinstance(mb, bool) or not isinstance(mb, int) or mb <= 0:
        raise ValueError(f"a memory cap must be a whole number of MB above 0, not {mb!r}")
    return mb
