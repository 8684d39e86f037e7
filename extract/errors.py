from rectrack.errors import ExtractError, RectrackError

__all__ = ["ExtractError", "RectrackError"]
