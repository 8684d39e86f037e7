"""Parse jobs on a Dask distributed cluster (``rectrack run --cluster tcp://scheduler:8786``).

The same jobs the local pool runs (a file, a page range of a long PDF, the assembly of one)
are sent to an existing Dask scheduler; its workers run each one exactly as the local pool
does, through ``rectrack.isolate.run_isolated``: in a child process of its own, under the
run's wall-clock limit and memory cap, so a file that hangs, eats memory or crashes a native
parser costs only itself and the Dask worker never notices. Results come back to the client
(the ``rectrack run`` process), which stays the only database writer: one transaction per
document, committed as each arrives, so a stopped run resumes where it stopped.

On the worker, children come from a fork server (``multiprocessing``'s ``forkserver``), not
from the worker process itself: a Dask worker runs threads (event loop, task threads,
profiler), and forking a threaded process can copy a lock another thread holds. The fork
server is a fresh single-threaded interpreter, started by the worker's first job; it imports
the parsers and builds their caches once (``rectrack.warmed``), and every job's child is
forked from it warm. Each child also gets a CPU-time limit just above the wall-clock limit and
dies with its fork server (``PR_SET_PDEATHSIG`` on Linux), so a worker that is killed leaves
no parser running on without a timeout.

Where a Dask worker itself dies (a machine lost, a worker killed), the scheduler runs its jobs
again on another worker; a job whose workers died ``distributed.scheduler.allowed-failures``
times (default 3) comes back as ``KilledWorker`` and fails its file alone. Parsing is a pure
function of the file's bytes, so running a job twice costs time, never a second load: the
client loads each job's one result once, keyed by file name.

Files are sent as paths: every worker must see them at the same path (a shared file system);
``prepare`` checks that before the first job, with the installed rectrack version.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import resource
import signal
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from core.errors import RectrackError

T = TypeVar("T")

START_METHOD = "forkserver"
PRELOAD = ["rectrack.warmed"]  # the fork server imports it once: children start warm
WINDOW_PER_SLOT = 2  # jobs in flight per worker thread: one running, one queued behind it
MIN_WINDOW = 4
CONNECT_TIMEOUT_S = 20.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


# --- worker side ------------------------------------------------------------------------


def on_worker(
    fn: Callable[[Any], T], job: Any, timeout_s: float, memory_mb: int, start_method: str
) -> T | RectrackError:
    """One job, run on a Dask worker as the local pool runs it: in a child process under the
    wall-clock limit and memory cap. Returns the result or the job's error (never raises for
    the job's own failure, so Dask never retries a bad file)."""
    from rectrack.isolate import run_isolated

    _allow_children()
    if start_method == "forkserver":
        mp.get_context("forkserver").set_forkserver_preload(_preload())
    guarded = partial(_in_child, fn, timeout_s)
    ((_, result),) = list(
        run_isolated(guarded, [job], 1, timeout_s, memory_mb, start_method=start_method)
    )
    return result


def _preload() -> list[str]:
    """What the fork server imports once: the parsers, warm, and this worker's main module.

    ``multiprocessing`` runs the parent's main module again in every child it starts that
    way; imported once in the server, a main script is skipped and a main module (``python
    -m distributed.cli.dask_worker``) finds its imports cached: ~0.2 s a job otherwise."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    main = [spec.name] if spec is not None and spec.name else []
    return ["__main__", *main, *PRELOAD]


def _allow_children() -> None:
    """Let this Dask worker start processes.

    Dask's nanny starts workers as daemonic processes (``distributed.worker.daemon``), and
    ``multiprocessing`` refuses children to those because they would outlive a worker killed
    without cleanup. Ours cannot: each child has a wall-clock limit enforced by the worker, a
    CPU limit enforced by the kernel, and dies with its parent (``_in_child``)."""
    me = mp.current_process()
    if me.daemon:
        me._config["daemon"] = False  # type: ignore[attr-defined]


def _in_child(fn: Callable[[Any], T], timeout_s: float, job: Any) -> T:
    """In the job's child: die with the parent, give up after the CPU time the wall-clock
    limit allows, then run the job."""
    _die_with_parent()
    seconds = int(timeout_s) + 2  # CPU time never exceeds wall time for one thread
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))
    return fn(job)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent (the fork server) ends."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import os

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


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
        start_method: str = START_METHOD,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
    ) -> None:
        from distributed import Client

        self.address = address
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.start_method = start_method
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
                    self.start_method,
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
