"""Alembic migrations of the rectrack schema, run by :func:`load.open_db` (no alembic.ini)."""
