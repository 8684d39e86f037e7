"""Every oversight body, recommendations as printed, the data's state, raw records.

- ``assessments``: ``rec_id`` (the identifier as printed: ``3(a)``, ``1.2``, ``#1``), one row
  per (document, review_symbol, rec_id); ``rec_number`` becomes nullable (an unnumbered
  recommendation has none); ``body`` (the issuing oversight body), ``rec_text_raw`` (the text
  as printed; ``rec_text`` is now joined), ``status_page``.
- ``documents``: ``checked_at`` (the last run that saw the file), ``warnings``,
  ``read_warnings`` and ``note``; ``status`` is the data's state, ``loaded`` or ``failed``: rows
  an earlier run marked ``skipped`` (they hold their records) become ``loaded``.
- ``raw_records``: each document's raw records, for ``rectrack renormalize``.
- Views: ``v_assessments``/``v_latest_status`` gain the new columns, ``v_latest_status`` is
  keyed on ``rec_id``, ``v_rates`` is per (agency, body), ``v_documents`` gains ``checked_at``,
  ``warnings``, ``note``; the views that key on a recommendation follow ``rec_id``.

Backfill of earlier rows: ``rec_id`` = ``rec_number`` as text; ``rec_text_raw`` = ``rec_text``
(stored before text was joined); ``body`` = ``JIU`` for reviews whose symbol starts ``JIU/``
(the only body read before), else ``other``; ``checked_at`` = ``ingested_at``. Such documents
have no raw records: ``rectrack renormalize`` names them, and ``rectrack run --force`` reads
them again.

The views are dropped first (SQLite rebuilds ``assessments`` to change its constraints, and
a view naming a table being renamed breaks the rename) and created again at the end from the
current ``.sql`` files. From this revision on, the views exist only at the head revision:
earlier revisions create tables only (load/views/README.md, "Changing a view").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from load.views import drop_views, refresh_views

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    drop_views(bind)
    op.add_column("assessments", sa.Column("rec_id", sa.Text))
    op.add_column("assessments", sa.Column("rec_text_raw", sa.Text))
    op.add_column("assessments", sa.Column("body", sa.Text))
    op.add_column("assessments", sa.Column("status_page", sa.Integer))
    bind.execute(
        sa.text(
            "UPDATE assessments SET rec_id = CAST(rec_number AS VARCHAR(20)), "
            "rec_text_raw = rec_text, "
            "body = CASE WHEN review_symbol LIKE 'JIU/%' THEN 'JIU' ELSE 'other' END"
        )
    )
    with op.batch_alter_table("assessments") as batch:
        batch.alter_column("rec_id", existing_type=sa.Text, nullable=False)
        batch.alter_column("body", existing_type=sa.Text, nullable=False)
        batch.alter_column("rec_number", existing_type=sa.Integer, nullable=True)
        batch.drop_constraint("uq_assessments_document_rec", type_="unique")
        batch.create_unique_constraint(
            "uq_assessments_doc_rec_id", ["document_id", "review_symbol", "rec_id"]
        )
        batch.drop_index("ix_assessments_rec")
        batch.create_index("ix_assessments_rec_id", ["review_symbol", "rec_id"])

    op.add_column("documents", sa.Column("checked_at", sa.DateTime(timezone=True)))
    op.add_column("documents", sa.Column("warnings", sa.Text))
    op.add_column("documents", sa.Column("read_warnings", sa.Text))
    op.add_column("documents", sa.Column("note", sa.Text))
    bind.execute(sa.text("UPDATE documents SET checked_at = ingested_at"))
    bind.execute(sa.text("UPDATE documents SET status = 'loaded' WHERE status = 'skipped'"))

    op.create_table(
        "raw_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_raw_records_document_id", "raw_records", ["document_id"])

    bind.execute(sa.text("DELETE FROM view_definitions"))  # recreate every view
    refresh_views(bind)


def downgrade() -> None:
    """Back to 0004's tables, keeping every row that 0004 can hold.

    A document's second recommendation of one number (``3(a)`` beside ``3(b)``) and an
    unnumbered one cannot be stored at 0004 (``rec_number`` was required and unique per
    review): those rows are dropped. Views are left to the code that opens the database (it
    creates its own from its ``.sql`` files: the recorded hashes are cleared).
    """
    bind = op.get_bind()
    drop_views(bind)
    bind.execute(sa.text("DELETE FROM view_definitions"))
    op.drop_index("ix_raw_records_document_id", table_name="raw_records")
    op.drop_table("raw_records")
    bind.execute(
        sa.text(
            "DELETE FROM assessments WHERE rec_number IS NULL OR id NOT IN ("
            "SELECT MIN(id) FROM assessments GROUP BY document_id, review_symbol, rec_number)"
        )
    )
    for column in ("checked_at", "warnings", "read_warnings", "note"):
        # a plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of documents would cascade
        bind.exec_driver_sql(f"ALTER TABLE documents DROP COLUMN {column}")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_rec_id")
        batch.drop_constraint("uq_assessments_doc_rec_id", type_="unique")
        batch.alter_column("rec_number", existing_type=sa.Integer, nullable=False)
        batch.create_unique_constraint(
            "uq_assessments_document_rec", ["document_id", "review_symbol", "rec_number"]
        )
        batch.create_index("ix_assessments_rec", ["review_symbol", "rec_number"])
        batch.drop_column("status_page")
        batch.drop_column("body")
        batch.drop_column("rec_text_raw")
        batch.drop_column("rec_id")
