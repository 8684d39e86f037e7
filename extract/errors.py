from core.errors import ExtractError, RectrackError

__all__ = ["ExtractError", "RectrackError"]
