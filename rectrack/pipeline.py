"""``run`` chains the stages: extract (read + recognize), normalize, load.

Its steps, each a function: discover the files, skip the unchanged ones, parse the rest in
worker processes (``rectrack.isolate``), load each result as it comes, report each outcome.
The parent process is the only database writer, one transaction per document, so a crash or
a bad file costs only itself. Settings arrive as one ``RunConfig``; nothing here reads the
environment.

With several workers, a long PDF is split (``extract.read_or_plan``): workers read page
ranges (``extract.run_job``), and one more isolated job assembles them (``extract.assemble``)
and recognizes and normalizes, so one long document does not keep a single core busy while
the others idle. The result is the one an unsplit parse gives; other files keep flowing
through the free workers meanwhile. On a cluster the page ranges go to any worker, which reads
the shared original after checking that it is still the version planned
(``rectrack.work.work_alone``). What a worker runs is in ``rectrack.work``.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.digest import sha256_of
from core.errors import RectrackError
from core.model import DocumentInfo, Origin, ParsedDocument, Unmapped
from extract.jobs import PageJob, Plan
from rectrack.config import RunConfig
from rectrack.executor import Executor, LocalPool
from rectrack.work import Job as _Job
from rectrack.work import Planned as _Planned
from rectrack.work import parse_document as parse_document  # the worker's side, for callers
from rectrack.work import parse_file as parse_file
from rectrack.work import work, work_alone

if TYPE_CHECKING:
    import sqlalchemy as sa

    from extract.pdf import PageData
    from rectrack.forkserver import ForkServer

SUFFIXES = (".pdf", ".docx")


@dataclass
class FileOutcome:
    source_file: str
    path: Path
    status: str  # 'loaded' | 'failed' | 'skipped'
    agency: str | None = None
    records: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    error: str | None = None
    note: str | None = None  # why a loaded document has no records (v_documents.note)
    warnings: list[str] = field(default_factory=list)  # doubts met (v_documents.warnings)


@dataclass
class RunSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    interrupted: int | None = None  # the signal that stopped the run early, if one did

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0 all done; 1 some files failed; 128 + the signal's number when interrupted (the
        shell's convention: 130 for Ctrl-C, 143 for SIGTERM)."""
        if self.interrupted is not None:
            return 128 + self.interrupted
        return 1 if self.failed else 0


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread by :func:`stop_on_signals` when the run is asked to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals(signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Turn SIGINT and SIGTERM (what Ctrl-C, ``timeout`` and systemd send) into
    :class:`Interrupted` while the block runs, so that :func:`run` stops cleanly: the
    document being written is rolled back whole or committed whole, workers are killed, the
    summary says so. A second signal while stopping is ignored: the stop is quick. The
    handlers in place before are restored on exit (a library caller's own stay its own)."""
    stopping = False

    def handler(signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def discover(
    paths: Iterable[Path], on_refused: Callable[[Path, str], None] | None = None
) -> list[Path]:
    """PDF and DOCX files under the given files and folders (recursively), sorted, unique.

    A symbolic link met inside a folder is followed only when it points inside that folder
    (a link to ``/etc/passwd`` named ``report.pdf`` is not read, stored or served); links to
    folders are not walked. The links refused go to ``on_refused`` with the reason. A file
    given by name is read wherever it is: the user named it."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for sub in _walk(path, on_refused):
                found[sub] = None
        elif path.is_file():
            found[path] = None
        else:
            raise RectrackError(f"no such file or folder: {path}")
    return list(found)


def _walk(root: Path, on_refused: Callable[[Path, str], None] | None) -> list[Path]:
    inside = root.resolve()
    out = []
    for folder, dirs, names in os.walk(root):  # never descends into linked folders
        dirs.sort()
        for name in sorted(names):
            sub = Path(folder) / name
            if sub.suffix.lower() not in SUFFIXES or name.startswith(("~$", ".")):
                continue
            if sub.is_symlink() and not sub.resolve().is_relative_to(inside):
                if on_refused:
                    on_refused(sub, f"a symbolic link to a file outside {root}: not followed")
                continue
            if sub.is_file():
                out.append(sub)
    return sorted(out)


@dataclass
class _Parts:
    """A split document's page ranges, as they come in."""

    plan: Plan
    received: dict[int, list[PageData]] = field(default_factory=dict)


def parse_many(
    paths: Iterable[Path],
    config: RunConfig,
    folder: Path | None = None,
    executor: Executor | None = None,
    read_as: dict[Path, Origin] | None = None,
) -> Generator[tuple[Path, ParsedDocument | RectrackError], None, None]:
    """``(path, parse_file(path) or the error)`` for each path, as documents complete, each
    job isolated (``rectrack.isolate``, within ``config.limits``: ``timeout_s`` bounds a
    file, all its jobs together) by ``executor``: the local pool of ``config.workers`` by
    default, or a cluster (``rectrack.cluster``).

    Each file is read from a private copy in ``folder`` (a temporary folder of its own when
    None, removed at the end; the caller's otherwise, see :func:`forget_snapshot`). On a
    cluster (``executor.remote``) the copy is made in a temporary folder of the job's own on
    the worker, and a long PDF's page ranges read the shared original, checked against the
    sha256 of the version planned (``rectrack.work.work_alone``).

    With several workers, a long PDF is read in page ranges by separate jobs, then assembled
    by one more (``extract.read_or_plan``); a range that fails fails its document, with a
    message naming the pages, and ``read_as`` (when given) gets the identity of the version
    planned, which its failed row should name rather than whatever the file holds now. Its
    ranges are queued first (the longest work first keeps the cores busy to the end); other
    files run in the free workers."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="rectrack-") as tmp:
            yield from parse_many(paths, config, Path(tmp), executor, read_as)
        return
    executor = executor or local_pool(config)
    workers = executor.slots
    jobs = deque(_Job(p, "file", folder) for p in paths)
    parts: dict[Path, _Parts] = {}
    fn = work_alone if executor.remote else work
    work_fn = functools.partial(fn, config.extract, workers, normalize=config.normalize)
    for job, result in executor.run(work_fn, jobs):
        path = job.path
        if job.kind == "pages":
            if path not in parts:
                continue  # its document failed already
            if isinstance(result, RectrackError):
                if read_as is not None:
                    read_as[path] = parts[path].plan.origin
                del parts[path]
                _drop_pages(jobs, path)
                yield path, _range_error(result, job.pages)
                continue
            assert isinstance(result, list)
            done = parts[path]
            done.received[job.index] = result
            if len(done.received) == len(done.plan.jobs):
                del parts[path]
                results = [done.received[i] for i in range(len(done.plan.jobs))]
                after = _Job(path, "assemble", folder, plan=done.plan, results=results)
                after.deadline = job.deadline
                jobs.appendleft(after)
            continue
        if isinstance(result, _Planned):
            parts[path] = _Parts(result.plan)
            deadline = time.monotonic() + config.limits.timeout_s - result.spent
            n = len(result.plan.jobs)
            for i in reversed(range(n)):
                jobs.appendleft(_Job(path, "pages", folder, i, result.plan, deadline=deadline))
            continue
        assert isinstance(result, ParsedDocument | RectrackError)
        if job.plan is not None and isinstance(result, RectrackError) and read_as is not None:
            read_as[path] = job.plan.origin  # its assembly failed: the version planned
        yield path, result


def local_pool(config: RunConfig, server: ForkServer | None = None) -> LocalPool:
    """The default executor: ``config.workers`` forked processes on this machine, forked by
    ``server`` when given (else by a fork server forked from this process when parsing
    starts)."""
    limits = config.limits
    return LocalPool(worker_count(config), limits.timeout_s, limits.memory_mb, server)


def snapshot_of(path: Path, folder: Path) -> Path | None:
    """The private copy of ``path`` that a worker made in ``folder``, if it was made whole."""
    copy = folder / path.name
    return copy if copy.is_file() else None


def forget_snapshot(path: Path, folder: Path) -> None:
    """Remove the private copy of ``path`` (and any part of one a killed worker left)."""
    (folder / path.name).unlink(missing_ok=True)
    (folder / f".{path.name}.part").unlink(missing_ok=True)


def worker_count(config: RunConfig) -> int:
    """Parser processes for this run: as configured, else one per core."""
    return config.workers if config.workers is not None else (os.cpu_count() or 1)


def _drop_pages(jobs: deque[_Job], path: Path) -> None:
    """Forget the queued page ranges of a document that failed."""
    keep = [j for j in jobs if not (j.kind == "pages" and j.path == path)]
    jobs.clear()
    jobs.extend(keep)


def _range_error(error: RectrackError, job: PageJob) -> RectrackError:
    """The error of one page range, as its document's: the same kind, naming the pages."""
    out = type(error)(f"pages {job.first}-{job.last}: {error.message}", file=job.name)
    out.page = error.page
    return out


def _info_for_failure(path: Path, origin: Origin | None = None) -> DocumentInfo:
    """What a failed row says of the file: name, format by suffix, hash and size of
    ``origin`` (the version planned, for a split document) or of ``path`` (the private copy
    that was read, when there is one)."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = "pdf" if suffix == "pdf" else "docx"
    if origin is not None:
        sha, size = origin.sha256, origin.size
        return DocumentInfo(source_file=path.name, sha256=sha, format=fmt, size=size)  # type: ignore[arg-type]
    try:
        sha, size = sha256_of(path), path.stat().st_size
    except OSError:
        sha, size = "0" * 64, 0
    return DocumentInfo(source_file=path.name, sha256=sha, format=fmt, size=size)  # type: ignore[arg-type]


Stat = tuple[str, int, int]  # file name, size, mtime_ns


def _stat(path: Path) -> Stat:
    st = path.stat()
    return path.name, st.st_size, st.st_mtime_ns


def stored_status(path: Path, stat: Stat, stored: Any, rehashed: list[Stat]) -> str | None:
    """'loaded'/'failed' when ``path`` is the file stored under its name, else None.

    Name, size and mtime_ns equal to the stored ones mean unchanged without reading a byte
    (see ``load.filestat`` for why that is safe enough; ``--force`` bypasses it). Otherwise
    the file is hashed: same bytes (a touched or copied file) still count as unchanged, and
    its new metadata is queued in ``rehashed`` to be remembered."""
    if stored is None:
        return None
    if stored.size == stat[1] and stored.mtime_ns == stat[2]:
        return str(stored.status)
    if sha256_of(path) != stored.sha256:
        return None
    rehashed.append(stat)
    return str(stored.status)


class _Reporter:
    """Collects the run's outcomes and hands each to the caller's callback as it comes."""

    def __init__(self, total: int, on_outcome: OnOutcome | None) -> None:
        self.summary = RunSummary()
        self.total = total
        self.on_outcome = on_outcome

    def __call__(self, outcome: FileOutcome) -> None:
        self.summary.outcomes.append(outcome)
        if self.on_outcome:
            self.on_outcome(outcome, len(self.summary.outcomes), self.total)


OnOutcome = Callable[[FileOutcome, int, int], None]


def run(
    paths: Iterable[Path],
    config: RunConfig | None = None,
    *,
    on_outcome: OnOutcome | None = None,
    executor: Executor | None = None,
) -> RunSummary:
    """Ingest files into the database ``config.load`` names: discover, skip unchanged, parse
    (isolated workers: the local pool, or ``executor``), load (one transaction per document,
    in this process), each outcome reported as it comes. Unchanged files are skipped, failed
    ones retried only when asked.

    KeyboardInterrupt (or :class:`Interrupted`, see :func:`stop_on_signals`) ends the run
    early with ``summary.interrupted`` set. A database that cannot be written (full disk,
    read-only, locked, connection lost) raises :class:`load.DatabaseFault` and marks no
    document failed: the next run picks up where this one stopped."""
    import sqlalchemy as sa

    import load

    config = config or RunConfig()
    executor = executor or local_pool(config)
    engine = load.connect(config.load)
    folder = Path(tempfile.mkdtemp(prefix="rectrack-"))
    report = _Reporter(0, on_outcome)
    results = None
    try:
        refused: list[FileOutcome] = []
        files = discover(
            paths, lambda p, why: refused.append(FileOutcome(p.name, p, "failed", error=why))
        )
        report.total = len(files) + len(refused)
        for outcome in refused:
            report(outcome)
        files = refuse_name_clashes(files, report)
        todo, stats = skip_unchanged(engine, files, config, report)
        if todo:
            executor.prepare(todo)
        read_as: dict[Path, Origin] = {}
        results = parse_many(todo, config, folder, executor, read_as)
        load_parsed(engine, results, stats, report, folder, read_as)
    except KeyboardInterrupt as exc:
        report.summary.interrupted = getattr(exc, "signum", int(signal.SIGINT))
    except sa.exc.SQLAlchemyError as exc:  # outside a write: the database went away
        raise load.DatabaseFault(load.environment_fault(exc) or load.db.one_line(exc)) from exc
    finally:
        if results is not None:
            results.close()  # kills workers still running
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    return report.summary


def refuse_name_clashes(files: list[Path], report: Callable[[FileOutcome], None]) -> list[Path]:
    """The files whose name no earlier file in the batch has; the others reported failed.

    Documents are keyed by file name (the contract's ``source_file``): a second file of the
    same name elsewhere in the batch would replace the first, so it is refused instead."""
    first_of: dict[str, Path] = {}
    kept = []
    for path in files:
        if path.name in first_of:
            error = (
                f"same file name as {first_of[path.name]} in this batch; "
                "documents are keyed by file name: rename one of them"
            )
            report(FileOutcome(path.name, path, "failed", error=error))
        else:
            first_of[path.name] = path
            kept.append(path)
    return kept


def skip_unchanged(
    engine: sa.Engine,
    files: list[Path],
    config: RunConfig,
    report: Callable[[FileOutcome], None],
) -> tuple[list[Path], dict[Path, Stat]]:
    """The files to parse, and every file's metadata as seen before parsing. Unchanged files
    (``stored_status``; all of them are parsed under ``config.force``) and files that failed
    unchanged (unless ``config.retry_failed``) are marked and reported skipped."""
    import load

    stored = {} if config.force else load.stored_files(engine)
    stats: dict[Path, Stat] = {}
    rehashed: list[Stat] = []
    todo: list[Path] = []
    skipped: list[Path] = []
    for path in files:
        try:
            stats[path] = stat = _stat(path)
            status = stored_status(path, stat, stored.get(path.name), rehashed)
        except OSError as exc:  # gone or unreadable since discovery: nothing to store
            report(FileOutcome(path.name, path, "failed", error=f"cannot read: {exc.strerror}"))
            continue
        if status == "loaded" or (status == "failed" and not config.retry_failed):
            skipped.append(path)
        else:
            todo.append(path)
    load.record_skipped_many(engine, [p.name for p in skipped])
    load.remember_stats(engine, rehashed)
    for path in skipped:
        known = stored[path.name]  # its agency and note, so the summary says what it holds
        report(FileOutcome(path.name, path, "skipped", agency=known.agency, note=known.note))
    return todo, stats


def load_parsed(
    engine: sa.Engine,
    results: Iterable[tuple[Path, ParsedDocument | RectrackError]],
    stats: dict[Path, Stat],
    report: Callable[[FileOutcome], None],
    folder: Path,
    read_as: dict[Path, Origin] | None = None,
) -> None:
    """Store each parse result as it comes (a document, or its failure: its row names the
    version read, ``read_as`` for a split document, else the private copy), then the
    metadata of the files parsed, so that the next run skips them unread. A
    :class:`load.DatabaseFault` stops here: no document is marked failed for it."""
    import load

    read_as = read_as if read_as is not None else {}
    seen: list[Stat] = []
    for path, result in results:
        read = snapshot_of(path, folder) or path
        outcome = _store(engine, path, result, read, read_as.pop(path, None))
        forget_snapshot(path, folder)
        seen.append(stats[path])
        report(outcome)
    load.remember_stats(engine, seen)


def _store(
    engine: sa.Engine,
    path: Path,
    result: ParsedDocument | RectrackError,
    read: Path,
    origin: Origin | None = None,
) -> FileOutcome:
    """One document's transaction: its records, or a ``failed`` row with the reason (and the
    hash of ``origin``, the version planned, else of ``read``, the copy that was read)."""
    import load
    from extract import WorkspaceError

    if isinstance(result, WorkspaceError):
        raise result  # the temporary folder's fault, not the file's: stop, mark nothing
    if isinstance(result, RectrackError):
        load.record_failure(engine, _info_for_failure(read, origin), result.message)
        return FileOutcome(path.name, path, "failed", error=result.message)
    try:
        n = load.load_document(engine, result)
    except load.DatabaseFault:
        raise
    except RectrackError as exc:
        load.record_failure(engine, result.info, exc.message)
        return FileOutcome(path.name, path, "failed", error=exc.message)
    resolved = load.resolve_document(result)  # the note and warnings load_document stored
    return FileOutcome(
        path.name,
        path,
        "loaded",
        agency=result.info.agency,
        records=n,
        unmapped=result.unmapped,
        note=resolved.note,
        warnings=resolved.warnings,
    )
