"""The one fingerprint of a file: its SHA-256, as stored in ``documents.sha256``.

The readers hash the bytes they parse and the pipeline hashes a file to decide whether it
changed since the last run; both must give the same hex string for the same bytes, so both
take it from here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20  # read a large file in 1 MiB pieces, never whole into memory


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes already in memory."""
    return hashlib.sha256(data).hexdigest()


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of the file at ``path``, read in chunks (equal to ``sha256_hex`` of its
    bytes)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
