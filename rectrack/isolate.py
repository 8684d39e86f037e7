"""Run a function on each file (or any job) in its own worker process, so a bad file costs
only itself.

One process per file, not a ``ProcessPoolExecutor``: a worker killed by the kernel (out of
memory, a segfault in native parser code) breaks a whole pool and every file in flight with it,
whereas a process per file fails alone, and a timeout is a plain ``kill``. Workers are forked
(``os.fork``, not ``multiprocessing.Process``, so that we decide which descriptors a worker
keeps): the parent's imports (pdfplumber, spaCy) are shared copy-on-write, ``fn`` may be any
callable (a closure too), and only the result must pickle.

A worker dies with its parent: it asks the kernel for SIGKILL when the parent goes
(``PR_SET_PDEATHSIG``, Linux), and it holds no descriptor it does not need. Every inherited
descriptor but stdout, stderr and its own result pipe is pointed at ``/dev/null`` (``dup2``,
so a number still in use by some inherited Python object is never reused for another file):
not the parent's database connection (a PostgreSQL session must end when the parent dies,
not stay ``idle in transaction`` holding its locks), not its siblings' pipes (a sibling
holding a pipe's read end would keep a writer blocked after the parent died). The kernel ties
``PR_SET_PDEATHSIG`` to the thread that forked, not the process: call ``run_isolated`` from a
thread that outlives its workers (it does by itself: it waits for them).

Measured overhead per file (2 cores, this sandbox): ~5 ms from a bare parent, ~60 ms from one
that imported pdfplumber, spaCy, pandas and SQLAlchemy (``fork()`` itself, copying page
tables), against 1-5 s to parse a report; with its heap frozen (``rectrack.warm``), ~23 ms
from a warmed-up run process and ~14 ms from the fork server below (60 jobs doing nothing).
``multiprocessing``'s ``spawn``/``forkserver`` re-import the caller's main module per child:
seconds.

Items need not be paths: any object works (forked children inherit it, nothing is pickled on
the way in); errors are labelled with its ``name`` attribute when it has one (a ``Path``'s file
name). Passing a ``deque`` lets the consumer add follow-up jobs while iterating (a job that
needs earlier results, e.g. assembling a document from page ranges read by other workers).

Or workers are forked by a fork server (``server``, see ``rectrack.forkserver``): a slim
process forked from this one before it loaded what workers do not need (the database layer),
warmed up with what they do. A worker then starts at the server's size instead of this
process's, and everything above holds the same (limits, one process per job, dying with the
run, exit statuses); only ``fn`` and the items travel pickled, over a socket of the worker's
own that carries its result back too.

The parent only waits and collects; it stays the only database writer. Typical use::

    def parse(path: Path) -> ParsedDocument:
        fmt = check_file(path)          # in the worker too: it may open pdfminer
        ...

    for path, result in run_isolated(parse, paths, workers=2, timeout_s=120, memory_mb=2048):
        if isinstance(result, RectrackError): report(result)
        else: write(result)
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import signal
import struct
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, TypeVar

from core.errors import RectrackError

if TYPE_CHECKING:
    from rectrack.forkserver import ForkServer

T = TypeVar("T")
Item = TypeVar("Item")

MB = 1024 * 1024
_RESULT = "rectrack.isolate.result"  # tags the one message a child sends
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
STATUS = struct.Struct("i")  # a fork server's reports: a worker's pid, then its exit status


def run_isolated(
    fn: Callable[[Item], T],
    items: Iterable[Item],
    workers: int,
    timeout_s: float,
    memory_mb: int,
    server: ForkServer | None = None,
) -> Generator[tuple[Item, T | RectrackError], None, None]:
    """Yield ``(item, fn(item) or the error)`` for each item (a path, or any job), as they
    complete.

    Order is not kept. At most ``workers`` children run at once; each gets ``timeout_s`` of
    wall-clock time (or less: an item with a ``deadline`` attribute, a ``time.monotonic()``
    value, is given up then at the latest, so that several jobs of one file share one
    budget) and ``memory_mb`` MB of address space on top of what it inherits at start
    (``RLIMIT_AS``; counting from the inherited size keeps the cap meaningful whatever the
    parent has imported). ``workers=0`` runs ``fn`` in this process, without limits, still
    converting exceptions (for debugging and tests). Closing the iterator early (or an
    exception, such as KeyboardInterrupt, raised while it waits) kills the children still
    running. A ``deque`` is consumed live: items the consumer appends (or prepends, to run
    them next) while iterating are run too. With ``server``, workers are forked by that fork
    server, not by this process; ``fn`` and the items must then pickle.
    """
    pending = items if isinstance(items, deque) else deque(items)
    if workers <= 0:
        while pending:
            item = pending.popleft()
            yield item, _call(fn, item, memory_mb)
        return
    running: dict[Connection, _Job] = {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                _start(fn, pending.popleft(), memory_mb, timeout_s, running, server)
            now = time.monotonic()
            next_deadline = min(j.deadline for j in running.values())
            ready = wait(list(running), timeout=max(0.0, next_deadline - now))
            done: list[_Job] = []
            for job in running.values():
                if job.conn in ready:
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
                _start(fn, pending.popleft(), memory_mb, timeout_s, running, server)
            for job in done:
                yield job.item, _finish(job)
    finally:
        for job in running.values():
            _kill(job)


@dataclass
class _Job:
    item: Any
    pid: int
    conn: Connection  # the reading end of the child's result pipe: EOF once it has exited
    deadline: float
    result: Any = None
    status: int | None = None  # os.waitpid's status, once reaped
    # Forked by a fork server: where it writes the worker's exit status (it reaps the worker)
    status_conn: Connection | None = None


def _deadline(item: Any, timeout_s: float) -> float:
    """When to give up on ``item``: ``timeout_s`` from now, or its own ``deadline``."""
    deadline = time.monotonic() + timeout_s
    item_deadline = getattr(item, "deadline", None)
    if isinstance(item_deadline, float):
        deadline = min(deadline, item_deadline)
    return deadline


def _start(
    fn: Callable[[Any], Any],
    item: Any,
    memory_mb: int,
    timeout_s: float,
    running: dict[Connection, _Job],
    server: ForkServer | None = None,
) -> None:
    """Fork a worker for ``item`` and register it in ``running`` before a stop signal can
    interrupt this process again, so that whoever stops the run also kills this worker."""
    if server is not None:
        _start_served(fn, item, memory_mb, timeout_s, running, server)
        return
    deadline = _deadline(item, timeout_s)
    die_with_parent = _pdeathsig()  # looked up here: a child should not load libraries
    parent = os.getpid()
    # Stop signals wait (blocked) until the child has its own handlers, and until the parent
    # has registered the child: the parent's handler raises, which must neither run the
    # parent's code in the child nor leave a child nobody knows about.
    # The mask is per thread: where the process has other threads (a library's), a stop
    # signal can still reach one of them, and Python then runs the handler in this thread at
    # the next instruction. So a child forked but not yet registered is killed here too.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    pid = 0
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code
            code = 70
            try:
                work = (fn, item, memory_mb)
                code = _child(lambda _: work, write_fd, parent, die_with_parent, blocked)
            finally:
                os._exit(code)
        os.close(write_fd)  # the parent keeps only the reading end: EOF when the child dies
        job = _Job(item, pid, Connection(read_fd, writable=False), deadline)
        running[job.conn] = job
    except BaseException:
        if pid and not any(j.pid == pid for j in running.values()):
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _start_served(
    fn: Callable[[Any], Any],
    item: Any,
    memory_mb: int,
    timeout_s: float,
    running: dict[Connection, _Job],
    server: ForkServer,
) -> None:
    """Have ``server`` fork a worker for ``item``, register it, send it the job.

    No signal is blocked here: the worker is the server's child, which ignores stop signals
    and is killed by its server's end at the latest, so a stop between its start and its
    registration leaves nothing behind. Its time starts when it exists (the first one waits
    for the server's warm-up). The job is sent after the registration: a large one (an
    assembly's pages) blocks until the worker has read it."""
    payload = pickle.dumps((fn, item, memory_mb), protocol=pickle.HIGHEST_PROTOCOL)
    pid, channel, status = server.spawn()
    job = _Job(item, pid, Connection(channel), _deadline(item, timeout_s), status_conn=status)
    running[job.conn] = job
    with contextlib.suppress(OSError):  # it died before reading its job: its status says how
        job.conn.send_bytes(payload)


def _receive(conn: Connection) -> tuple[Callable[[Any], Any], Any, int]:
    """A served worker's job, as ``_start_served`` sent it: (fn, item, memory_mb)."""
    job: tuple[Callable[[Any], Any], Any, int] = pickle.loads(conn.recv_bytes())
    return job


def _child(
    job: Callable[[Connection], tuple[Callable[[Any], Any], Any, int]],
    fd: int,
    parent: int,
    die_with_parent: Callable[[], object] | None,
    mask: set[int | signal.Signals],
) -> int:
    """A worker's life: its job (``job`` gives fn, item and memory_mb; a served worker reads
    them from its socket ``fd``) run under the limits, the result sent back over ``fd``.
    Returns the exit code."""
    # Ctrl-C and SIGTERM (sent to the whole process group by terminals, `timeout`, systemd)
    # are the parent's to handle: it stops the run and kills us, so a file is never marked
    # failed because its worker was told to stop.
    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if die_with_parent is not None:
        die_with_parent()
    if os.getppid() != parent:  # the parent died before we asked to die with it
        return 1
    _drop_descriptors(keep=fd)
    conn = Connection(fd)
    try:
        fn, item, memory_mb = job(conn)
    except Exception as exc:  # a job that does not unpickle here
        conn.send((_RESULT, _error(f"internal error: job unreadable: {exc!r}")))
        return 0
    _cap_memory(memory_mb)
    result = _call(fn, item, memory_mb)
    try:
        conn.send((_RESULT, result))
    except Exception as exc:  # the result did not pickle: send() writes nothing then
        msg = f"internal error: result not picklable: {type(exc).__name__}: {exc}"
        conn.send((_RESULT, _error(msg, item)))
    conn.close()
    return 0


def _pdeathsig() -> Callable[[], object] | None:
    """A function asking the kernel to SIGKILL this process when its parent dies (Linux's
    ``prctl(PR_SET_PDEATHSIG)``), or None where there is no such call."""
    global _PRCTL
    if _PRCTL is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            prctl = libc.prctl
            _PRCTL = lambda: prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)  # noqa: E731
        except (OSError, AttributeError):
            _PRCTL = False
    return _PRCTL or None


_PRCTL: Any = None


def open_descriptors() -> list[int]:
    """This process's open file descriptors (Linux ``/proc``; empty where unknown)."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return []
    out = []
    for name in names:
        fd = int(name)
        try:
            os.fstat(fd)
        except OSError:
            continue  # the directory listing's own descriptor, closed by now
        out.append(fd)
    return sorted(out)


def _drop_descriptors(keep: int) -> None:
    """Point every inherited descriptor but stdout, stderr and ``keep`` at /dev/null
    (stdin too). ``dup2``, not ``close``: an inherited object that closes its descriptor
    later then closes /dev/null, not a file this worker has opened under the same number."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in open_descriptors():
        if fd not in (1, 2, keep, null):
            os.dup2(null, fd, inheritable=fd == 0)
    os.close(null)


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
    _reap(job, timeout_s=5)
    if job.status is None:  # sent its result but will not exit: do not wait on it
        _kill(job)
    if isinstance(message, tuple) and len(message) == 2 and message[0] == _RESULT:
        if isinstance(message[1], RectrackError) and message[1].file is None:
            message[1].file = _name(job.item)
        return message[1]
    code = _exit_code(job.status)
    if code == 0:
        return _error("internal error: worker exited without a result", job.item)
    return _error(_death(code), job.item)


def _reap(job: _Job, timeout_s: float) -> None:
    """Collect the child's exit status, waiting up to ``timeout_s`` for it to exit."""
    if job.status_conn is not None:
        _served_status(job, job.status_conn, timeout_s)
        return
    end = time.monotonic() + timeout_s
    delay = 0.0005
    while job.status is None:
        try:
            pid, status = os.waitpid(job.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: its status is lost
            job.status = 0
            return
        if pid:
            job.status = status
            return
        if time.monotonic() >= end:
            return
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def _served_status(job: _Job, conn: Connection, timeout_s: float) -> None:
    """A served worker's exit status, as its fork server reaped it, waiting up to
    ``timeout_s`` for it. The server gone, so is the worker (it dies with its parent):
    SIGKILL's status then."""
    if job.status is not None or conn.closed or not conn.poll(timeout_s):
        return
    data = os.read(conn.fileno(), STATUS.size)
    job.status = STATUS.unpack(data)[0] if len(data) == STATUS.size else int(signal.SIGKILL)
    conn.close()


def _exit_code(status: int | None) -> int | None:
    """multiprocessing's convention: the exit code, or minus the signal that killed it."""
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.waitstatus_to_exitcode(status)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        name = signal.Signals(sig).name if sig in signal.valid_signals() else "?"
        if sig == signal.SIGKILL:
            return f"worker died (killed by signal {sig} {name} / out of memory?) while parsing"
        return f"worker died (killed by signal {sig} {name}) while parsing"
    return f"worker died (exit code {exitcode}) while parsing"


def _kill(job: _Job) -> None:
    """Kill the worker unless it is known to have exited, and collect its status.

    A served worker is killed by its pid though it is not our child: its server reaps it and
    only then reports its status, so a pid whose status has not come is that worker's, but
    for the moment between the server's reaping and our reading (the pid would have to be
    given to a new process within it)."""
    if job.status is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(job.pid, signal.SIGKILL)
        _reap(job, timeout_s=5)
    for conn in (job.conn, job.status_conn):
        if conn is not None and not conn.closed:
            conn.close()


def _name(item: Any) -> str | None:
    """The file an item stands for: its ``name`` (a Path's file name), if it has one."""
    name = getattr(item, "name", None)
    return name if isinstance(name, str) else None


def _error(message: str, item: Any = None) -> RectrackError:
    return RectrackError(message, file=_name(item))
