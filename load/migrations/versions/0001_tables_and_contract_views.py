"""Tables documents, assessments, unmapped_labels (and, until revision 0005, the contract views).

The views are no longer created here: since revision 0005 they exist only at the head
revision, made from the current ``.sql`` files, which may use columns added by any revision
(load/views/README.md, "Changing a view"). Databases made by the first text of this revision
had them; revision 0005 drops and recreates them.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from load.views import drop_views

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_file", sa.Text, nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("pages", sa.Integer),
        sa.Column("size", sa.Integer),
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
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
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
    )
    op.create_index("ix_assessments_document_id", "assessments", ["document_id"])
    op.create_index("ix_assessments_rec", "assessments", ["review_symbol", "rec_number"])
    op.create_table(
        "unmapped_labels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
    )
    op.create_index("ix_unmapped_labels_document_id", "unmapped_labels", ["document_id"])


def downgrade() -> None:
    drop_views(op.get_bind())
    op.drop_table("unmapped_labels")
    op.drop_table("assessments")
    op.drop_table("documents")
