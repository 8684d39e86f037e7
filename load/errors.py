from core.errors import LoadError, RectrackError

__all__ = ["LoadError", "RectrackError"]
