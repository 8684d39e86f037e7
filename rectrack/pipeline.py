"""``run`` chains the stages: extract (read + recognize), normalize, load.

Parsing happens in worker processes (``rectrack.isolate``); the parent process is the only
database writer, one transaction per document, so a crash or a bad file costs only itself.

With several workers, a PDF longer than ``SPLIT_PAGES`` pages is split: workers read page
ranges into the reader's per-page values (``extract.pdf.read_page_range``), and one more
isolated job assembles them (``extract.pdf.assemble``) and recognizes and normalizes, so one
long document does not keep a single core busy while the others idle. The result is the one
an unsplit parse gives; other files keep flowing through the free workers meanwhile.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import RectrackError
from core.model import Document, DocumentInfo, ParsedDocument, Unmapped

if TYPE_CHECKING:
    from core.model import Origin
    from extract.pdf import PageData

SUFFIXES = (".pdf", ".docx")
SPLIT_PAGES = 24  # with several workers, a PDF longer than this is read in page ranges
MIN_CHUNK_PAGES = 8  # fewer pages per range would cost more in forks than it saves


@dataclass
class FileOutcome:
    source_file: str
    path: Path
    status: str  # 'loaded' | 'failed' | 'skipped'
    agency: str | None = None
    records: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    error: str | None = None


@dataclass
class RunSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def discover(paths: Iterable[Path]) -> list[Path]:
    """PDF and DOCX files under the given files and folders (recursively), sorted, unique."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for sub in sorted(path.rglob("*")):
                if (
                    sub.is_file()
                    and sub.suffix.lower() in SUFFIXES
                    and not sub.name.startswith(("~$", "."))
                ):
                    found[sub] = None
        elif path.is_file():
            found[path] = None
        else:
            raise RectrackError(f"no such file or folder: {path}")
    return list(found)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_file(path: Path) -> ParsedDocument:
    """Everything that can run away from the database: check, read, recognize, normalize.

    Runs in a worker process; raises only RectrackError (the isolation layer turns anything
    else into one)."""
    from extract import read_document

    return parse_document(read_document(path), path.name)


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
        warnings=recognition.warnings,
        note=recognition.note,
    )


def page_ranges(pages: int, workers: int, chunk_pages: int | None = None) -> list[tuple[int, int]]:
    """1-based inclusive ranges covering ``pages``: ``chunk_pages`` each, by default one per
    worker but at least ``MIN_CHUNK_PAGES``."""
    size = chunk_pages or max(MIN_CHUNK_PAGES, math.ceil(pages / max(workers, 1)))
    return [(a, min(pages, a + size - 1)) for a in range(1, pages + 1, size)]


@dataclass(eq=False)
class _Job:
    """One isolated job: a whole file, a first look at a PDF that may be split, a page
    range of one, or the assembly of a split document's pages."""

    path: Path
    kind: str  # 'file' | 'probe' | 'pages' | 'assemble'
    first: int = 0
    last: int = 0
    split_pages: int = SPLIT_PAGES
    origin: Origin | None = None
    pages: list[PageData] = field(default_factory=list)

    @property
    def name(self) -> str:  # how rectrack.isolate names the file in an error
        return self.path.name


@dataclass
class _Split:
    """A probe's answer: this PDF is long, read it in page ranges."""

    origin: Origin
    pages: int


@dataclass
class _Parts:
    """A split document's page ranges, as they come in."""

    origin: Origin
    expected: int
    received: dict[int, list[PageData]] = field(default_factory=dict)


def _work(job: _Job) -> ParsedDocument | _Split | list[PageData]:
    """What a worker does with a job (forked: the job itself is inherited, not pickled)."""
    from extract import READERS, pdf
    from extract.safety import check_file

    if job.kind == "file":
        return parse_file(job.path)
    if job.kind == "pages":
        return pdf.read_page_range(job.path, job.first, job.last)
    if job.kind == "assemble":
        assert job.origin is not None
        return parse_document(pdf.assemble(job.origin, job.pages), job.path.name)
    fmt = check_file(job.path)  # probe: the safety check, then split or parse whole
    if fmt == "pdf":
        n = pdf.page_count(job.path)
        if n > job.split_pages and pdf.splittable(job.path):
            return _Split(pdf.origin_of(job.path), n)
    return parse_document(READERS[fmt](job.path), job.path.name)


def parse_many(
    paths: Iterable[Path],
    *,
    workers: int,
    timeout_s: float,
    memory_mb: int,
    split_pages: int = SPLIT_PAGES,
    chunk_pages: int | None = None,
) -> Iterator[tuple[Path, ParsedDocument | RectrackError]]:
    """``(path, parse_file(path) or the error)`` for each path, as documents complete, each
    job isolated (``rectrack.isolate``: ``timeout_s`` and ``memory_mb`` per job).

    With ``workers`` > 1, a PDF of more than ``split_pages`` pages is read in page ranges
    (``page_ranges``) by separate jobs, then assembled by one more; a range that fails fails
    its document, with a message naming the pages. Its ranges are queued first (the longest
    work first keeps the cores busy to the end); other files run in the free workers."""
    from rectrack.isolate import run_isolated

    kind = "probe" if workers > 1 else "file"  # a probe splits a long PDF, parses the rest
    jobs = deque(_Job(p, kind, split_pages=split_pages) for p in paths)
    parts: dict[Path, _Parts] = {}
    for job, result in run_isolated(_work, jobs, workers, timeout_s, memory_mb):
        path = job.path
        if job.kind == "pages":
            if path not in parts:
                continue  # its document failed already
            if isinstance(result, RectrackError):
                del parts[path]
                _drop_pages(jobs, path)
                yield path, _range_error(result, job)
                continue
            assert isinstance(result, list)
            done = parts[path]
            done.received[job.first] = result
            if len(done.received) == done.expected:
                del parts[path]
                pages = [p for first in sorted(done.received) for p in done.received[first]]
                jobs.appendleft(_Job(path, "assemble", origin=done.origin, pages=pages))
            continue
        if isinstance(result, _Split):
            ranges = page_ranges(result.pages, workers, chunk_pages)
            parts[path] = _Parts(result.origin, len(ranges))
            jobs.extendleft(_Job(path, "pages", a, b) for a, b in reversed(ranges))
            continue
        assert isinstance(result, ParsedDocument | RectrackError)
        yield path, result


def _drop_pages(jobs: deque[_Job], path: Path) -> None:
    """Forget the queued page ranges of a document that failed."""
    keep = [j for j in jobs if not (j.kind == "pages" and j.path == path)]
    jobs.clear()
    jobs.extend(keep)


def _range_error(error: RectrackError, job: _Job) -> RectrackError:
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
        rec_text="The executive heads should review the policy by the end of 2022.",
        acceptance_prose="The organization accepts this recommendation.",
    )
    normalize([stated, prose], None)


def _info_for_failure(path: Path) -> DocumentInfo:
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


def run(
    paths: Iterable[Path],
    db: str | None = None,
    *,
    workers: int | None = None,
    retry_failed: bool = False,
    force: bool = False,
    timeout_s: float = 300.0,
    memory_mb: int = 2048,
    on_outcome: Callable[[FileOutcome, int, int], None] | None = None,
    split_pages: int = SPLIT_PAGES,
    chunk_pages: int | None = None,
) -> RunSummary:
    """Ingest files into the database; unchanged files are skipped, failed ones retried only
    when asked. With several workers, long PDFs are read in page ranges (``parse_many``)."""
    import load

    engine = load.open_db(db)
    files = discover(paths)
    summary = RunSummary()
    todo: list[Path] = []
    stats: dict[Path, Stat] = {}
    seen: list[Stat] = []  # metadata to remember: files hashed or parsed in this run
    total = len(files)

    def report(outcome: FileOutcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome, len(summary.outcomes), total)

    # Documents are keyed by file name (the contract's source_file): a second file of the same
    # name elsewhere in the batch would replace the first, so it is refused instead.
    first_of: dict[str, Path] = {}
    for path in list(files):
        if path.name in first_of:
            files.remove(path)
            report(
                FileOutcome(
                    path.name,
                    path,
                    "failed",
                    error=f"same file name as {first_of[path.name]} in this batch; "
                    "documents are keyed by file name: rename one of them",
                )
            )
        else:
            first_of[path.name] = path

    stored = {} if force else load.stored_files(engine)
    skipped: list[Path] = []
    for path in files:
        stats[path] = stat = _stat(path)
        status = stored_status(path, stat, stored.get(path.name), seen)
        if status == "loaded" or (status == "failed" and not retry_failed):
            skipped.append(path)
        else:
            todo.append(path)
    load.record_skipped_many(engine, [p.name for p in skipped])
    load.remember_stats(engine, seen)
    seen.clear()
    for path in skipped:
        report(FileOutcome(path.name, path, "skipped"))

    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    if todo and n_workers > 0:
        warm_up()
    results = parse_many(
        todo,
        workers=n_workers,
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        split_pages=split_pages,
        chunk_pages=chunk_pages,
    )
    for path, result in results:
        if isinstance(result, RectrackError):
            message = result.message
            load.record_failure(engine, _info_for_failure(path), message)
            seen.append(stats[path])
            report(FileOutcome(path.name, path, "failed", error=message))
            continue
        seen.append(stats[path])
        try:
            n = load.load_document(engine, result)
        except RectrackError as exc:
            load.record_failure(engine, result.info, exc.message)
            report(FileOutcome(path.name, path, "failed", error=exc.message))
            continue
        report(
            FileOutcome(
                path.name,
                path,
                "loaded",
                agency=result.info.agency,
                records=n,
                unmapped=result.unmapped,
            )
        )
    load.remember_stats(engine, seen)
    engine.dispose()
    return summary
