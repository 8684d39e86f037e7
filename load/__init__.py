"""Load stage: parsed documents into a SQL database whose views are the public contract.

Knows nothing of PDF or DOCX: it takes :class:`core.model.ParsedDocument` values.
"""

from core.errors import LoadError, RectrackError

from .config import LoadConfig
from .db import DatabaseFault, connect, environment_fault, open_db, upgrade
from .export import export_view
from .filestat import StoredFile, known_stat, record_skipped_many, remember_stats, stored_files
from .store import (
    NO_RECORDS_NOTE,
    Resolved,
    StoredRaw,
    known_document,
    load_document,
    record_failure,
    record_skipped,
    replace_assessments,
    resolve_document,
    stored_raw_records,
    unmapped_labels,
)
from .views import VIEWS

__all__ = [
    "NO_RECORDS_NOTE",
    "VIEWS",
    "DatabaseFault",
    "LoadConfig",
    "LoadError",
    "RectrackError",
    "Resolved",
    "StoredFile",
    "StoredRaw",
    "connect",
    "environment_fault",
    "export_view",
    "known_document",
    "known_stat",
    "load_document",
    "open_db",
    "record_failure",
    "record_skipped",
    "record_skipped_many",
    "remember_stats",
    "replace_assessments",
    "resolve_document",
    "stored_files",
    "stored_raw_records",
    "unmapped_labels",
    "upgrade",
]
