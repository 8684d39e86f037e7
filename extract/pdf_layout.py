"""Text outside tables: chars -> lines -> running headers/footers dropped -> blocks.

Pure functions over pdfplumber's char dicts (top-left origin, points), so they can be tested
without a PDF and so a page's chars are read once.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from core.model import BBox, Block, Prov

from .pdf_config import PdfSettings
from .pdf_words import upright_words

LINE_Y_TOLERANCE = 3.0  # points: words whose tops differ by less share a line
WIDE_GAP = 1.5  # em: a gap this wide between words separates columns, not words
POSITION_TOLERANCE = 3.0  # points: a running header sits at the same height on every page

# Keys of pdfplumber's word and char dicts, read in C (sort keys, min and max over a line).
_X0, _X1 = itemgetter("x0"), itemgetter("x1")
_TOP, _BOTTOM = itemgetter("top"), itemgetter("bottom")
_TOP_X0 = itemgetter("top", "x0")

_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"\b[IVXLC]+\b|\b[ivx]+\b")
_SPACE = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^(page|p\.|pg\.?)?\s*[-–—]?\s*(\d{1,4}|[ivx]{1,5})\s*[-–—]?"
    r"(\s*(of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)


@dataclass
class Line:
    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # most common char size, 0.1 pt
    bold: int  # chars from a bold font
    n_chars: int
    segments: int = 1  # runs of words separated by gaps wider than WIDE_GAP em

    @property
    def bbox(self) -> BBox:
        return BBox(self.x0, self.top, self.x1, self.bottom)


def is_bold(char: dict[str, Any]) -> bool:
    return _bold_font(char.get("fontname", ""))


def _bold_font(name: object) -> bool:
    return "bold" in str(name).lower()


def mid_inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """pdfplumber's own rule for a char belonging to a cell: its midpoint is inside."""
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def text_lines(chars: Sequence[dict[str, Any]], page: int) -> list[Line]:
    """Upright text as lines, top to bottom; words as pdfplumber's own word extractor
    makes them (``extract.pdf_words``)."""
    return lines_from_words(upright_words(chars), page)


def lines_from_words(words: Sequence[dict[str, Any]], page: int) -> list[Line]:
    """:func:`text_lines` from the page's words (``upright_words``), so a page's words are
    made once for every step that needs them. ``words`` are not reordered."""
    ordered = sorted(words, key=_TOP_X0)
    groups: list[list[dict[str, Any]]] = []
    for word in ordered:
        if groups:
            line = groups[-1]
            mid = (word["top"] + word["bottom"]) / 2
            if (
                abs(word["top"] - line[0]["top"]) <= LINE_Y_TOLERANCE
                or line[0]["top"] <= mid <= line[0]["bottom"]
            ):
                line.append(word)
                continue
        groups.append([word])
    return [_line(sorted(g, key=_X0), page) for g in groups]


def _line(words: list[dict[str, Any]], page: int) -> Line:
    chars = [c for w in words for c in w["chars"]]
    size = _common_size([c.get("size", 0.0) for c in chars])
    fonts = [c.get("fontname", "") for c in chars]
    gaps = sum(1 for a, b in itertools.pairwise(words) if b["x0"] - a["x1"] > WIDE_GAP * size)
    return Line(
        page=page,
        text=" ".join(w["text"] for w in words),
        x0=min(map(_X0, words)),
        top=min(map(_TOP, words)),
        x1=max(map(_X1, words)),
        bottom=max(map(_BOTTOM, words)),
        size=size,
        bold=_bold_count(fonts),
        n_chars=len(chars),
        segments=gaps + 1,
    )


def _common_size(values: list[Any]) -> float:
    """The most common char size of a line, rounded to 0.1 pt; a tie goes to the size seen
    first. Most lines have one size: checking that takes one C-level pass, where counting
    hashes every value."""
    first = values[0]
    if values.count(first) == len(values):
        return round(float(first), 1)
    # Counted per distinct value, then folded: the same counts, and the same first-seen
    # order (Counter.most_common breaks ties by it), as counting char by char.
    sizes: Counter[float] = Counter()
    for value, count in Counter(values).items():
        sizes[round(float(value), 1)] += count
    return sizes.most_common(1)[0][0]


def _bold_count(fonts: list[Any]) -> int:
    """How many of a line's chars have a bold font; most lines have one font (one pass)."""
    first = fonts[0]
    if fonts.count(first) == len(fonts):
        return len(fonts) if _bold_font(first) else 0
    return sum(count for name, count in Counter(fonts).items() if _bold_font(name))


def masked(text: str) -> str:
    """Text with numbers (arabic and roman) masked: 'Annex I, page 3' ~ 'Annex II, page 7'."""
    text = _DIGITS.sub("#", text)
    text = _ROMAN.sub("#", text)
    return _SPACE.sub(" ", text).strip().lower()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def running_lines(
    lines: Iterable[Line], heights: dict[int, float], settings: PdfSettings
) -> set[int]:
    """ids of header/footer lines: in the top or bottom band of their page, and either a
    page-number line or a text that, numbers masked, recurs at the same height on
    ``min_repeats`` pages. No file-specific rule: position and repetition only."""
    found: set[int] = set()
    by_text: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for line in lines:
        height = heights[line.page]
        if line.top < settings.margin_band * height:
            band = "top"
        elif line.bottom > (1 - settings.margin_band) * height:
            band = "bottom"
        else:
            continue
        if is_page_number(line.text):
            found.add(id(line))
            continue
        # Bottom lines are keyed by distance from the page foot, so page sizes may differ.
        by_text[(band, masked(line.text))].append(line)
    for (band, _), group in by_text.items():
        for line in group:
            pos = _position(line, band, heights)
            pages = {
                other.page
                for other in group
                if abs(_position(other, band, heights) - pos) <= POSITION_TOLERANCE
            }
            if len(pages) >= settings.min_repeats:
                found.add(id(line))
    return found


def _position(line: Line, band: str, heights: dict[int, float]) -> float:
    return line.top if band == "top" else heights[line.page] - line.bottom


def body_size(lines: Iterable[Line]) -> float:
    """The document's running-text size: the size most characters have."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += line.n_chars
    return weights.most_common(1)[0][0] if weights else 0.0


def blocks(lines: Sequence[Line], breaks: Sequence[float], settings: PdfSettings) -> list[Block]:
    """Paragraphs and headings from one page's body lines (top to bottom). A new block
    starts at a vertical gap larger than ``paragraph_gap`` x the font size, a change of size
    or of boldness, or where a table (its top in ``breaks``) lies between two lines."""
    out: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if current and _continues(current[-1], line, breaks, settings):
            current.append(line)
            continue
        if current:
            out.append(_block(current))
        current = [line]
    if current:
        out.append(_block(current))
    return out


def _continues(prev: Line, line: Line, breaks: Sequence[float], settings: PdfSettings) -> bool:
    if abs(prev.size - line.size) > settings.size_tolerance:
        return False
    if _mostly_bold(prev) != _mostly_bold(line):
        return False
    if line.top - prev.bottom > settings.paragraph_gap * max(prev.size, line.size):
        return False
    return not any(prev.bottom <= top <= line.top for top in breaks)


def _mostly_bold(line: Line) -> bool:
    return line.bold * 2 > line.n_chars


def _block(lines: list[Line]) -> Block:
    box = lines[0].bbox
    sizes: Counter[float] = Counter()
    for line in lines[1:]:
        box = box.union(line.bbox)
    for line in lines:
        sizes[line.size] += line.n_chars
    n_chars = sum(line.n_chars for line in lines)
    return Block(
        text=" ".join(line.text for line in lines),
        prov=Prov(page=lines[0].page, bbox=box),
        bold=sum(line.bold for line in lines) * 2 > n_chars,
        size=sizes.most_common(1)[0][0],
    )
