"""What the text around a table says about it: the review it belongs to, and to whom its
recommendations are addressed (WIPO's annex titles, a section heading)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from core.model import Block

from .vocab import Vocab, fold

_BULLET = re.compile(r"^[\s\-–—•·*▪]+")
_QUOTED = re.compile(r"[\"“”«]\s*(.+?)\s*[\"“”»]", re.DOTALL)
_TRAILER = re.compile(r"\s*(\(continued\)|\(cont(?:'d|\.)\)|\blink\b)\s*", re.IGNORECASE)
_HEADINGISH_MAX = 300
_TITLE_WORDS = re.compile(r"\b(review|evaluation|audit|inspection|assessment)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    review_symbol: str | None = None
    review_title: str | None = None
    addressee: str | None = None
    document_title: str | None = None


def title_after(symbol_end: int, text: str) -> str | None:
    rest = text[symbol_end:]
    quoted = _QUOTED.search(rest)
    if quoted:
        return fold(quoted.group(1))
    lines: list[str] = []
    for line in rest.splitlines():
        if lines and _BULLET.match(line) and _BULLET.match(line).group(0).strip():  # type: ignore[union-attr]
            break  # "- ITU Focal Point: ..." under the heading
        lines.append(line)
    title = _TRAILER.sub(" ", " ".join(lines))
    title = fold(title).strip(" -–—:")
    return title or None


def is_headingish(block: Block) -> bool:
    """A short block that looks like a heading: bold, a heading style, or mostly capitals."""
    text = block.text.strip()
    if not text or len(text) > _HEADINGISH_MAX:
        return False
    if block.bold or (block.style or "").lower().startswith(("heading", "title", "subtitle")):
        return True
    return _mostly_capitals(text)


@lru_cache(maxsize=4096)
def _mostly_capitals(text: str) -> bool:
    """More than 80 % of the letters are capitals ("ANNEX II. RECOMMENDATIONS ADDRESSED ...").

    Cached: one walk asks it of the same block up to five times (context, heading, review
    heading, document title, lettered lists), and the count letter by letter in Python was
    the recognizer's largest cost in a cProfile of the wild corpus. ``filter`` and ``map``
    with the ``str`` methods keep the count in C."""
    letters = "".join(filter(str.isalpha, text))
    return bool(letters) and sum(map(str.isupper, letters)) / len(letters) > 0.8


def update(ctx: Context, block: Block, vocab: Vocab) -> Context:
    """The context after reading ``block``."""
    text = block.text.strip()
    if len(text) <= _HEADINGISH_MAX:
        stripped = _BULLET.sub("", text)
        match = vocab.review_symbol.match(stripped)
        if match and not re.match(r"\s*\(recommendations?\b", stripped[match.end() :], re.I):
            symbol = match.group(1).upper()
            title = title_after(match.end(), stripped)
            same = symbol == ctx.review_symbol
            return replace(
                ctx,
                review_symbol=symbol,
                review_title=title if title or not same else ctx.review_title,
            )
    if is_headingish(block):
        heading = vocab.addressee_heading.search(fold(text))
        if heading:
            return replace(ctx, addressee=fold(heading.group(0)))
    if ctx.document_title is None and is_headingish(block) and _TITLE_WORDS.search(text):
        return replace(ctx, document_title=fold(text).strip("\"“”' "))
    return ctx
