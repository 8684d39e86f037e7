"""Tables drawn without rules: columns from whitespace rivers, rows from vertical gaps.

Used only on pages where pdfplumber finds no ruled table. The rules, all geometric:

* **Rows.** Words are grouped into *bands*: runs of words whose vertical gap is at most the
  line spacing inside a cell (the page's smallest common gap between stacked lines, at most
  0.3 em: a table of one-line rows has no smaller gap to learn from) plus a margin. Cell
  padding sets the rows of a table apart, so each row is one band; a multi-line
  cell stays in its band, and columns whose lines do not align (a bold title over a
  paragraph, a spacer) close each other's gaps.
* **Columns.** A table starts at a *header band* whose words fall into three or more groups
  separated by gaps wider than a word space. Going down, each band narrows the x ranges no
  word crosses (*rivers*); the table ends at the first band that would leave fewer than two
  rivers, or after a large vertical gap. Columns lie between the rivers. A column with no
  header word is merged into its left neighbour (a river inside a column by chance, e.g.
  dates aligned in a monospace font).
* **Full-width rows.** A one-line band that crosses two or more rivers between table bands
  (a group heading such as a report symbol and title) is one cell spanning the table; such
  bands at the table's end are prose after it, not rows.
* Words are assigned to columns by their left edge and never split; lines of a cell are
  joined with "\\n", as pdfplumber does for ruled cells.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from core.model import BBox, Cell, Prov, Row, Table

from .pdf_layout import LINE_Y_TOLERANCE, is_bold
from .pdf_tables import Fragment
from .pdf_words import upright_words

MIN_COLS = 3  # columns an unruled table needs ...
MIN_BANDS = 3  # ... and bands (header + two rows) to be believed
IN_CELL_GAP = 0.3  # em: line spacing inside a cell is at most this (leading 1.3) ...
ROW_GAP_MARGIN = 0.2  # em: a vertical gap this much wider than in-cell line spacing ends a row
MAX_BAND_GAP = 2.5  # em: a vertical gap wider than this ends the table
JUSTIFIED_SPREAD = 0.5  # points: word gaps of a justified line differ by less
RIVER_SPACE = 1.05  # a river is wider than this many word spaces ...
RIVER_MIN = 0.1  # ... and than this many em

Span = tuple[float, float]
# Keys of pdfplumber's word dicts, read in C (sort keys, min and max).
_X0, _X1 = itemgetter("x0"), itemgetter("x1")
_TOP, _BOTTOM = itemgetter("top"), itemgetter("bottom")


def _reading_key(word: dict[str, Any]) -> tuple[int, float]:
    """Reading order: by line (``top`` rounded to the point), then left to right."""
    return round(word["top"]), word["x0"]


@dataclass
class _Band:
    words: list[dict[str, Any]]
    top: float
    bottom: float
    lines: int  # distinct text lines (by top)
    # Union of the word boxes along x, left to right: set once the band is complete, as
    # every table that could start above reads it again (it was a sort per read).
    spans: list[Span] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(map(_X0, self.words))

    @property
    def x1(self) -> float:
        return max(map(_X1, self.words))


def tables(
    chars: Sequence[dict[str, Any]],
    page: int,
    page_height: float,
    words: Sequence[dict[str, Any]] | None = None,
) -> list[Fragment]:
    """Unruled tables on one page, top to bottom (empty when nothing looks tabular).
    ``words``: the page's ``upright_words(chars)`` when the caller has them already."""
    if words is None:
        words = upright_words(chars)
    # Fewer than 20 upright chars: not a table. Counting the words' chars first spares
    # counting the page's (blank chars are in no word, so this count is never higher).
    if sum(len(w["chars"]) for w in words) < 20 and (
        sum(1 for c in chars if c.get("upright", True)) < 20
    ):
        return []
    if not words:
        return []
    words = sorted(words, key=_reading_key)
    size = statistics.median(float(w["chars"][0].get("size", 10.0)) for w in words)
    lines = _lines(words)
    space = _word_space(lines, size)
    min_river = max(RIVER_SPACE * space, RIVER_MIN * size)
    in_cell = min(_line_gap(lines), IN_CELL_GAP * size)
    bands = _bands(words, in_cell + ROW_GAP_MARGIN * size)
    out: list[Fragment] = []
    for start, end, spanning in _regions(bands, size, min_river):
        rel = [k - start for k in spanning]
        frag = _fragment(bands[start : end + 1], rel, min_river, page, page_height)
        if frag is not None:
            out.append(frag)
    return out


# --- geometry helpers -------------------------------------------------------------------


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    for w in words:
        if out and abs(w["top"] - out[-1][0]["top"]) <= LINE_Y_TOLERANCE:
            out[-1].append(w)
        else:
            out.append([w])
    for line in out:
        line.sort(key=_X0)
    return out


def _word_space(lines: list[list[dict[str, Any]]], size: float) -> float:
    """The typical gap between words of one line (a space in the body font)."""
    gaps = [
        b["x0"] - a["x1"]
        for line in lines
        for a, b in itertools.pairwise(line)
        if 0 < b["x0"] - a["x1"] < 0.8 * size
    ]
    return statistics.median(gaps) if gaps else 0.3 * size


def _line_gap(lines: list[list[dict[str, Any]]]) -> float:
    """Gap between a line and the next one below it that overlaps it: its low decile is
    the line spacing inside a paragraph or cell (row gaps add cell padding)."""
    spans = [
        (min(map(_X0, ln)), max(map(_X1, ln)), ln[0]["top"], max(map(_BOTTOM, ln))) for ln in lines
    ]
    gaps = []
    for i, (x0, x1, _top, bottom) in enumerate(spans):
        for ox0, ox1, otop, _ in spans[i + 1 : i + 8]:
            if ox0 < x1 and ox1 > x0 and otop > bottom - 1:
                gaps.append(otop - bottom)
                break
    if not gaps:
        return 0.0
    gaps.sort()
    return max(0.0, gaps[len(gaps) // 10])


def _bands(words: list[dict[str, Any]], threshold: float) -> list[_Band]:
    ordered = sorted(words, key=_TOP)
    out: list[_Band] = []
    for w in ordered:
        if out and w["top"] - out[-1].bottom <= threshold:
            band = out[-1]
            band.words.append(w)
            band.bottom = max(band.bottom, w["bottom"])
        else:
            out.append(_Band([w], w["top"], w["bottom"], 0))
    for band in out:
        band.lines = len(_lines(sorted(band.words, key=_reading_key)))
        band.spans = _spans(band.words)
    return out


def _spans(words: list[dict[str, Any]]) -> list[Span]:
    """Union of the word boxes along x."""
    out: list[list[float]] = []
    for w in sorted(words, key=_X0):
        if out and w["x0"] <= out[-1][1]:
            out[-1][1] = max(out[-1][1], w["x1"])
        else:
            out.append([w["x0"], w["x1"]])
    return [(a, b) for a, b in out]


def _gaps(band: _Band, min_river: float) -> list[Span]:
    spans = band.spans
    return [(a[1], b[0]) for a, b in itertools.pairwise(spans) if b[0] - a[1] >= min_river]


def _subtract(rivers: list[Span], spans: list[Span], min_river: float) -> list[Span]:
    out: list[Span] = []
    for lo, hi in rivers:
        pieces = [(lo, hi)]
        for a, b in spans:
            if b <= lo or a >= hi:
                continue
            pieces = [
                p
                for x0, x1 in pieces
                for p in ((x0, min(x1, a)), (max(x0, b), x1))
                if p[1] - p[0] > 0
            ]
        # A river is where no word is: keep its widest remaining piece, if wide enough.
        best = max(pieces, key=lambda p: p[1] - p[0], default=None)
        if best is not None and best[1] - best[0] >= min_river:
            out.append(best)
    return out


# --- regions --------------------------------------------------------------------------


def _grow(
    bands: list[_Band], start: int, size: float, min_river: float
) -> tuple[int, list[int], list[Span]]:
    """Last band of the table headed by ``bands[start]``, its full-width bands, its rivers."""
    rivers = _gaps(bands[start], min_river)
    end, spanning, pending = start, [], []
    for k in range(start + 1, len(bands)):
        band = bands[k]
        if band.top - bands[k - 1].bottom > MAX_BAND_GAP * size:
            break
        narrowed = _subtract(rivers, band.spans, min_river)
        crossed = len(rivers) - len(narrowed)
        if band.lines == 1 and crossed >= 2 and band.x0 < rivers[0][0]:
            pending.append(k)  # a full-width row if the table goes on below it
            continue
        if len(narrowed) < MIN_COLS - 1:
            break
        rivers, end = narrowed, k
        spanning += pending
        pending = []
    return end, spanning, rivers


def _regions(bands: list[_Band], size: float, min_river: float) -> list[tuple[int, int, list[int]]]:
    """Non-overlapping tables, those with most rows spread over columns first (then the
    longest): a title line above a header may start a short false region, the header
    starts the real one."""
    found: list[tuple[int, int, int, list[int]]] = []
    for start in range(len(bands)):
        gaps = _gaps(bands[start], min_river)
        if len(gaps) < MIN_COLS - 1 or _justified(bands[start], gaps):
            continue
        end, full, _ = _grow(bands, start, size, min_river)
        spread = _spread(bands, start, end, full, min_river)
        if spread:
            found.append((spread, start, end, full))
    found.sort(key=lambda t: (-t[0], -(t[2] - t[1]), t[1]))
    taken: list[tuple[int, int, list[int]]] = []
    for _, first, last, spanning in found:
        region = (first, last, spanning)
        if all(region[1] < s or region[0] > e for s, e, _ in taken):
            taken.append(region)
    return sorted(taken)


def _justified(band: _Band, gaps: list[Span]) -> bool:
    """One line whose every word gap is wide and the same width: justified prose, not a
    header (a header's gaps depend on its cells' widths)."""
    if band.lines != 1 or len(gaps) + 1 != len(band.words):
        return False
    widths = [hi - lo for lo, hi in gaps]
    return max(widths) - min(widths) < JUSTIFIED_SPREAD


def _spread(bands: list[_Band], start: int, end: int, spanning: list[int], min_river: float) -> int:
    """Rows spread over two or more columns (0: not a table). Enough rows, half of them
    (at least one) spread over two or more columns: a heading,
    a short title or a paragraph that happens to leave gaps is not a table; a page that
    opens with the rest of a row cut by the page break still is."""
    body = [bands[k] for k in range(start + 1, end + 1) if k not in spanning]
    if len(body) < MIN_BANDS - 1:
        return 0
    cuts = _columns(body, bands[start], min_river)
    if len(cuts) + 1 < MIN_COLS:
        return 0
    spread = sum(1 for b in body if len({_col(cuts, w["x0"]) for w in b.words}) >= 2)
    return spread if spread >= max(1, len(body) // 2) else 0


# --- fragment -------------------------------------------------------------------------


def _columns(body: list[_Band], header: _Band, min_river: float) -> list[float]:
    """Column boundaries (x), with columns that have no header word merged leftwards."""
    rivers = _gaps(header, min_river)
    for band in body:
        rivers = _subtract(rivers, band.spans, min_river)
    cuts = [(lo + hi) / 2 for lo, hi in rivers]
    kept: list[float] = []
    for i, cut in enumerate(cuts):
        right = cuts[i + 1] if i + 1 < len(cuts) else float("inf")
        if any(cut <= w["x0"] < right for w in header.words):
            kept.append(cut)
    return kept


def _col(cuts: list[float], x0: float) -> int:
    """The column a word starting at ``x0`` falls in: the number of cuts at or left of it
    (``cuts`` ascend, as the rivers they come from do)."""
    return bisect.bisect_right(cuts, x0)


def _cell_text(words: list[dict[str, Any]]) -> str:
    lines = _lines(sorted(words, key=_reading_key))
    return "\n".join(" ".join(w["text"] for w in ln) for ln in lines)


def _fragment(
    bands: list[_Band], spanning: list[int], min_river: float, page: int, page_height: float
) -> Fragment | None:
    full = set(spanning)  # indices into ``bands``
    cuts = _columns([b for i, b in enumerate(bands) if i not in full][1:], bands[0], min_river)
    n_cols = len(cuts) + 1
    if n_cols < MIN_COLS:
        return None
    words = [w for b in bands for w in b.words]
    x0 = min(map(_X0, words)) - 1
    x1 = max(map(_X1, words)) + 1
    top, bottom = bands[0].top - 1, bands[-1].bottom + 1
    edges = [x0, *cuts, x1]
    anchors = [float("inf")] * n_cols
    rows: list[Row] = []
    shares: list[float] = []
    for r, band in enumerate(bands):
        btop = band.top - 1 if r == 0 else (bands[r - 1].bottom + band.top) / 2
        bbot = band.bottom + 1 if r == len(bands) - 1 else (band.bottom + bands[r + 1].top) / 2
        chars = [c for w in band.words for c in w["chars"]]
        shares.append(sum(1 for c in chars if is_bold(c)) / len(chars) if chars else 0.0)
        row = Row(cells=[], prov=Prov(page, BBox(x0, btop, x1, bbot)))
        if r in full:
            box = BBox(x0, btop, x1, bbot)
            row.cells.append(
                Cell(_cell_text(band.words), r, 0, col_span=n_cols, prov=Prov(page, box))
            )
        else:
            per_col: list[list[dict[str, Any]]] = [[] for _ in range(n_cols)]
            for w in band.words:
                c = _col(cuts, w["x0"])
                per_col[c].append(w)
                anchors[c] = min(anchors[c], w["x0"])
            for c, ws in enumerate(per_col):
                box = BBox(edges[c], btop, edges[c + 1], bbot)
                row.cells.append(Cell(_cell_text(ws) if ws else "", r, c, prov=Prov(page, box)))
        rows.append(row)
    bbox = BBox(x0, top, x1, bottom)
    table = Table(rows=rows, n_cols=n_cols, prov=[Prov(page, bbox)])
    left = [a if a != float("inf") else e for a, e in zip(anchors, edges, strict=False)]
    return Fragment(table, page, bbox, left, page_height, shares, ruled=False)
