"""Extract stage: a file into the document model, and its tables into raw records.

Takes a path and an :class:`ExtractConfig`; gives a :class:`core.model.Document`
(``read_document``, or ``read_or_plan`` / ``run_job`` / ``assemble`` for a caller that reads
a long PDF's pages in several processes). Readers are picked from ``READERS`` by the format the
file's bytes show (not its suffix), after the pre-parse safety checks (``extract.safety``);
``extract.recognizers.recognize`` then turns tables into records.
"""

from __future__ import annotations

from .config import ExtractConfig
from .jobs import (
    READERS,
    PageJob,
    Plan,
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
    "assemble",
    "read_document",
    "read_or_plan",
    "run_job",
    "snapshot",
]
