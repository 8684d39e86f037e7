"""Editions: v_status_changes and v_previous_disagreements pair editions, not files (the PDF
and the DOCX of one report are one edition); view_definitions made sure to exist.

No view's name or columns change, only which rows ``v_status_changes`` holds, so the new SQL
alone would reach every database through the hash check in :func:`load.views.refresh_views`.
This revision is there for the databases that check cannot serve: the first text of revision
0002 (before 2026-11-22 02:01) created no ``view_definitions`` table, so such a database reads
``0002`` yet has nowhere to keep the hashes. It also marks the change of meaning in the
version history (see load/views/README.md, "Editions").

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from load.views import drop_views

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("view_definitions"):
        op.create_table(
            "view_definitions",
            sa.Column("name", sa.Text, primary_key=True),
            sa.Column("sha256", sa.String(64), nullable=False),
        )
    # forget the recorded hashes, so every view is recreated from the current files at the
    # head revision (since 0005, views exist only there: they may use any later column)
    bind.execute(sa.text("DELETE FROM view_definitions"))
    drop_views(bind)


def downgrade() -> None:
    """Nothing to undo: revision 0002 as it stands creates view_definitions, and the views are
    always those of the current ``.sql`` files (refreshed again on the next open at head)."""
