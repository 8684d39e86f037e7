"""The tables behind the public views: the project's own design, free to change by migration.

Views (``load/views/*.sql``) are the contract; these tables are not. Every assessment and
unmapped label keeps its document id, page and bbox, so a number in a view can be traced back
to the place in the file it was read from.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Document status values shown in ``v_documents.status``.
STATUSES = ("loaded", "failed", "skipped")

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
    sa.Column("rec_number", sa.Integer, nullable=False),
    sa.Column("rec_text", sa.Text, nullable=False),
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
    sa.UniqueConstraint(
        "document_id", "review_symbol", "rec_number", name="uq_assessments_document_rec"
    ),
    sa.Index("ix_assessments_rec", "review_symbol", "rec_number"),
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
