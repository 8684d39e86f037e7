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
through the free workers meanwhile.
"""

from __future__ import annotations

import dataclasses
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
from core.model import Document, DocumentInfo, ParsedDocument, Unmapped
from extract.config import ExtractConfig
from extract.jobs import PageJob, Plan
from rectrack.config import RunConfig
from rectrack.executor import Executor, LocalPool

if TYPE_CHECKING:
    import sqlalchemy as sa

    from extract.pdf import PageData

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


def parse_file(path: Path, config: ExtractConfig | None = None) -> ParsedDocument:
    """Everything that can run away from the database: check, read, recognize, normalize.

    Runs in a worker process; raises only RectrackError (the isolation layer turns anything
    else into one)."""
    import extract

    return parse_document(extract.read_document(path, config), path.name)


def parse_document(doc: Document, source_file: str) -> ParsedDocument:
    """A document read by any reader -> identified, recognized and normalized records."""
    from extract.identify import identify
    from extract.recognizers import recognize_document
    from normalize import normalize

    identity = identify(doc)
    recognition = recognize_document(doc)
    assessments, unmapped = normalize(recognition.records, identity.agency)
    info = DocumentInfo(
        source_file=source_file,
        sha256=doc.origin.sha256,
        format=doc.origin.format,
        pages=len(doc.pages) or None,
        agency=identity.agency,
        agency_name=identity.agency_name,
        document_symbol=identity.document_symbol,
        as_of=identity.as_of,
        size=doc.origin.size,
    )
    return ParsedDocument(
        info=info,
        assessments=assessments,
        unmapped=unmapped,
        raw_records=recognition.records,
        warnings=recognition.warnings,
        note=recognition.note,
    )


@dataclass(eq=False)
class _Job:
    """One isolated job: a file (read whole, or planned in page ranges by
    ``extract.read_or_plan``), one page range of a split PDF, or its assembly."""

    path: Path  # the file as given
    kind: str  # 'file' | 'pages' | 'assemble'
    folder: Path  # the run's private folder: each file's snapshot is read from there
    index: int = 0  # 'pages': which of the plan's jobs
    plan: Plan | None = None
    results: list[list[PageData]] = field(default_factory=list)  # 'assemble'
    deadline: float | None = None  # the file's time budget ends (rectrack.isolate reads it)

    @property
    def name(self) -> str:  # how rectrack.isolate names the file in an error
        return self.path.name

    @property
    def pages(self) -> PageJob:
        assert self.plan is not None
        return self.plan.jobs[self.index]


@dataclass
class _Planned:
    """A worker's answer for a long PDF: read it in page ranges. ``started`` is when the
    file's first job began (``time.monotonic``, one clock for every process): the file's
    later jobs share what is left of its time budget."""

    plan: Plan
    started: float


@dataclass
class _Parts:
    """A split document's page ranges, as they come in."""

    plan: Plan
    received: dict[int, list[PageData]] = field(default_factory=dict)


def _work(
    config: ExtractConfig, workers: int, job: _Job
) -> ParsedDocument | _Planned | list[PageData]:
    """What a worker does with a job (forked: the job and the configuration are inherited,
    not pickled). A file is first copied (``extract.snapshot``): the checks, the reader and
    the hash then see one version of it, and so do the page ranges of a split PDF."""
    import extract

    if job.kind == "pages":
        return extract.run_job(job.pages, config)
    if job.kind == "assemble":
        assert job.plan is not None
        return parse_document(extract.assemble(job.plan, job.results, config), job.name)
    started = time.monotonic()
    private = extract.snapshot(job.path, job.folder, config)
    read = extract.read_or_plan(private, config, workers)
    if isinstance(read, Plan):
        return _Planned(read, started)
    return parse_document(read, job.name)


def _work_alone(
    config: ExtractConfig, workers: int, job: _Job
) -> ParsedDocument | _Planned | list[PageData]:
    """``_work`` on another machine: the private copy goes to a temporary folder of the
    job's own there (the run's folder is on the client), removed when the job ends."""
    with tempfile.TemporaryDirectory(prefix="rectrack-") as tmp:
        return _work(config, workers, dataclasses.replace(job, folder=Path(tmp)))


def parse_many(
    paths: Iterable[Path],
    config: RunConfig,
    folder: Path | None = None,
    executor: Executor | None = None,
) -> Generator[tuple[Path, ParsedDocument | RectrackError], None, None]:
    """``(path, parse_file(path) or the error)`` for each path, as documents complete, each
    job isolated (``rectrack.isolate``, within ``config.limits``: ``timeout_s`` bounds a
    file, all its jobs together) by ``executor``: the local pool of ``config.workers`` by
    default, or a cluster (``rectrack.cluster``).

    Each file is read from a private copy in ``folder`` (a temporary folder of its own when
    None, removed at the end; the caller's otherwise, see :func:`forget_snapshot`). On a
    cluster (``executor.remote``) the copy is made in a temporary folder of the job's own on
    the worker, and a long PDF is read whole by one worker: its page ranges would need the
    copy on a file system every worker shares.

    With several workers, a long PDF is read in page ranges by separate jobs, then assembled
    by one more (``extract.read_or_plan``); a range that fails fails its document, with a
    message naming the pages. Its ranges are queued first (the longest work first keeps the
    cores busy to the end); other files run in the free workers."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="rectrack-") as tmp:
            yield from parse_many(paths, config, Path(tmp), executor)
        return
    executor = executor or local_pool(config)
    workers = 1 if executor.remote else executor.slots
    jobs = deque(_Job(p, "file", folder) for p in paths)
    parts: dict[Path, _Parts] = {}
    work = functools.partial(_work_alone if executor.remote else _work, config.extract, workers)
    for job, result in executor.run(work, jobs):
        path = job.path
        if job.kind == "pages":
            if path not in parts:
                continue  # its document failed already
            if isinstance(result, RectrackError):
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
            deadline = result.started + config.limits.timeout_s
            n = len(result.plan.jobs)
            for i in reversed(range(n)):
                jobs.appendleft(_Job(path, "pages", folder, i, result.plan, deadline=deadline))
            continue
        assert isinstance(result, ParsedDocument | RectrackError)
        yield path, result


def local_pool(config: RunConfig) -> LocalPool:
    """The default executor: ``config.workers`` forked processes on this machine."""
    limits = config.limits
    return LocalPool(worker_count(config), limits.timeout_s, limits.memory_mb)


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


def warm_up() -> None:
    """Import the readers and build the stage caches (catalog, vocabularies, spaCy matchers)
    in this process, so forked workers inherit them instead of paying ~2 s each per file."""
    import pypdfium2  # noqa: F401  (imported for the side effect)

    from core.model import RawRecord
    from extract import (  # noqa: F401
        docx,
        pdf,
        pdfium,
        safety,
    )
    from extract.identify import default_catalog
    from extract.recognizers import vocab
    from normalize import normalize

    default_catalog()
    vocab.load()
    stated = RawRecord(
        recognizer="warm-up",
        rec_number=1,
        addressee_raw="Executive heads",
        acceptance_raw="accepted",
        implementation_raw="implemented",
        deadline_raw="2021",
    )
    prose = RawRecord(  # no labels: acceptance and addressee read from prose (spaCy matchers)
        recognizer="warm-up",
        rec_number=2,
        # a word broken at a line end: normalize.text loads its English word list here
        rec_text="The executive heads should review the imple-\nmentation by the end of 2022.",
        acceptance_prose="The organization accepts this recommendation.",
    )
    normalize([stated, prose], None)


def _info_for_failure(path: Path) -> DocumentInfo:
    """What a failed row says of the file: name, format by suffix, hash and size of ``path``
    (the private copy that was read, when there is one)."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = "pdf" if suffix == "pdf" else "docx"
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
        results = parse_many(todo, config, folder, executor)
        load_parsed(engine, results, stats, report, folder)
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
) -> None:
    """Store each parse result as it comes (a document, or its failure), then the metadata
    of the files parsed, so that the next run skips them unread. A
    :class:`load.DatabaseFault` stops here: no document is marked failed for it."""
    import load

    seen: list[Stat] = []
    for path, result in results:
        outcome = _store(engine, path, result, snapshot_of(path, folder) or path)
        forget_snapshot(path, folder)
        seen.append(stats[path])
        report(outcome)
    load.remember_stats(engine, seen)


def _store(
    engine: sa.Engine, path: Path, result: ParsedDocument | RectrackError, read: Path
) -> FileOutcome:
    """One document's transaction: its records, or a ``failed`` row with the reason (and the
    hash of ``read``, the copy that was read)."""
    import load

    if isinstance(result, RectrackError):
        load.record_failure(engine, _info_for_failure(read), result.message)
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
