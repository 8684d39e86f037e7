"""Load stage: parsed documents into a SQL database whose views are the public contract.

Takes :class:`core.model.ParsedDocument` values and a :class:`LoadConfig` (which database:
a file path or any SQLAlchemy URL); gives the tables and the views of docs/database.md
(``load/views/*.sql``), created or upgraded with Alembic, and reads back what the pipeline
needs (stored files and hashes, raw records to renormalize, unmapped labels, a view as a
file). Imports only ``core`` of the project: it knows nothing of PDF or DOCX.
"""

from core.errors import LoadError, RectrackError

from .config import LoadConfig
from .db import DatabaseFault, connect, environment_fault, open_db, upgrade
from .export import export_view
from .filestat import StoredFile, record_skipped_many, remember_stats, stored_files
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
