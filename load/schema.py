"""The tables behind the public views: the project's own design, free to change by migration.

Views (``load/views/*.sql``) are the contract; these tables are not. Every assessment and
unmapped label keeps its document id, page and bbox, so a number in a view can be traced back
to the place in the file it was read from.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Document status values: the state of the document's data (``v_documents.status``). A rerun
#: that skips an unchanged file does not change it; it sets ``checked_at``. (Before revision
#: 0005 a skipped file was stored as 'skipped'; 0005 turned those rows back into 'loaded'. The
#: table's CHECK, made by revision 0001, still admits the old value: changing a CHECK in
#: SQLite means rebuilding ``documents``, whose DROP would cascade to every assessment.)
STATUSES = ("loaded", "failed")

documents = sa.Table(
    "documents",
    metadata,
    # autoincrement: ids are never reused, so ``id`` is the ingestion order.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_file", sa.Text, nullable=False, unique=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("pages", sa.Integer),
    sa.Column("size", sa.Integer),
    sa.Column("mtime_ns", sa.BigInteger),  # added by revision 0004 (see load/filestat.py)
    sa.Column("agency", sa.Text),
    sa.Column("agency_name", sa.Text),
    sa.Column("document_symbol", sa.Text),
    sa.Column("as_of", sa.Date),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    # added by revision 0005:
    sa.Column("checked_at", sa.DateTime(timezone=True)),  # last run that saw the file
    sa.Column("warnings", sa.Text),  # doubts met reading and loading it, one per line; or null
    sa.Column("read_warnings", sa.Text),  # those of the reading alone (kept for renormalize)
    sa.Column("note", sa.Text),  # why a loaded document has no records
    sa.CheckConstraint("status IN ('loaded', 'failed', 'skipped')", name="ck_documents_status"),
    sqlite_autoincrement=True,
)

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("seq", sa.Integer, nullable=False),  # order within the document
    sa.Column("review_symbol", sa.Text, nullable=False),
    sa.Column("review_title", sa.Text),
    sa.Column("rec_id", sa.Text, nullable=False),  # added by revision 0005
    sa.Column("rec_number", sa.Integer),  # null since 0005: an unnumbered recommendation
    sa.Column("rec_text", sa.Text, nullable=False),
    sa.Column("rec_text_raw", sa.Text),  # added by revision 0005
    sa.Column("body", sa.Text, nullable=False),  # added by revision 0005
    sa.Column("addressee", sa.Text, nullable=False),
    sa.Column("acceptance", sa.Text, nullable=False),
    sa.Column("acceptance_raw", sa.Text),
    sa.Column("implementation", sa.Text, nullable=False),
    sa.Column("implementation_raw", sa.Text),
    sa.Column("previous_implementation", sa.Text),
    sa.Column("completed_year", sa.Integer),
    sa.Column("deadline", sa.Text),
    sa.Column("responsible", sa.Text),
    sa.Column("comment", sa.Text),
    sa.Column("page", sa.Integer),
    sa.Column("bbox_x0", sa.Float),
    sa.Column("bbox_top", sa.Float),
    sa.Column("bbox_x1", sa.Float),
    sa.Column("bbox_bottom", sa.Float),
    sa.Column("recognizer", sa.Text),
    sa.Column("status_page", sa.Integer),  # added by revision 0005
    sa.UniqueConstraint("document_id", "review_symbol", "rec_id", name="uq_assessments_doc_rec_id"),
    sa.Index("ix_assessments_rec_id", "review_symbol", "rec_id"),
)

unmapped_labels = sa.Table(
    "unmapped_labels",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("page", sa.Integer),
)

#: Added by revision 0005: each document's raw records (labels as printed, nothing mapped), so
#: ``rectrack renormalize`` can apply an edited vocabulary without parsing the file again.
#: ``record`` is :class:`core.model.RawRecord` as JSON (``core.model.to_dict``).
raw_records = sa.Table(
    "raw_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("seq", sa.Integer, nullable=False),  # order within the document
    sa.Column("record", sa.Text, nullable=False),
)

#: Added by revision 0002: one row per review symbol, with the year parsed from it once, in
#: Python, so the views need no dialect-specific string functions.
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("review_symbol", sa.Text, primary_key=True),
    sa.Column("review_year", sa.Integer),
)

#: Added by revision 0002: a hash of each view's SQL as created, so that opening the database
#: recreates the views when their ``.sql`` files changed (a fix to a view needs no revision;
#: a change of the views' names or columns still does, with a changelog note).
view_definitions = sa.Table(
    "view_definitions",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
)
