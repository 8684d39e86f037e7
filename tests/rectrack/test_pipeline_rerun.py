"""Reruns: an unchanged file is recognised by name, size and mtime_ns without reading it;
other metadata means a hash; --force parses everything."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rectrack import pipeline
from rectrack.config import RunConfig

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    src = min(CORPUS.glob("*.docx"), key=lambda p: p.stat().st_size)
    shutil.copy(src, docs / src.name)
    return docs


def _statuses(folder: Path, db: Path, *, force: bool = False) -> list[str]:
    summary = pipeline.run([folder], RunConfig.build(db=str(db), workers=0, force=force))
    return [o.status for o in summary.outcomes]


class _Hashes:
    """Counts calls to the pipeline's file hash."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = pipeline.sha256_of

        def counted(path: Path) -> str:
            self.calls += 1
            return real(path)

        monkeypatch.setattr(pipeline, "sha256_of", counted)


def test_unchanged_file_is_skipped_without_hashing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.sqlite"
    assert _statuses(folder, db) == ["loaded"]
    hashes = _Hashes(monkeypatch)
    assert _statuses(folder, db) == ["skipped"]
    assert hashes.calls == 0


def test_touched_file_is_hashed_once_then_known_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.sqlite"
    _statuses(folder, db)
    (doc,) = folder.iterdir()
    st = doc.stat()
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    hashes = _Hashes(monkeypatch)
    assert _statuses(folder, db) == ["skipped"]
    assert hashes.calls == 1
    assert _statuses(folder, db) == ["skipped"]
    assert hashes.calls == 1  # the new mtime was remembered


def test_changed_bytes_are_parsed_again(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    _statuses(folder, db)
    (doc,) = folder.iterdir()
    with doc.open("ab") as fh:
        fh.write(b"\0")  # zip readers ignore trailing bytes; the hash does not
    assert _statuses(folder, db) == ["loaded"]


def test_force_parses_even_when_metadata_is_restored(folder: Path, tmp_path: Path) -> None:
    """Bytes changed with size and mtime put back (a deliberate act) pass for unchanged:
    --force is the way out."""
    db = tmp_path / "db.sqlite"
    _statuses(folder, db)
    (doc,) = folder.iterdir()
    st = doc.stat()
    data = bytearray(doc.read_bytes())
    data[-1] ^= 0xFF
    doc.write_bytes(bytes(data))
    os.utime(doc, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert _statuses(folder, db) == ["skipped"]
    assert _statuses(folder, db, force=True) == ["loaded"]
