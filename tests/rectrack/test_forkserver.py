"""The fork server: workers forked by a slim process keep every guarantee of workers forked by
the run process (limits, exit statuses, descriptors, dying with the run), and `rectrack run`'s
workers carry neither its database layer nor its size."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import ExtractError, RectrackError
from rectrack import forkserver
from rectrack.forkserver import ForkServer
from rectrack.isolate import open_descriptors, run_isolated
from tests.rectrack.processes import alive

pytestmark = [
    pytest.mark.slow,  # a fork server warms up (imports the parsers) before its first worker
    pytest.mark.skipif(not forkserver.SUPPORTED, reason="no pidfd_open here"),
]

REPO = Path(__file__).resolve().parents[2]
DOCX = REPO / "corpus" / "ITU_C22-61_JIU_system-wide_reports.docx"
TIMEOUT_S = 2.0
MEMORY_MB = 256


def misbehave(path: Path) -> str:
    """Does what the file's name says; a good file gives its name upper-cased."""
    what = path.stem
    if what == "hang":
        path.parent.joinpath(f"started-{os.getpid()}").touch()
        time.sleep(3600)
    if what == "hog":
        return str(len(bytearray(2 * 1024**3)))
    if what == "suicide":
        os.kill(os.getpid(), 9)
    if what == "exit":
        os._exit(3)
    if what == "bug":
        raise ValueError("boom")
    if what == "refused":
        raise ExtractError("encrypted PDF")
    if what == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return what.upper()


EXPECTED = {
    "good": "GOOD",
    "hang": f"gave up after {TIMEOUT_S:g} s (timeout)",
    "hog": f"ran out of memory (cap {MEMORY_MB} MB)",
    "suicide": "worker died (killed by signal 9 SIGKILL / out of memory?) while parsing",
    "exit": "worker died (exit code 3) while parsing",
    "bug": "internal error: ValueError: boom",
    "refused": "encrypted PDF",
    "unpicklable": "internal error: result not picklable",
}


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    with ForkServer.start() as started:
        yield started


def _paths(folder: Path, names: list[str]) -> list[Path]:
    return [folder / f"{name}.pdf" for name in names]


def test_served_workers_fail_alone_as_forked_ones_do(server: ForkServer, tmp_path: Path) -> None:
    paths = _paths(tmp_path, list(EXPECTED))
    results = dict(run_isolated(misbehave, paths, 2, TIMEOUT_S, MEMORY_MB, server=server))
    assert len(results) == len(EXPECTED)
    for path, result in results.items():
        expected = EXPECTED[path.stem]
        if path.stem == "good":
            assert result == expected
            continue
        assert isinstance(result, RectrackError), (path, result)
        assert result.file == path.name
        assert result.message.startswith(expected), (path, result.message)


def _touch(mb: int) -> int:
    """Make this worker's RSS grow by ``mb`` MB."""
    return len(bytearray(mb * 1024 * 1024))


def test_the_server_tells_its_largest_worker_peak() -> None:
    """What RUSAGE_CHILDREN said of forked workers: the run process's own figure now counts
    the server too."""
    with ForkServer.start() as server:
        list(run_isolated(_touch, [1], 1, 30, 1024, server=server))  # the server warmed up
        with open(f"/proc/{server.pid}/status") as fh:
            fields = (line.partition(":") for line in fh)
            sizes = {
                k: int(v.split()[0]) / 1024 for k, _, v in fields if k.startswith(("Vm", "Rss"))
            }
        list(run_isolated(_touch, [100], 1, 30, 1024, server=server))
        peak = server.workers_peak_mb()
    # a worker starts with its server's anonymous pages (not all its file pages: those are
    # not copied at fork), then grows by 100 MB
    assert sizes["RssAnon"] + 95 < peak < sizes["VmRSS"] + 110, (sizes, peak)


def _descriptors(_: object) -> dict[int, str]:
    out = {}
    for fd in open_descriptors():
        with contextlib.suppress(OSError):
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return out


def test_a_served_worker_holds_only_its_own_socket(server: ForkServer) -> None:
    """Not the server's control socket, not the pidfds and status pipes of its siblings."""
    results = list(run_isolated(_descriptors, [1, 2, 3], 3, 10, MEMORY_MB, server=server))
    for _, fds in results:
        assert isinstance(fds, dict), fds
        mine = {fd: target for fd, target in fds.items() if fd > 2}
        sockets = [t for t in mine.values() if t.startswith("socket:")]
        assert len(sockets) == 1, mine  # its job's socket
        assert all(t == os.devnull for t in mine.values() if t not in sockets), mine
        assert fds.get(0) == os.devnull


def test_a_worker_whose_server_dies_is_reported_killed_and_no_other_starts(
    tmp_path: Path,
) -> None:
    """The server killed under a running worker (the OOM killer's choice, say): the worker
    dies with it and says so; the next job cannot start, and the run learns why."""
    with ForkServer.start() as doomed:
        hang, good = _paths(tmp_path, ["hang", "good"])

        def kill_when_started() -> None:
            end = time.monotonic() + 60
            while not list(tmp_path.glob("started-*")) and time.monotonic() < end:
                time.sleep(0.02)
            os.kill(doomed.pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_when_started)
        killer.start()
        results = run_isolated(misbehave, [hang], 1, 60, MEMORY_MB, server=doomed)
        ((_, result),) = list(results)
        killer.join()
        assert isinstance(result, RectrackError)
        assert result.message.startswith("worker died (killed by signal 9"), result.message
        with pytest.raises(RectrackError, match="the process that starts parser workers is gone"):
            list(run_isolated(misbehave, [good], 1, 60, MEMORY_MB, server=doomed))


_ORPHANS = """
import os, sys, time
from pathlib import Path
from rectrack.forkserver import ForkServer
from rectrack.isolate import run_isolated

out = Path(sys.argv[1])

def hang(i):
    (out / str(os.getpid())).write_text(str(i))
    time.sleep(3600)

server = ForkServer.start()
(out / "server").write_text(str(server.pid))
for _ in run_isolated(hang, range(2), 2, 3600, 256, server=server):
    pass
"""


def test_the_server_and_its_workers_die_with_the_run_process(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _ORPHANS, str(tmp_path)], cwd=REPO)
    deadline = time.monotonic() + 90
    while len(list(tmp_path.iterdir())) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.read_text()) if p.name == "server" else int(p.name) for p in tmp_path.iterdir()]
    assert len(pids) == 3  # the server and two workers
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in pids if alive(pid)]
    for pid in survivors:  # don't leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


# --- `rectrack run`'s workers ------------------------------------------------------------

# `rectrack run` whose workers report, as their job starts, what they carry.
_REPORTING_RUN = """
import json, os, sys
from rectrack import isolate

out = sys.argv.pop(1)
real = isolate._call

def rss_mb():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmRSS:"))

def reporting(fn, item, memory_mb):
    modules = {m: m in sys.modules for m in ("sqlalchemy", "alembic", "load", "rectrack.pipeline")}
    with open(out, "a") as fh:
        fh.write(json.dumps({"rss_mb": rss_mb(), "modules": modules}) + "\\n")
    return real(fn, item, memory_mb)

isolate._call = reporting  # inherited by the fork server, hence by every worker
from rectrack.cli import main
sys.argv[0] = "rectrack"
main()
"""

# What a worker forked by the run process itself would start with: the run process's
# imports, then the warm-up it did before forking.
_FORKED_FROM_THE_RUN = """
import os, sys
import load, rectrack.cli, rectrack.pipeline
from rectrack.warm import warm_up

warm_up()
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    with open("/proc/self/status") as fh:
        rss = next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmRSS:"))
    os.write(write, str(rss).encode())
    os._exit(0)
os.waitpid(pid, 0)
print(os.read(read, 100).decode())
"""


def test_a_worker_of_rectrack_run_carries_no_database_layer_and_starts_small(
    tmp_path: Path,
) -> None:
    report = tmp_path / "workers.jsonl"
    run = [sys.executable, "-c", _REPORTING_RUN, str(report), "run", str(DOCX)]
    run += ["--db", str(tmp_path / "db.sqlite"), "-j", "1", "-q"]
    done = subprocess.run(run, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (worker,) = [json.loads(line) for line in report.read_text().splitlines()]
    assert not any(worker["modules"].values()), worker["modules"]
    reference = subprocess.run(
        [sys.executable, "-c", _FORKED_FROM_THE_RUN],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    forked_from_the_run = float(reference.stdout.strip().splitlines()[-1])
    # measured: 90 MB against 110 (SQLAlchemy and Alembic are ~20 MB of it)
    assert worker["rss_mb"] < forked_from_the_run - 10, (worker, forked_from_the_run)
