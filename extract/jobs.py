"""Extract's front door: a file into a :class:`core.model.Document`, in one job or several.

A caller that reads files one by one needs only :func:`read_document`. A caller whose files
may change while they are read first takes a :func:`snapshot` (a private copy) and reads that.
A caller that spreads work over processes (``rectrack.pipeline``) calls :func:`read_or_plan`
on each file: a file is checked (``extract.safety``) and read whole, or, when it is a PDF
long enough to be worth it and its pages can be read apart with the same result, answered
with a :class:`Plan` of page-range jobs. Each :class:`PageJob` runs anywhere
(:func:`run_job`), and :func:`assemble` makes the document from their results, equal to what
one whole read gives. All of these take untrusted bytes into third-party parsers: run them in
an isolated worker (``rectrack.isolate``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ExtractError, RectrackError
from core.model import Document, Origin

from .config import MIN_CHUNK_PAGES, ExtractConfig
from .safety import check_file

if TYPE_CHECKING:
    from .pdf import PageData


def _pdf(path: Path, config: ExtractConfig) -> Document:
    from . import pdf

    return pdf.convert(path, config.pdf)


def _docx(path: Path, config: ExtractConfig) -> Document:
    from . import docx

    return docx.convert(path)


Reader = Callable[[Path, ExtractConfig], Document]
READERS: dict[str, Reader] = {"pdf": _pdf, "docx": _docx}


@dataclass(frozen=True)
class PageJob:
    """Pages ``first``..``last`` (1-based, inclusive) of one PDF."""

    path: Path
    first: int
    last: int

    @property
    def name(self) -> str:  # how rectrack.isolate names the file in an error
        return self.path.name


@dataclass(frozen=True)
class Plan:
    """A long PDF to be read in page ranges: run every job, then :func:`assemble`."""

    origin: Origin
    jobs: tuple[PageJob, ...]


def snapshot(path: Path, folder: Path, config: ExtractConfig) -> Path:
    """A private copy of ``path`` in ``folder`` (same file name), read from the original once.

    The checks, the reader and the hash then see one version of the file, even when the
    original changes while it is read: a file rewritten during a run would otherwise be
    hashed from one version and parsed from another (the reader opens the path more than
    once). At most ``limits.max_bytes`` + 1 bytes are copied: a larger file is refused by the
    size check all the same. The copy appears whole (written aside, then renamed) or not at
    all."""
    target = folder / path.name
    partial = folder / f".{path.name}.part"
    budget = config.limits.max_bytes + 1
    try:
        src = path.open("rb")
    except OSError as exc:
        raise _unreadable(exc, path) from None
    with src:
        try:
            dst = partial.open("wb")
        except OSError as exc:
            raise _unwritable(exc, folder) from None
        try:
            with dst:
                while budget > 0:
                    try:
                        chunk = src.read(min(1 << 20, budget))
                    except OSError as exc:
                        raise _unreadable(exc, path) from None
                    if not chunk:
                        break
                    dst.write(chunk)
                    budget -= len(chunk)
            os.replace(partial, target)
        except OSError as exc:  # writing, flushing or renaming the copy: our side
            partial.unlink(missing_ok=True)
            raise _unwritable(exc, folder) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return target


class WorkspaceError(RectrackError):
    """The private copy of a file could not be written (the temporary folder is full or
    unwritable): the environment's fault, not the file's. A run stops on it."""


def _unreadable(exc: OSError, path: Path) -> ExtractError:
    return ExtractError(f"cannot read the file ({exc.strerror or exc})", file=path.name)


def _unwritable(exc: OSError, folder: Path) -> WorkspaceError:
    return WorkspaceError(
        f"cannot write a private copy of a file in {folder} ({exc.strerror or exc}): "
        "free space there or set TMPDIR to a folder with room"
    )


def read_document(path: Path, config: ExtractConfig | None = None) -> Document:
    """Check ``path`` and read it whole with the reader for its real format."""
    config = config or ExtractConfig()
    fmt = check_file(path, config.limits)
    return READERS[fmt](path, config)


def read_or_plan(path: Path, config: ExtractConfig, workers: int) -> Document | Plan:
    """Check ``path``; read it whole, or plan its page ranges when ``workers`` > 1 and it is
    a PDF of more than ``config.split_pages`` pages whose ranges read as the whole does."""
    from . import pdf

    fmt = check_file(path, config.limits)
    if fmt == "pdf" and workers > 1:
        n = pdf.page_count(path)
        if n > config.split_pages and pdf.splittable(path, config.pdf):
            ranges = page_ranges(n, workers, config.chunk_pages)
            jobs = tuple(PageJob(path, first, last) for first, last in ranges)
            return Plan(pdf.origin_of(path), jobs)
    return READERS[fmt](path, config)


def run_job(job: PageJob, config: ExtractConfig) -> list[PageData]:
    """The pages of one range, as plain values (picklable)."""
    from . import pdf

    return pdf.read_page_range(job.path, job.first, job.last, config.pdf)


def assemble(plan: Plan, results: list[list[PageData]], config: ExtractConfig) -> Document:
    """The document from its jobs' results, given in the plan's order."""
    from . import pdf

    pages = [page for result in results for page in result]
    return pdf.assemble(plan.origin, pages, config.pdf)


def page_ranges(pages: int, workers: int, chunk_pages: int | None = None) -> list[tuple[int, int]]:
    """1-based inclusive ranges covering ``pages``: ``chunk_pages`` each, by default one per
    worker but at least ``MIN_CHUNK_PAGES``."""
    size = chunk_pages or max(MIN_CHUNK_PAGES, math.ceil(pages / max(workers, 1)))
    return [(a, min(pages, a + size - 1)) for a in range(1, pages + 1, size)]
