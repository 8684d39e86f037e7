"""A stable key for a review when the document prints no symbol (no "JIU/REP/2021/3").

The key is ``<agency>:<slug>``: the title lower-cased, folded to ASCII, stop words and
punctuation dropped, its first ``words`` remaining words joined by hyphens (hyphenated words
such as "victim-centred" stay one word). The same title always gives the same key, so runs and
editions (PDF, DOCX) of a document agree. No title: ``<agency>:untitled``; no agency:
``unknown:...``.
"""

from __future__ import annotations

import re
import unicodedata

from core.text import fold

_STOP = frozenset(
    {
        "a", "an", "and", "the", "of", "on", "in", "for", "to", "by", "with", "from",
        "its", "their", "his", "her", "at", "as", "or", "into", "per", "s",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(title: str, words: int = 6) -> str:
    """``title`` as at most ``words`` hyphen-joined ASCII words, stop words left out."""
    title = title.replace("’", "'").replace("‘", "'")
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("'s ", " ").replace("'", "")
    kept = [w for w in _WORD.findall(folded) if w not in _STOP]
    return "-".join(kept[:words])


def review_key(
    review_symbol: str | None, review_title: str | None, agency: str | None, words: int = 6
) -> str:
    """The review symbol as printed, or a slug of the agency and title."""
    if review_symbol and review_symbol.strip():
        return fold(review_symbol)
    prefix = (agency or "").strip() or "unknown"
    slug = slugify(review_title or "", words)
    return f"{prefix}:{slug or 'untitled'}"
