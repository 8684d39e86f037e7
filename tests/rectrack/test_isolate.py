"""Worker isolation: a file that hangs, eats memory or kills its worker costs only itself."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

import pytest

from core.errors import ExtractError, RectrackError
from rectrack.isolate import open_descriptors, run_isolated
from tests.rectrack.processes import alive

TIMEOUT_S = 1.0
MEMORY_MB = 256


def misbehave(path: Path) -> str:
    """Does what the file's name says; a good file gives its name upper-cased."""
    what = path.stem
    if what == "hang":
        time.sleep(3600)
    if what == "hog":
        return str(len(bytearray(2 * 1024**3)))
    if what == "suicide":
        os.kill(os.getpid(), 9)
    if what == "bug":
        raise ValueError("boom")
    if what == "refused":
        raise ExtractError("encrypted PDF")
    if what == "wrapped_hog":
        try:
            bytearray(2 * 1024**3)
        except MemoryError as exc:
            raise ExtractError("cannot open PDF") from exc
    if what == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return what.upper()


BAD = ["hang", "hog", "suicide", "bug", "refused", "wrapped_hog", "unpicklable"]
EXPECTED = {
    "hang": f"gave up after {TIMEOUT_S:g} s (timeout)",
    "hog": f"ran out of memory (cap {MEMORY_MB} MB)",
    "wrapped_hog": f"ran out of memory (cap {MEMORY_MB} MB)",
    "suicide": "worker died (killed by signal 9",
    "bug": "internal error: ValueError: boom",
    "refused": "encrypted PDF",
    "unpicklable": "internal error: result not picklable",
}


def children() -> set[int]:
    """This process's live child processes (Linux /proc)."""
    out: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        out.update(int(pid) for pid in (task / "children").read_text().split())
    return out


def _paths(names: list[str]) -> list[Path]:
    return [Path(f"/nowhere/{n}.pdf") for n in names]


def test_bad_files_cost_only_themselves() -> None:
    names = ["good1", *BAD, "good2", "good3"]
    before = children()
    start = time.monotonic()
    results = dict(run_isolated(misbehave, _paths(names), 2, TIMEOUT_S, MEMORY_MB))
    elapsed = time.monotonic() - start
    assert sorted(p.stem for p in results) == sorted(names)  # each file exactly once
    for path, result in results.items():
        if path.stem.startswith("good"):
            assert result == path.stem.upper()
        else:
            assert isinstance(result, RectrackError), (path, result)
            assert str(result).startswith(f"{path.name}: {EXPECTED[path.stem]}")
    assert isinstance(results[Path("/nowhere/refused.pdf")], ExtractError)  # passes through
    assert elapsed < TIMEOUT_S + 4  # one timeout, not one per file
    assert children() <= before


def test_in_process_mode_still_converts_exceptions() -> None:
    names = ["good", "bug", "refused"]
    results = dict(run_isolated(misbehave, _paths(names), 0, TIMEOUT_S, MEMORY_MB))
    assert results[Path("/nowhere/good.pdf")] == "GOOD"
    for name in ("bug", "refused"):
        assert str(results[Path(f"/nowhere/{name}.pdf")]) == f"{name}.pdf: {EXPECTED[name]}"


def _log_span(path: Path) -> str:
    start = time.monotonic()
    time.sleep(0.15)
    path.write_text(f"{start} {time.monotonic()}")
    return path.name


@pytest.mark.parametrize("workers", [1, 2])
def test_at_most_workers_run_at_once(tmp_path: Path, workers: int) -> None:
    paths = [tmp_path / f"f{i}" for i in range(6)]
    assert len(list(run_isolated(_log_span, paths, workers, 10, MEMORY_MB))) == 6
    spans = [tuple(map(float, p.read_text().split())) for p in paths]
    peak = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert peak == workers


def test_closing_early_kills_running_workers() -> None:
    paths = [Path("/a/good.pdf"), Path("/a/hang.pdf"), Path("/b/hang.pdf")]
    before = children()
    results = run_isolated(misbehave, paths, 3, 60, MEMORY_MB)
    _, result = next(results)
    assert result == "GOOD"
    assert len(children() - before) == 2
    results.close()
    assert children() <= before


@pytest.mark.slow
def test_overhead_per_file_is_small() -> None:
    """Measures forking a worker per file; a parse takes seconds, so 0.25 s would be plenty."""
    paths = _paths([f"f{i}" for i in range(40)])
    start = time.perf_counter()
    results = list(run_isolated(misbehave, paths, 2, 10, MEMORY_MB))
    per_file = (time.perf_counter() - start) / len(paths)
    print(f"isolation overhead: {per_file * 1000:.1f} ms per file")
    assert len(results) == 40
    assert per_file < 0.25


def _square(n: int) -> int:
    if n < 0:
        raise ValueError("negative")
    return n * n


@pytest.mark.parametrize("workers", [0, 2])
def test_any_items_and_follow_up_jobs_from_a_deque(workers: int) -> None:
    """Items need not be paths; a deque takes jobs the consumer adds while iterating."""
    jobs: deque[int] = deque([2, 3, -1])
    seen: dict[int, object] = {}
    for item, result in run_isolated(_square, jobs, workers, 10, MEMORY_MB):
        seen[item] = result
        if item == 3:
            jobs.appendleft(10)  # a job that needs an earlier result
    assert {k: v for k, v in seen.items() if k >= 0} == {2: 4, 3: 9, 10: 100}
    error = seen[-1]
    assert isinstance(error, RectrackError)
    assert error.file is None  # an int names no file
    assert str(error) == "internal error: ValueError: negative"


def _descriptors(_: object) -> dict[int, str]:
    out = {}
    for fd in open_descriptors():
        with contextlib.suppress(OSError):
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return out


def test_a_worker_holds_no_descriptor_it_does_not_need(tmp_path: Path) -> None:
    """Not the parent's database file or socket, not its siblings' pipes: only its own
    result pipe (and stdout/stderr)."""
    db = sqlite3.connect(tmp_path / "parent.sqlite")
    db.execute("create table t (x)")
    server = socket.create_server(("127.0.0.1", 0))
    try:
        results = list(run_isolated(_descriptors, [1, 2, 3], 3, 10, MEMORY_MB))
    finally:
        db.close()
        server.close()
    for _, fds in results:
        assert isinstance(fds, dict), fds
        mine = {fd: target for fd, target in fds.items() if fd > 2}
        pipes = [t for t in mine.values() if t.startswith("pipe:")]
        assert len(pipes) == 1, mine  # its own result pipe
        others = [t for t in mine.values() if not t.startswith("pipe:")]
        assert all(t == os.devnull for t in others), mine
        assert fds.get(0) == os.devnull


_ORPHANS = """
import os, sys, time
from pathlib import Path
from rectrack.isolate import run_isolated

out = Path(sys.argv[1])

def hang(i):
    (out / str(os.getpid())).write_text(str(i))
    time.sleep(3600)

for _ in run_isolated(hang, range(2), 2, 3600, 256):
    pass
"""


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _ORPHANS, str(tmp_path)])
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # don't leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def test_a_stop_signal_at_fork_time_leaves_no_worker_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SIGTERM arrives while a worker is being forked: the worker is known by then, and the
    stop kills it with the others."""
    from rectrack import isolate
    from rectrack.pipeline import Interrupted, stop_on_signals

    real_fork = os.fork
    forked: list[int] = []

    def fork_with_a_signal() -> int:
        # Pending: stop signals are blocked in this thread here. Sent to this thread, not the
        # process: a process-wide signal may go to any thread that does not block it (a
        # Dask client's, left by earlier tests in this process) and be handled at once.
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(isolate.os, "fork", fork_with_a_signal)
    with pytest.raises(Interrupted), stop_on_signals():
        for _ in run_isolated(misbehave, _paths(["hang"]), 1, 60, MEMORY_MB):
            pass
    # the workers this run forked, not other children of the test process (an earlier test's
    # Dask client leaves threads and may start processes); gone within a moment
    assert forked
    end = time.monotonic() + 5
    while set(forked) & children() and time.monotonic() < end:
        time.sleep(0.05)
    assert not set(forked) & children()
