"""Where parse jobs run: the local worker pool (the default) or a distributed engine.

The pipeline hands an :class:`Executor` a function and a queue of jobs and reads back
``(job, result or error)`` as jobs complete; it never learns where they ran. Both executors
keep the local run's guarantees: every job runs in a process of its own under a wall-clock
limit and a memory cap (``rectrack.isolate``), a job's failure comes back as a
:class:`~core.errors.RectrackError` naming its file, and results come back to the calling
process, which stays the only database writer.

The queue is a ``deque`` consumed live, as ``rectrack.isolate.run_isolated`` consumes it: the
consumer may add jobs while iterating (``append``) or put them first (``appendleft``), which is
how a long PDF's page ranges and its assembly job follow its first look. That is
submit/as-completed with the scheduling order in the consumer's hands, and lets each executor
decide how many jobs it keeps in flight.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from core.errors import RectrackError

if TYPE_CHECKING:
    from rectrack.forkserver import ForkServer

T = TypeVar("T")


class Executor(Protocol):
    """Runs jobs isolated, yields ``(job, fn(job) or the error)`` as they complete."""

    @property
    def slots(self) -> int:
        """Jobs that can run at once (how many page ranges a long PDF is worth)."""

    @property
    def remote(self) -> bool:
        """Whether jobs leave this machine (``fn`` and jobs must pickle)."""

    def prepare(self, paths: Sequence[Path]) -> None:
        """Get ready to parse ``paths`` (warm up, check the workers); raises RectrackError
        when the run cannot start."""

    def run(
        self, fn: Callable[[Any], T], jobs: deque[Any]
    ) -> Iterator[tuple[Any, T | RectrackError]]: ...


class LocalPool:
    """Worker processes on this machine, one per job (``rectrack.isolate``), forked by a fork
    server (``rectrack.forkserver``): ``server`` when given (the command line starts one
    before it imports the database layer, so workers start small), else one this pool forks
    from this process when the run starts and stops when it ends.

    ``workers=0`` runs jobs in this process (debugging, tests): no limits, errors still
    converted."""

    remote = False

    def __init__(
        self, workers: int, timeout_s: float, memory_mb: int, server: ForkServer | None = None
    ) -> None:
        self.workers = workers
        self.slots = max(workers, 1)
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.server = server

    def prepare(self, paths: Sequence[Path]) -> None:
        """Nothing to do here: the fork server builds the parsers' imports and caches (so each
        forked worker inherits them instead of paying ~2 s per file) on its own, and the first
        worker waits for it. Where there is no fork server, this process builds them."""
        from rectrack import forkserver

        if self.workers > 0 and self.server is None and not forkserver.SUPPORTED:
            from rectrack.warm import warm_up

            warm_up()

    def run(
        self, fn: Callable[[Any], T], jobs: deque[Any]
    ) -> Iterator[tuple[Any, T | RectrackError]]:
        from rectrack import forkserver
        from rectrack.isolate import run_isolated

        if self.workers <= 0 or (self.server is None and not forkserver.SUPPORTED):
            return run_isolated(fn, jobs, self.workers, self.timeout_s, self.memory_mb)
        return self._served(fn, jobs)

    def _served(
        self, fn: Callable[[Any], T], jobs: deque[Any]
    ) -> Iterator[tuple[Any, T | RectrackError]]:
        from rectrack.forkserver import ForkServer
        from rectrack.isolate import run_isolated

        server = self.server or ForkServer.start()
        try:
            yield from run_isolated(
                fn, jobs, self.workers, self.timeout_s, self.memory_mb, server=server
            )
        finally:
            if server is not self.server:
                server.close()

    def __repr__(self) -> str:
        return f"LocalPool(workers={self.workers})"
