"""File metadata: ``documents.mtime_ns`` beside ``size``, so a rerun can tell an unchanged
file by name, size and modification time without hashing it (see load/filestat.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("mtime_ns", sa.BigInteger, nullable=True))


def downgrade() -> None:
    """A plain ``DROP COLUMN`` (SQLite >= 3.35): a batch table rebuild would drop
    ``documents`` and, with foreign keys on, cascade-delete every assessment."""
    op.get_bind().exec_driver_sql("ALTER TABLE documents DROP COLUMN mtime_ns")
