from rectrack.errors import NormalizeError, RectrackError

__all__ = ["NormalizeError", "RectrackError"]
