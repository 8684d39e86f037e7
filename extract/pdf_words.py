"""pdfplumber's word extractor, the same words in a fraction of the time.

``pdfplumber.utils.extract_words(chars, return_chars=True)`` with its default settings is
what every step of the PDF reader builds on (text lines, unruled tables). Written for every
setting and direction, it costs about 3 µs a character in Python: on a prose page of 3,000
characters more than PDFium needs to read the page. :func:`upright_words` does the same steps
for upright text with the default settings, with the per-character work done by numpy:

1. chars are clustered into lines by ``top`` (pdfplumber's ``cluster_objects``: distinct
   values sorted, a new cluster where a value exceeds the previous one by more than
   ``y_tolerance``), lines in cluster order, chars of a line by ``x0`` (both sorts stable);
2. a word ends at a blank char (dropped), before and after a char with empty text, at a line
   change, and where the next char starts left of the previous one's ``x0``, more than
   ``x_tolerance`` right of its ``x1``, or more than ``y_tolerance`` above or below it;
3. a word's box is the union of its chars' boxes, its text their texts with ligatures
   expanded.

Non-upright chars are left out, as the reader's steps leave them out. Equality with
pdfplumber, word for word and float for float, is tested on the corpus's pages
(tests/extract/test_pdf.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from pdfplumber.utils.text import LIGATURES

X_TOLERANCE = 3  # pdfplumber's defaults (utils.text.DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE)
Y_TOLERANCE = 3

Obj = dict[str, Any]
_LIGATURES = str.maketrans(LIGATURES)


class Columns(NamedTuple):
    """A page's chars as arrays, in the order of its char list, as a reader that has them
    anyway (``extract.pdfium``) hands them over: gathering them from the dicts again costs
    about a third of the word extraction."""

    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    upright: np.ndarray  # bool


def columns_of(chars: Sequence[Obj]) -> Columns:
    """The chars' boxes as arrays, gathered from the dicts (for a reader that hands over
    none: pdfminer's)."""
    n = len(chars)
    return Columns(
        np.fromiter([c["x0"] for c in chars], float, n),
        np.fromiter([c["x1"] for c in chars], float, n),
        np.fromiter([c["top"] for c in chars], float, n),
        np.fromiter([c["bottom"] for c in chars], float, n),
        np.fromiter([c.get("upright", True) for c in chars], bool, n),
    )


def upright_words(chars: Sequence[Obj], columns: Columns | None = None) -> list[Obj]:
    """``utils.extract_words([c for c in chars if c.get("upright", True)],
    return_chars=True)``, default settings. ``columns``: the same chars as arrays."""
    if columns is None or len(columns.x0) != len(chars):
        columns = columns_of(chars)
    keep = np.flatnonzero(columns.upright)
    if len(keep) < len(chars):
        chars = [chars[i] for i in keep.tolist()]
    x0, x1 = columns.x0[keep], columns.x1[keep]
    top, bottom = columns.top[keep], columns.bottom[keep]
    n = len(chars)
    if n == 0:
        return []
    line = _line_clusters(top)
    order = np.lexsort((x0, line))  # stable: pdfplumber's two stable sorts in one
    ordered = [chars[i] for i in order.tolist()]
    texts = [c["text"] for c in ordered]
    blank, empty = _blank_and_empty(texts)
    x0, x1, top, bottom, line = x0[order], x1[order], top[order], bottom[order], line[order]
    starts = np.ones(n, bool)
    starts[1:] = (
        (line[1:] != line[:-1])
        | blank[:-1]
        | empty[:-1]
        | empty[1:]
        | (x0[1:] < x0[:-1])
        | (x0[1:] > x1[:-1] + X_TOLERANCE)
        | (np.abs(top[1:] - top[:-1]) > Y_TOLERANCE)
    )
    keep = ~blank
    starts &= keep
    first = np.flatnonzero(starts)
    if first.size == 0:
        return []
    # A word runs from its first char to the last one before the next start or blank.
    term = np.ones(n, bool)
    term[:-1] = starts[1:] | blank[1:]
    stop = np.flatnonzero(term)
    ends = stop[np.searchsorted(stop, first)] + 1
    bounds = np.column_stack([first, ends]).ravel()  # reduce [first, end) of every word
    wx0 = np.minimum.reduceat(np.append(x0, 0.0), bounds)[::2]
    wx1 = np.maximum.reduceat(np.append(x1, 0.0), bounds)[::2]
    wtop = np.minimum.reduceat(np.append(top, 0.0), bounds)[::2]
    wbottom = np.maximum.reduceat(np.append(bottom, 0.0), bounds)[::2]
    starts_at, ends_at = first.tolist(), ends.tolist()
    whole = "".join(texts)
    if len(whole) == n:  # one str char per char: a word's text is a slice of the page's
        spans = [whole[s:e] for s, e in zip(starts_at, ends_at, strict=True)]
        if any(ligature in whole for ligature in LIGATURES):
            spans = [t.translate(_LIGATURES) for t in spans]
    else:
        spans = [
            "".join(LIGATURES.get(c, c) for c in texts[s:e])
            for s, e in zip(starts_at, ends_at, strict=True)
        ]
    groups = [ordered[s:e] for s, e in zip(starts_at, ends_at, strict=True)]
    heads = [ordered[s] for s in starts_at]
    tops = wtop.tolist()
    return [
        {
            "text": text,
            "x0": a,
            "x1": b,
            "top": t,
            "doctop": t + (head["doctop"] - head["top"]),
            "bottom": u,
            "upright": head["upright"],
            "height": h,
            "width": w,
            "direction": "ltr",
            "chars": group,
        }
        for text, a, b, t, u, h, w, head, group in zip(
            spans,
            wx0.tolist(),
            wx1.tolist(),
            tops,
            wbottom.tolist(),
            (wbottom - wtop).tolist(),
            (wx1 - wx0).tolist(),
            heads,
            groups,
            strict=True,
        )
    ]


def _blank_and_empty(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which texts are whitespace (``str.isspace``), which are empty. Where every text is one
    character, as the readers' chars are, numpy tests the page's text in one call instead of
    one Python call a char: its ``isspace`` reads the same Unicode table as ``str.isspace``
    (a NUL, an empty string to numpy, is no space to either)."""
    n = len(texts)
    whole = "".join(texts)
    if len(whole) == n and "" not in texts:
        letters = np.frombuffer(whole.encode("utf-32-le", "surrogatepass"), dtype="<U1")
        return np.char.isspace(letters), np.zeros(n, bool)
    blank = np.fromiter([t.isspace() for t in texts], bool, n)
    return blank, np.fromiter([t == "" for t in texts], bool, n)


def _line_clusters(top: np.ndarray) -> np.ndarray:
    """Cluster index of each value: distinct values sorted, a new cluster where one exceeds
    the previous by more than the tolerance (pdfplumber's ``cluster_list``)."""
    values, inverse = np.unique(top, return_inverse=True)
    breaks = np.empty(len(values), np.int64)
    breaks[0] = 0
    breaks[1:] = values[1:] > values[:-1] + Y_TOLERANCE
    return np.cumsum(breaks)[inverse.reshape(-1)]
