"""A fork server (a "zygote"): the slim process parser workers are forked from.

A forked worker starts with its parent's memory: forked from ``rectrack run`` it would carry
SQLAlchemy, Alembic and the run's own state, which it never uses, on top of the parsers it
needs (measured on the 120 wild PDFs: workers started at 113 MB, the largest peaked at
146 MB). So ``rectrack run`` forks this server first, before it imports the database layer;
the server imports and builds what workers need (``rectrack.warm.warm_up``: readers, spaCy,
the catalog, the word lists; its heap then frozen, so children do not copy it) and forks one
worker per job on request, each starting at the server's size.

What ``rectrack.isolate`` guarantees still holds, split between the two:

- the run process asks for a worker (:meth:`ForkServer.spawn`, passing the worker's end of a
  socket pair and of a status pipe over the server's control socket, ``SCM_RIGHTS``); the
  server forks it and writes its pid to the status pipe; the run process sends the job
  (pickled) over the socket, gets the result back over it, enforces the deadline (``kill``
  by pid) and the memory cap (the worker caps itself, as any);
- the server reaps its workers (a ``pidfd`` per worker says when one has exited) and writes
  each one's exit status to its status pipe, so the run process still says "killed by
  signal 9 / out of memory?" or "exit code 70";
- the server dies with the run process (``PR_SET_PDEATHSIG``; and an end of its control
  socket ends it too), each worker with the server: nothing outlives a killed run. Both
  ignore SIGINT and SIGTERM, which are the run process's to handle, and hold no descriptor
  of the run process (``rectrack.isolate._drop_descriptors``).

A process that started no server (a library caller of ``rectrack.isolate.run_isolated``, a
Dask worker) forks its workers itself, as before. Where the kernel has no ``pidfd_open``
(not Linux, or Linux before 5.3), ``SUPPORTED`` is false and callers fork themselves too.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import socket
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from core.errors import RectrackError
from rectrack import isolate

SUPPORTED = hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")
_ASK = b"j"  # fork a worker (its socket and status pipe come with the request)
_PEAK = b"p"  # what is the largest peak RSS of the workers reaped so far?


class ForkServer:
    """The run process's handle on its fork server: ask it for workers, close it."""

    def __init__(self, pid: int, control: socket.socket) -> None:
        self.pid = pid
        self._control = control
        # closed when the handle is, or collected, or at exit: never a server left running
        self._stop = weakref.finalize(self, _stop, pid, control)

    @classmethod
    def start(cls, vocabulary: Path | None = None) -> ForkServer:
        """Fork the server from this process now (it then warms up on its own, with the run's
        ``vocabulary`` if it has its own): call it before importing what workers should not
        carry. The calling thread must outlive the server
        (``PR_SET_PDEATHSIG`` is tied to it): the main thread, or the one that runs the jobs."""
        ours, theirs = socket.socketpair()
        die_with_parent = isolate._pdeathsig()
        parent = os.getpid()
        # As in rectrack.isolate._start: stop signals wait until the server has its handlers.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, isolate._STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:  # the server: never returns into the caller's code
                code = 70
                try:
                    ours.close()
                    code = _serve(theirs, parent, die_with_parent, blocked, vocabulary)
                finally:
                    os._exit(code)
            server = cls(pid, ours)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        theirs.close()
        return server

    def spawn(self) -> tuple[int, int, Connection]:
        """A new worker, waiting for its job: its pid, this end of its socket (a descriptor:
        send the job, read the result) and the pipe its exit status will come through.
        Waits for the server's warm-up the first time."""
        ours, theirs = socket.socketpair()
        status_r, status_w = os.pipe()
        try:
            try:
                socket.send_fds(self._control, [_ASK], [theirs.fileno(), status_w])
            finally:
                theirs.close()
                os.close(status_w)
            pid = _read_status(status_r)
        except BaseException as exc:
            ours.close()
            os.close(status_r)
            if isinstance(exc, OSError):
                raise _gone(str(exc)) from exc
            raise
        if pid is None or pid < 0:
            ours.close()
            os.close(status_r)
            if pid is None:
                raise _gone("it ended")
            raise OSError(-pid, f"cannot start a parser worker: {os.strerror(-pid)}")
        return pid, ours.detach(), Connection(status_r, writable=False)

    def workers_peak_mb(self) -> float:
        """The largest peak RSS of the workers this server has reaped (their ``ru_maxrss``),
        in MB: what ``RUSAGE_CHILDREN`` says of forked workers, which this process cannot
        read any more, as its own children's figure now includes the server itself."""
        self._control.sendall(_PEAK)
        data = b""
        while len(data) < isolate.STATUS.size:
            more = self._control.recv(isolate.STATUS.size - len(data))
            if not more:
                raise _gone("it ended")
            data += more
        kb: int = isolate.STATUS.unpack(data)[0]
        return kb / 1024

    def close(self) -> None:
        """Stop the server (SIGKILL: it holds nothing to save) and reap it. Its workers have
        been reaped by then (``run_isolated`` collects every worker's status), so their
        resource use is counted in this process's RUSAGE_CHILDREN; a worker still running
        (a run that died in the middle) dies with its server."""
        self._stop()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ForkServer(pid={self.pid})"


def _gone(why: str) -> RectrackError:
    return RectrackError(
        f"the process that starts parser workers is gone ({why}); documents loaded so far "
        "are committed: run the same command again to go on"
    )


def _stop(pid: int, control: socket.socket) -> None:
    control.close()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _read_status(fd: int) -> int | None:
    """One report of the server (a pid, or an exit status), None at end of file."""
    data = b""
    while len(data) < isolate.STATUS.size:
        more = os.read(fd, isolate.STATUS.size - len(data))
        if not more:
            return None
        data += more
    value: int = isolate.STATUS.unpack(data)[0]
    return value


# --- in the server --------------------------------------------------------------------------


def _serve(
    control: socket.socket,
    parent: int,
    die_with_parent: Callable[[], object] | None,
    mask: set[int | signal.Signals],
    vocabulary: Path | None = None,
) -> int:
    """The server's life: set up as a worker would be, warm up, then fork workers on request
    until the control socket ends. Returns the exit code."""
    for signum in isolate._STOP_SIGNALS:  # the run process's to handle, as for workers
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if die_with_parent is not None:
        die_with_parent()
    if os.getppid() != parent:  # the parent died before we asked to die with it
        return 1
    isolate._drop_descriptors(keep=control.fileno())
    from rectrack import warm  # looked up now: a caller may have replaced warm_up

    if vocabulary is None:
        warm.warm_up()
    else:
        warm.warm_up(vocabulary)
    _loop(control, die_with_parent)
    return 0


def _loop(control: socket.socket, die_with_parent: Callable[[], object] | None) -> None:
    """Fork a worker per request; report each worker's pid, then its exit status once it has
    exited (reaped). At the end of the control socket (the run is over, or its process is
    gone), kill the workers left and return."""
    me = os.getpid()
    live: dict[int, tuple[int, int]] = {}  # pidfd -> (pid, status pipe)
    while True:
        ready, _, _ = select.select([control.fileno(), *live], [], [])
        for pidfd in [fd for fd in ready if fd in live]:
            pid, status_fd = live.pop(pidfd)
            _, status = os.waitpid(pid, 0)
            os.close(pidfd)
            _report(status_fd, status)
            os.close(status_fd)
        if control.fileno() not in ready:
            continue
        message, fds, _, _ = socket.recv_fds(control, len(_ASK), 2)
        if not message:
            break
        if message == _PEAK:
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            control.sendall(isolate.STATUS.pack(peak))
            continue
        if len(fds) != 2:  # not a request of ours
            for fd in fds:
                os.close(fd)
            continue
        channel, status_fd = fds
        try:
            pid = os.fork()
        except OSError as exc:
            _report(status_fd, -(exc.errno or 1))
            os.close(status_fd)
            os.close(channel)
            continue
        if pid == 0:  # the worker
            code = 70
            try:
                code = isolate._child(isolate._receive, channel, me, die_with_parent, set())
            finally:
                os._exit(code)
        os.close(channel)
        live[os.pidfd_open(pid)] = (pid, status_fd)
        _report(status_fd, pid)
    for pidfd, (pid, status_fd) in live.items():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pidfd)
        os.close(status_fd)


def _report(fd: int, value: int) -> None:
    """Write one report; a run process that stopped listening is no error."""
    with contextlib.suppress(OSError):
        os.write(fd, isolate.STATUS.pack(value))
