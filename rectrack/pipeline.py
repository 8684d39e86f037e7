"""``run`` chains the stages: extract (read + recognize), normalize, load.

Parsing happens in worker processes (``rectrack.isolate``); the parent process is the only
database writer, one transaction per document, so a crash or a bad file costs only itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectrack.errors import RectrackError
from rectrack.model import DocumentInfo, ParsedDocument, Unmapped

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
    from extract.identify import identify
    from extract.recognizers import recognize
    from normalize import normalize

    doc = read_document(path)
    identity = identify(doc)
    raw = recognize(doc)
    assessments, unmapped = normalize(raw, identity.agency)
    info = DocumentInfo(
        source_file=path.name,
        sha256=doc.origin.sha256,
        format=doc.origin.format,
        pages=len(doc.pages) or None,
        agency=identity.agency,
        agency_name=identity.agency_name,
        document_symbol=identity.document_symbol,
        as_of=identity.as_of,
        size=doc.origin.size,
    )
    return ParsedDocument(info=info, assessments=assessments, unmapped=unmapped)


def warm_up() -> None:
    """Import the readers and build the stage caches (catalog, vocabularies, spaCy matchers)
    in this process, so forked workers inherit them instead of paying ~2 s each per file."""
    import pypdfium2  # noqa: F401  (imported for the side effect)

    from extract import docx, pdf, pdfium  # noqa: F401
    from extract.identify import default_catalog
    from extract.recognizers import vocab
    from normalize import normalize
    from rectrack import safety  # noqa: F401
    from rectrack.model import RawRecord

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
) -> RunSummary:
    """Ingest files into the database; unchanged files are skipped, failed ones retried only
    when asked."""
    import load
    from rectrack.isolate import run_isolated

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
    results: Iterator[tuple[Path, ParsedDocument | RectrackError]] = run_isolated(
        parse_file, todo, workers=n_workers, timeout_s=timeout_s, memory_mb=memory_mb
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
