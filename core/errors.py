"""The project's own error type: every failure a user can see is one of these."""

from __future__ import annotations


class RectrackError(Exception):
    """A failure tied to one input file, with a one-line reason a person can act on."""

    def __init__(self, message: str, *, file: str | None = None, page: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.page = page

    def __str__(self) -> str:
        where = self.file or ""
        if self.page is not None:
            where += f", page {self.page}"
        return f"{where}: {self.message}" if where else self.message


class ExtractError(RectrackError):
    """The file could not be read into a document (corrupt, encrypted, scanned, refused)."""


class NormalizeError(RectrackError):
    """Raw records could not be mapped: a bad vocabulary file (bad labels are reported)."""


class LoadError(RectrackError):
    """The database refused the document."""
