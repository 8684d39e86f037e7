"""Parse jobs on a Dask distributed cluster (``rectrack run --cluster tcp://scheduler:8786``).

The same jobs the local pool runs (a file, a page range of a long PDF, the assembly of one)
are sent to an existing Dask scheduler; its workers run each one exactly as the local pool
does, through ``rectrack.isolate.run_isolated``: in a child process of its own, under the
run's wall-clock limit and memory cap, so a file that hangs, eats memory or crashes a native
parser costs only itself and the Dask worker never notices. Results come back to the client
(the ``rectrack run`` process), which stays the only database writer: one transaction per
document, committed as each arrives, so a stopped run resumes where it stopped.

On the worker, the first job warms the worker process up (``pipeline.warm_up``: the parsers'
imports and caches, built once), and every job's child is forked from it warm, as the local
pool's children are forked from the warmed-up ``rectrack run`` process. A Dask worker runs
threads (event loop, task threads); the fork copies only the thread that runs the job, and the
child touches nothing of the others' (``rectrack.isolate`` points every inherited descriptor
at /dev/null, so it holds none of the worker's sockets). The child dies with the worker
(``PR_SET_PDEATHSIG``, set by ``rectrack.isolate``) and gets a CPU-time limit just above the
wall-clock limit, so no parser runs on without a limit should the worker go.

Where a Dask worker itself dies (a machine lost, a worker killed), the scheduler runs its jobs
again on another worker; a job whose workers died ``distributed.scheduler.allowed-failures``
times (default 3) comes back as ``KilledWorker`` and fails its file alone. Parsing is a pure
function of the file's bytes, so running a job twice costs time, never a second load: the
client loads each job's one result once, keyed by file name.

Files are sent as paths: every worker must see them at the same path (a shared file system);
``prepare`` checks that before the first job, with the installed rectrack version.
"""

from __future__ import annotations

import resource
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from core.errors import RectrackError

T = TypeVar("T")

WINDOW_PER_SLOT = 2  # jobs in flight per worker thread: one running, one queued behind it
MIN_WINDOW = 4
CONNECT_TIMEOUT_S = 20.0
_WARM = threading.Lock()
_warm: list[bool] = []  # set once this worker process has warmed up


# --- worker side ------------------------------------------------------------------------


def on_worker(
    fn: Callable[[Any], T], job: Any, timeout_s: float, memory_mb: int
) -> T | RectrackError:
    """One job, run on a Dask worker as the local pool runs it: in a child process under the
    wall-clock limit and memory cap. Returns the result or the job's error (never raises for
    the job's own failure, so Dask never retries a bad file)."""
    from rectrack.isolate import run_isolated

    _warm_up_once()
    guarded = partial(_in_child, fn, timeout_s)
    ((_, result),) = list(run_isolated(guarded, [job], 1, timeout_s, memory_mb))
    return result


def _warm_up_once() -> None:
    """Build the parsers' imports and caches in this worker process, once, so that each
    job's forked child inherits them instead of paying ~2 s for them."""
    with _WARM:
        if not _warm:
            from rectrack.pipeline import warm_up

            warm_up()
            _warm.append(True)


def _in_child(fn: Callable[[Any], T], timeout_s: float, job: Any) -> T:
    """In the job's child: give up after the CPU time the wall-clock limit allows (a second
    guard, should the worker that enforces the wall clock be gone), then run the job."""
    seconds = int(timeout_s) + 2  # CPU time never exceeds wall time for one thread
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    return fn(job)


def worker_info(sample: str | None) -> dict[str, Any]:
    """What the client checks on every worker before sending work."""
    import os

    import rectrack

    return {
        "rectrack": rectrack.__version__,
        "python": sys.version.split()[0],
        "sees_sample": sample is None or os.path.isfile(sample),
    }


# --- client side ------------------------------------------------------------------------


class DaskExecutor:
    """Runs jobs on the Dask cluster whose scheduler listens at ``address``.

    Keeps about ``WINDOW_PER_SLOT`` jobs per worker thread in flight, not the whole batch: a
    million queued futures would cost the client and the scheduler memory, and jobs the
    consumer adds (a long PDF's page ranges) would queue behind all of them."""

    remote = True

    def __init__(
        self,
        address: str,
        timeout_s: float,
        memory_mb: int,
        *,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
    ) -> None:
        from distributed import Client

        self.address = address
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        try:
            self.client = Client(address, timeout=connect_timeout_s, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise RectrackError(
                f"cannot reach the Dask scheduler at {address}: {exc}; "
                "start one (`dask scheduler`, dask-jobqueue, dask-kubernetes) or drop --cluster"
            ) from exc
        self._slots = 1
        self._slots_at = 0.0

    @property
    def slots(self) -> int:
        """Worker threads in the cluster now (re-read every few seconds: workers come and go)."""
        now = time.monotonic()
        if now - self._slots_at > 2.0:
            info = self.client.scheduler_info(n_workers=-1)
            self._slots = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))
            self._slots_at = now
        return self._slots

    def prepare(self, paths: Sequence[Path], wait_s: float = 60.0) -> None:
        """Before the first job: a worker is there, and every worker runs this rectrack and
        sees the files (else every file would fail, one by one, for the same reason)."""
        from rectrack import __version__

        try:
            self.client.wait_for_workers(1, timeout=wait_s)
        except TimeoutError as exc:
            raise RectrackError(
                f"no Dask worker joined the scheduler at {self.address} in {wait_s:g} s"
            ) from exc
        sample = str(paths[0].resolve()) if paths else None
        try:
            infos = self.client.run(worker_info, sample)
        except Exception as exc:
            raise RectrackError(
                f"a Dask worker at {self.address} cannot run rectrack "
                f"({type(exc).__name__}: {exc}); install rectrack {__version__} on every worker"
            ) from exc
        for worker, info in sorted(infos.items()):
            if info["rectrack"] != __version__:
                raise RectrackError(
                    f"Dask worker {worker} runs rectrack {info['rectrack']}, this client "
                    f"{__version__}: install the same version everywhere"
                )
            if not info["sees_sample"]:
                raise RectrackError(
                    f"Dask worker {worker} cannot see {sample}: rectrack sends paths, not "
                    "bytes; put the files on a file system every worker mounts at the same path"
                )

    def run(
        self, fn: Callable[[Any], T], jobs: deque[Any]
    ) -> Iterator[tuple[Any, T | RectrackError]]:
        from distributed import as_completed

        running: dict[Any, Any] = {}  # future -> job
        done = as_completed(loop=self.client.loop)

        def submit() -> None:
            limit = max(MIN_WINDOW, WINDOW_PER_SLOT * self.slots)
            while jobs and len(running) < limit:
                job = jobs.popleft()
                future = self.client.submit(
                    on_worker,
                    fn,
                    job,
                    self.timeout_s,
                    self.memory_mb,
                    key=f"rectrack-parse-{uuid.uuid4().hex}",
                    pure=False,
                )
                running[future] = job
                done.add(future)

        try:
            while True:
                submit()
                if not running:
                    return
                future = next(done)
                job = running.pop(future)
                result = self._result(future, job)
                future.release()
                submit()  # refill before handing over: parsing overlaps the database write
                yield job, result
        finally:
            if running:
                self.client.cancel(list(running))

    def _result(self, future: Any, job: Any) -> Any:
        from distributed import KilledWorker

        if future.status == "finished":
            return future.result()
        if future.status == "cancelled":
            raise RectrackError(
                f"lost the Dask cluster at {self.address} (job cancelled): documents loaded "
                "so far are committed; run the same command again to go on"
            )
        exc = future.exception()
        name = getattr(job, "name", None)
        file = name if isinstance(name, str) else None
        if isinstance(exc, KilledWorker):
            return RectrackError(
                "Dask workers died while parsing it, each time (gave up after "
                "distributed.scheduler.allowed-failures retries)",
                file=file,
            )
        return RectrackError(
            f"internal error on the cluster: {type(exc).__name__}: {exc}", file=file
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DaskExecutor({self.address!r})"
