"""What a parser worker runs: a file read whole or planned in page ranges, one page range,
or the assembly of a split document (check, read, identify, recognize, normalize).

Its own module, apart from ``rectrack.pipeline``: a worker unpickles its function and job
from here, and this module imports only ``core``, ``extract`` and ``normalize``, so a worker
forked from the fork server (``rectrack.forkserver``) never loads the run process's database
layer (SQLAlchemy, Alembic: ~25 MB of every worker's memory).
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.digest import sha256_of
from core.errors import ExtractError
from core.model import Document, DocumentInfo, ParsedDocument
from extract.config import ExtractConfig
from extract.jobs import PageJob, Plan
from normalize.config import NormalizeConfig

if TYPE_CHECKING:
    from extract.pdf import PageData


def parse_file(
    path: Path, config: ExtractConfig | None = None, normalize: NormalizeConfig | None = None
) -> ParsedDocument:
    """Everything that can run away from the database: check, read, recognize, normalize.

    Runs in a worker process; raises only RectrackError (the isolation layer turns anything
    else into one)."""
    import extract

    return parse_document(extract.read_document(path, config), path.name, normalize)


def parse_document(
    doc: Document, source_file: str, normalize: NormalizeConfig | None = None
) -> ParsedDocument:
    """A document read by any reader -> identified, recognized and normalized records
    (with ``normalize``'s vocabulary: the package's own by default)."""
    from extract.identify import identify
    from extract.recognizers import recognize_document
    from normalize import normalize as map_records

    identity = identify(doc)
    recognition = recognize_document(doc, own_symbol=identity.document_symbol)
    assessments, unmapped = map_records(recognition.records, identity.agency, normalize)
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
class Job:
    """One isolated job: a file (read whole, or planned in page ranges by
    ``extract.read_or_plan``), one page range of a split PDF, or its assembly."""

    path: Path  # the file as given
    kind: str  # 'file' | 'pages' | 'assemble'
    folder: Path  # the run's private folder: each file's snapshot is read from there
    index: int = 0  # 'pages': which of the plan's jobs
    plan: Plan | None = None
    results: list[list[PageData]] = field(default_factory=list)  # 'assemble'
    # The file's time budget ends (``time.monotonic()`` of this process; rectrack.isolate
    # reads it, a remote executor sends what is left of it in seconds).
    deadline: float | None = None

    @property
    def name(self) -> str:  # how rectrack.isolate names the file in an error
        return self.path.name

    @property
    def pages(self) -> PageJob:
        assert self.plan is not None
        return self.plan.jobs[self.index]


@dataclass
class Planned:
    """A worker's answer for a long PDF: read it in page ranges. ``spent`` is how long the
    file's first job took, in seconds measured where it ran (no clock is compared between
    machines): the file's later jobs share what is left of its time budget."""

    plan: Plan
    spent: float


def work(
    config: ExtractConfig, workers: int, job: Job, normalize: NormalizeConfig | None = None
) -> ParsedDocument | Planned | list[PageData]:
    """What a worker does with a job (the job and the configuration arrive pickled, through
    the fork server, or are inherited from the process that forked the worker). A file is
    first copied (``extract.snapshot``): the checks, the reader and the hash then see one
    version of it, and so do the page ranges of a split PDF."""
    import extract

    if job.kind == "pages":
        return extract.run_job(job.pages, config)
    if job.kind == "assemble":
        assert job.plan is not None
        return parse_document(extract.assemble(job.plan, job.results, config), job.name, normalize)
    started = time.monotonic()
    private = extract.snapshot(job.path, job.folder, config)
    read = extract.read_or_plan(private, config, workers)
    if isinstance(read, Plan):
        return Planned(read, time.monotonic() - started)
    return parse_document(read, job.name, normalize)


def work_alone(
    config: ExtractConfig, workers: int, job: Job, normalize: NormalizeConfig | None = None
) -> ParsedDocument | Planned | list[PageData]:
    """``work`` on another machine: the private copy goes to a temporary folder of the
    job's own there (the run's folder is on the client), removed when the job ends.

    A page range runs on any worker, where the copy its plan was made from is not: it reads
    the shared original instead (every worker sees the files at the same paths), from a copy
    of its own whose sha256 must be the plan's. A file rewritten since it was planned fails
    its document with that reason, so no document is assembled from two versions."""
    with tempfile.TemporaryDirectory(prefix="rectrack-") as tmp:
        job = dataclasses.replace(job, folder=Path(tmp))
        if job.kind == "pages":
            return pages_of_original(config, job)
        return work(config, workers, job, normalize)


def pages_of_original(config: ExtractConfig, job: Job) -> list[PageData]:
    """One page range read from a private copy of the original, if it is the version
    planned."""
    import extract

    assert job.plan is not None
    private = extract.snapshot(job.path, job.folder, config)
    if sha256_of(private) != job.plan.origin.sha256:
        raise ExtractError(
            "the file changed during the run (its bytes are no longer those its page ranges "
            "were planned from); nothing of it was loaded: run again to read the new version",
            file=job.name,
        )
    return extract.run_job(dataclasses.replace(job.pages, path=private), config)
