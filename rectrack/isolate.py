"""Run a function on each file (or any job) in its own worker process, so a bad file costs
only itself.

One process per file, not a ``ProcessPoolExecutor``: a worker killed by the kernel (out of
memory, a segfault in native parser code) breaks a whole pool and every file in flight with it,
whereas a process per file fails alone, and a timeout is a plain ``kill``. Workers are forked
by default: the parent's imports (pdfplumber, spaCy) are shared copy-on-write, ``fn`` may be any
callable (a closure too), and only the result must pickle. Measured overhead per file (2 cores,
this sandbox): ~5 ms from a bare parent, ~60 ms from one that imported pdfplumber, spaCy,
pandas and SQLAlchemy (``fork()`` itself, copying page tables), against 1-5 s to parse a
report. ``spawn``/``forkserver`` re-import the caller's main module per child: seconds.

Items need not be paths: any object works (forked children inherit it, nothing is pickled on
the way in); errors are labelled with its ``name`` attribute when it has one (a ``Path``'s file
name). Passing a ``deque`` lets the consumer add follow-up jobs while iterating (a job that
needs earlier results, e.g. assembling a document from page ranges read by other workers).

The parent only waits and collects; it stays the only database writer. Typical use::

    def parse(path: Path) -> ParsedDocument:
        fmt = check_file(path)          # in the worker too: it may open pdfminer
        ...

    for path, result in run_isolated(parse, paths, workers=2, timeout_s=120, memory_mb=2048):
        if isinstance(result, RectrackError): report(result)
        else: write(result)
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from core.errors import RectrackError

T = TypeVar("T")
Item = TypeVar("Item")

MB = 1024 * 1024
_RESULT = "rectrack.isolate.result"  # tags the one message a child sends


def run_isolated(
    fn: Callable[[Item], T],
    items: Iterable[Item],
    workers: int,
    timeout_s: float,
    memory_mb: int,
    *,
    start_method: str = "fork",
) -> Generator[tuple[Item, T | RectrackError], None, None]:
    """Yield ``(item, fn(item) or the error)`` for each item (a path, or any job), as they
    complete.

    Order is not kept. At most ``workers`` children run at once; each gets ``timeout_s`` of
    wall-clock time and ``memory_mb`` MB of address space on top of what it inherits at start
    (``RLIMIT_AS``; counting from the inherited size keeps the cap meaningful whatever the
    parent has imported). ``workers=0`` runs ``fn`` in this process, without limits, still
    converting exceptions (for debugging and tests). Closing the iterator early kills the
    children still running. A ``deque`` is consumed live: items the consumer appends (or
    prepends, to run them next) while iterating are run too.
    """
    pending = items if isinstance(items, deque) else deque(items)
    if workers <= 0:
        while pending:
            item = pending.popleft()
            yield item, _call(fn, item, memory_mb)
        return
    ctx = mp.get_context(start_method)
    running: dict[Connection, _Job] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = _start(ctx, fn, pending.popleft(), memory_mb, timeout_s)
                running[job.conn] = job
            now = time.monotonic()
            next_deadline = min(j.deadline for j in running.values())
            ready = wait(
                [*running, *(j.proc.sentinel for j in running.values())],
                timeout=max(0.0, next_deadline - now),
            )
            done: list[_Job] = []
            for job in running.values():
                if job.conn in ready or job.proc.sentinel in ready:
                    done.append(job)
                elif time.monotonic() >= job.deadline:
                    _kill(job)
                    job.result = _error(f"gave up after {timeout_s:g} s (timeout)", job.item)
                    done.append(job)
            for job in done:
                del running[job.conn]
            # Refill before handing results over, so the consumer's work (the database
            # write) overlaps parsing instead of leaving a worker slot idle meanwhile.
            while pending and len(running) < workers:
                job = _start(ctx, fn, pending.popleft(), memory_mb, timeout_s)
                running[job.conn] = job
            for job in done:
                yield job.item, _finish(job)
    finally:
        for job in running.values():
            _kill(job)


@dataclass
class _Job:
    item: Any
    proc: Any  # multiprocessing's Process (its type differs per start method)
    conn: Connection
    deadline: float
    result: Any = None


def _start(ctx: Any, fn: Callable[[Any], Any], item: Any, memory_mb: int, timeout_s: float) -> _Job:
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, item, memory_mb, send), daemon=True)
    proc.start()
    send.close()  # the parent keeps only the reading end: EOF when the child dies
    return _Job(item, proc, recv, time.monotonic() + timeout_s)


def _child(fn: Callable[[Any], Any], item: Any, memory_mb: int, conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it kills us
    _cap_memory(memory_mb)
    result = _call(fn, item, memory_mb)
    try:
        conn.send((_RESULT, result))
    except Exception as exc:  # the result did not pickle: send() writes nothing then
        msg = f"internal error: result not picklable: {type(exc).__name__}: {exc}"
        conn.send((_RESULT, _error(msg, item)))
    conn.close()


def _cap_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus ``memory_mb``."""
    limit = _mapped_bytes() + memory_mb * MB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int:
    """Current virtual size (Linux /proc); 0 where unknown, making the cap absolute."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _call(fn: Callable[[Any], Any], item: Any, memory_mb: int) -> Any:
    """fn(item), with every exception turned into a RectrackError naming the file."""
    try:
        return fn(item)
    except MemoryError:
        return _error(f"ran out of memory (cap {memory_mb} MB)", item)
    except RectrackError as exc:
        if _caused_by_memory(exc):
            return _error(f"ran out of memory (cap {memory_mb} MB)", item)
        if exc.file is None:
            exc.file = _name(item)
        return exc
    except Exception as exc:
        return _error(f"internal error: {type(exc).__name__}: {exc}", item)


def _caused_by_memory(exc: BaseException) -> bool:
    """Whether a MemoryError hides in the chain (a reader wrapping everything it catches)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, MemoryError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def _finish(job: _Job) -> Any:
    if job.result is not None:
        return job.result
    message: Any = None
    try:
        if job.conn.poll():
            message = job.conn.recv()
    except (EOFError, OSError):
        pass  # died before or while sending
    except Exception as exc:  # sent, but does not unpickle here
        message = (_RESULT, _error(f"internal error: result unreadable: {exc!r}", job.item))
    job.conn.close()
    job.proc.join(timeout=5)
    if job.proc.exitcode is None:  # sent its result but will not exit: do not wait on it
        _kill(job)
    if isinstance(message, tuple) and len(message) == 2 and message[0] == _RESULT:
        return message[1]
    if job.proc.exitcode == 0:
        return _error("internal error: worker exited without a result", job.item)
    return _error(_death(job.proc.exitcode), job.item)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        name = signal.Signals(sig).name if sig in signal.valid_signals() else "?"
        if sig == signal.SIGKILL:
            return f"worker died (killed by signal {sig} {name} / out of memory?) while parsing"
        return f"worker died (killed by signal {sig} {name}) while parsing"
    return f"worker died (exit code {exitcode}) while parsing"


def _kill(job: _Job) -> None:
    if job.proc.is_alive():
        job.proc.kill()
    job.proc.join(timeout=5)
    job.conn.close()


def _name(item: Any) -> str | None:
    """The file an item stands for: its ``name`` (a Path's file name), if it has one."""
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else None


def _error(message: str, item: Any = None) -> RectrackError:
    return RectrackError(message, file=_name(item))
