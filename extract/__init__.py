"""Extract stage: a file into the document model, and its tables into raw records.

Takes a path and an :class:`ExtractConfig` (what the readers may open, how PDF pages are
read); gives a :class:`core.model.Document` (pages, text blocks, tables with provenance) and,
from it, :class:`core.model.RawRecord` values with every label as printed. The front door is
``extract.jobs``: ``read_document`` for one file, or ``read_or_plan`` / ``run_job`` /
``assemble`` for a caller that reads a long PDF's pages in several processes. Readers are
picked from ``READERS`` by the format the file's bytes show (not its suffix), after the
pre-parse safety checks (``extract.safety``); ``extract.identify`` names the reporting
organization, symbol and date, and ``extract.recognizers.recognize`` turns tables into
records. Imports only ``core`` of the project.
"""

from __future__ import annotations

from .config import ExtractConfig
from .jobs import (
    READERS,
    PageJob,
    Plan,
    WorkspaceError,
    assemble,
    read_document,
    read_or_plan,
    run_job,
    snapshot,
)

__all__ = [
    "READERS",
    "ExtractConfig",
    "PageJob",
    "Plan",
    "WorkspaceError",
    "assemble",
    "read_document",
    "read_or_plan",
    "run_job",
    "snapshot",
]
