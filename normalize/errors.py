"""Errors of the normalize stage. A label no rule maps is *not* an error (it is reported as
:class:`core.model.Unmapped`); a vocabulary file that cannot be trusted is."""

from core.errors import NormalizeError, RectrackError


class VocabularyError(NormalizeError):
    """The vocabulary file is missing, not valid YAML, or maps to a value outside the scheme."""


__all__ = ["NormalizeError", "RectrackError", "VocabularyError"]
