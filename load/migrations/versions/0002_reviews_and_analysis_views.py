"""Tables reviews (year parsed from each symbol, backfilled) and view_definitions (and, until
revision 0005, the analysis views: since then views exist only at the head revision).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from load.reviews import review_year
from load.views import drop_views

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    reviews = op.create_table(
        "reviews",
        sa.Column("review_symbol", sa.Text, primary_key=True),
        sa.Column("review_year", sa.Integer),
    )
    op.create_table(
        "view_definitions",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    bind = op.get_bind()
    query = sa.text("SELECT DISTINCT review_symbol FROM assessments")
    symbols = bind.execute(query).scalars().all()
    rows = [{"review_symbol": s, "review_year": review_year(s)} for s in symbols]
    if rows:
        op.bulk_insert(reviews, rows)
    drop_views(bind)  # a database of the first text of 0001 has the contract views


def downgrade() -> None:
    bind = op.get_bind()
    drop_views(bind)
    op.drop_table("view_definitions")
    op.drop_table("reviews")
