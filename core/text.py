"""Whitespace folding, written once for every stage.

Text reaches rectrack with the spacing of the page it was printed on: a PDF cell breaks a
label over lines, a DOCX run carries tabs, a header repeats spaces to align. Wherever two
strings must compare equal or one line must be printed, the spacing is folded the same way
here, so "Partially\\naccepted" and "Partially  accepted" can never drift apart between stages.
"""

from __future__ import annotations


def fold(text: str) -> str:
    """``text`` with every run of whitespace (any Unicode space, tab or line break) made one
    space, and none at either end: ``fold(" a\\n\\tb ") == "a b"``."""
    return " ".join(text.split())
