"""core.text.fold and core.digest: the one spelling of whitespace folding and of a file's hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.digest import sha256_hex, sha256_of
from core.text import fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Partially\naccepted", "Partially accepted"),
        ("  In \t progress \r\n", "In progress"),
        ("Previously\u00a0\u2003“in progress”", "Previously “in progress”"),  # no-break, em space
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_fold_makes_every_whitespace_run_one_space(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert fold(folded) == folded  # idempotent


def test_file_and_bytes_hash_alike_across_chunks(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8193  # over 2 MiB: several chunks, the last one short
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    want = hashlib.sha256(data).hexdigest()
    assert sha256_of(path) == sha256_hex(data) == want
    assert sha256_of(tmp_path / "f.bin") != sha256_hex(data[:-1])
