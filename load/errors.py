from rectrack.errors import LoadError, RectrackError

__all__ = ["LoadError", "RectrackError"]
