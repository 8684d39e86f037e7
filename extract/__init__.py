"""Extract stage: a file into the document model, and its tables into raw records.

Readers are picked from ``READERS`` by the format the file's bytes show (not its suffix), after
the pre-parse safety checks; ``extract.recognizers.recognize`` then turns tables into records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.model import Document


def _pdf(path: Path) -> Document:
    from extract.pdf import convert

    return convert(path)


def _docx(path: Path) -> Document:
    from extract.docx import convert

    return convert(path)


READERS: dict[str, Callable[[Path], Document]] = {"pdf": _pdf, "docx": _docx}


def read_document(path: Path) -> Document:
    """Check ``path`` and read it with the reader for its real format."""
    from extract.safety import check_file

    fmt = check_file(path)
    return READERS[fmt](path)


__all__ = ["READERS", "read_document"]
