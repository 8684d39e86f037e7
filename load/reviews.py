"""Facts read from a review's symbol, computed once at load time rather than in view SQL."""

from __future__ import annotations

import re

# JIU/REP/2020/8, JIU/NOTE/2019/1, JIU/ML/2016/4: series, year, number.
_JIU_SYMBOL = re.compile(r"^\s*JIU/[A-Z]+/(\d{4})/\d+", re.IGNORECASE)


def review_year(symbol: str) -> int | None:
    """The year a JIU review was issued, from its symbol; None for non-JIU slugs."""
    match = _JIU_SYMBOL.match(symbol)
    return int(match.group(1)) if match else None
