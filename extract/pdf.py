"""PDF reader: a file -> :class:`core.model.Document`, built on pdfplumber's algorithms
over pages read by PDFium (``extract.pdfium``, the default) or by pdfminer (``engine=
"pdfplumber"``, the reference; see ``extract.pdf_config``).

Each page is read once (its chars, its table finder) and closed; what the document-level
steps need (text lines outside tables, table fragments) is kept as plain values. Those steps
then drop running headers/footers, build blocks, and join tables split by page breaks.

``convert`` is ``assemble(origin_of(path), read_page_range(path, 1, None))``; the two halves
are public so that a long document's pages can be read by several workers in ranges
(``rectrack.pipeline``) and assembled by one, with the same result.
"""

from __future__ import annotations

import bisect
import dataclasses
import pathlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.digest import sha256_hex
from core.errors import ExtractError
from core.model import Block, Document, Item, Origin, Page, Prov, Table

from . import pdf_cues as cues
from . import pdf_layout as layout
from . import pdf_tables as tables
from . import pdf_unruled as unruled
from .pdf_config import PdfSettings
from .pdf_layout import Line
from .pdf_tables import Fragment
from .pdf_words import Columns, columns_of, upright_words


@dataclass
class PageData:
    """One page as the document-level steps need it: plain values, picklable."""

    page: Page
    lines: list[Line] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)


def convert(path: pathlib.Path, settings: PdfSettings | dict[str, Any] | None = None) -> Document:
    """Read a PDF into blocks and tables in reading order.

    Raises :class:`ExtractError` (never a pdfminer exception) for a file that cannot be
    opened, is password-protected, or has no text layer.
    """
    path = pathlib.Path(path)
    resolved = PdfSettings.resolve(settings)
    origin = origin_of(path)
    return assemble(origin, read_page_range(path, 1, None, resolved), resolved)


def origin_of(path: pathlib.Path) -> Origin:
    """The file's identity (name, sha256, size), or ExtractError when it cannot be read."""
    path = pathlib.Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}", file=path.name) from None
    return Origin(
        filename=path.name, sha256=sha256_hex(data), format="pdf", size=len(data)
    )


def page_count(path: pathlib.Path) -> int:
    """Number of pages (PDFium: reads the page tree, not the pages)."""
    from . import pdfium

    doc = pdfium.open_pdf(pathlib.Path(path))
    try:
        return len(doc)
    finally:
        doc.close()


def splittable(path: pathlib.Path, settings: PdfSettings | dict[str, Any] | None = None) -> bool:
    """Whether reading page ranges separately gives what one read of the file gives: not when
    the PDFium engine would hand the whole document to pdfplumber (a rotated or shifted page)."""
    from . import pdfium

    if PdfSettings.resolve(settings).engine != "pdfium":
        return True
    doc = pdfium.open_pdf(pathlib.Path(path))
    try:
        return pdfium.all_plain(doc)
    finally:
        doc.close()


def read_page_range(
    path: pathlib.Path,
    first: int = 1,
    last: int | None = None,
    settings: PdfSettings | dict[str, Any] | None = None,
) -> list[PageData]:
    """Pages ``first``..``last`` (1-based, inclusive; ``last=None``: to the end), each read
    once and closed. Raises :class:`ExtractError` for a file that cannot be opened or read."""
    path = pathlib.Path(path)
    return _read_pages(path, path.name, PdfSettings.resolve(settings), first, last)


def assemble(
    origin: Origin | pathlib.Path,
    pages: list[PageData],
    settings: PdfSettings | dict[str, Any] | None = None,
) -> Document:
    """The document from its pages (all of them, in order): running headers/footers dropped,
    blocks built, tables joined across page breaks. ``pages`` are consumed (modified)."""
    if not isinstance(origin, Origin):
        origin = origin_of(pathlib.Path(origin))
    resolved = PdfSettings.resolve(settings)
    if not any(p.lines or p.fragments for p in pages):
        raise ExtractError(
            "no text layer (scanned images?); OCR not attempted", file=origin.filename
        )
    furniture = _furniture(pages, resolved)
    return Document(
        origin=origin,
        pages=[p.page for p in pages],
        items=_items(pages, resolved),
        furniture=furniture,
    )


def _span(first: int, last: int | None, n: int, name: str) -> range:
    """0-based indices of pages first..last (1-based, inclusive) of an n-page document."""
    end = n if last is None else last
    if not 1 <= first <= end <= n:
        raise ExtractError(f"no pages {first}-{end} in a document of {n} pages", file=name)
    return range(first - 1, end)


def _read_pages(
    path: pathlib.Path, name: str, settings: PdfSettings, first: int, last: int | None
) -> list[PageData]:
    if settings.engine == "pdfium":
        return _read_pages_pdfium(path, name, settings, first, last)
    import pdfplumber  # local: keeps `import extract` cheap for tools that never read PDFs

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:
        raise _open_error(exc, name) from None
    number = 0
    try:
        with pdf:
            out = []
            every = pdf.pages  # all of them: pdfplumber's doctop offsets count earlier pages
            for index in _span(first, last, len(every), name):
                number = index + 1
                out.append(_read_page(every[index], number, settings))
            return out
    except ExtractError:
        raise
    except Exception as exc:
        error = _open_error(exc, name)
        error.page = number or None
        raise error from None


def _read_pages_pdfium(
    path: pathlib.Path, name: str, settings: PdfSettings, first: int, last: int | None
) -> list[PageData]:
    """The same page steps on PDFium's chars and rules (extract.pdfium), page by page; a
    document with a rotated or shifted page is read by pdfplumber instead."""
    from . import pdfium

    doc = pdfium.open_pdf(path)
    number = 0
    try:
        out = []
        for index in _span(first, last, len(doc), name):
            number = index + 1
            out.append(_read_page(pdfium.read_page(doc, index), number, settings))
        return out
    except pdfium.NotPlainPage:
        fallback = dataclasses.replace(settings, engine="pdfplumber")
        return _read_pages(path, name, fallback, first, last)
    except ExtractError:
        raise
    except Exception as exc:
        error = _open_error(exc, name)
        error.page = number or None
        raise error from None
    finally:
        doc.close()


def _open_error(exc: BaseException, name: str) -> ExtractError:
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = (
            cur.__cause__
            or cur.__context__
            or next((a for a in getattr(cur, "args", ()) if isinstance(a, BaseException)), None)
        )
    kinds = " ".join(type(e).__name__ for e in chain).lower()
    if "password" in kinds or "encrypt" in kinds:
        return ExtractError(
            "encrypted PDF: a password is needed to read it; supply an unencrypted copy",
            file=name,
        )
    reason = str(chain[-1]).strip().splitlines()[0] if str(chain[-1]).strip() else ""
    reason = reason or type(chain[-1]).__name__
    return ExtractError(f"cannot open PDF (corrupt or truncated?): {reason}", file=name)


def _read_page(page: Any, number: int, settings: PdfSettings) -> PageData:
    try:
        height = float(page.height)
        data = PageData(Page(number=number, width=float(page.width), height=height))
        chars = page.chars
        columns = getattr(page, "columns", None)  # the chars' boxes as arrays (PDFium's)
        table_settings = dict(settings.table_settings)
        if table_settings.get("horizontal_strategy") in ("lines", "lines_strict"):
            closing = _closing_edges(page.edges)
            if closing:
                extra = list(table_settings.get("explicit_horizontal_lines") or [])
                table_settings["explicit_horizontal_lines"] = extra + closing
        found = page.find_tables(table_settings)
        frags = [tables.fragment(t.cells, chars, number, height) for t in found]
        data.fragments = [f for f in frags if f is not None]
        if data.fragments:
            data.lines = _lines_outside(chars, data.fragments, number, columns)
            return data
        # No ruled table: the page's words, made once, give its lines and, when the page is
        # worth it (extract.pdf_cues), the unruled-table reader its words.
        words = upright_words(chars, columns)
        data.lines = layout.lines_from_words(words, number)
        if not settings.text_fallback:
            return data
        if settings.skip_unlikely and not cues.worth_analysing(data.lines):
            return data
        data.fragments = unruled.tables(chars, number, height, words)
        if data.fragments:
            data.lines = _lines_outside(chars, data.fragments, number, columns)
        return data
    finally:
        page.close()


_SAME_Y = 1.0  # points: vertical rules ending this close together end at one open edge


def _closing_edges(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal edges that close a table cut by a page break.

    Some producers (reportlab, browsers) draw no rule where a table, or a row, is split
    across pages: the column rules simply stop. Where two or more vertical rules stop (or
    start) at the same height with no horizontal rule there, draw one between the outermost
    of them, so pdfplumber still sees closed cells."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    # Horizontal rules by height, so each group checks only those near its own height (a
    # ruled page has hundreds; checking every one for every group was most of the cost).
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    heights = [h["top"] for h in horizontal]
    out: list[dict[str, Any]] = []
    for key in ("top", "bottom"):
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in vertical:
            groups.setdefault(round(e[key] / _SAME_Y), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            y = group[0][key]
            x0 = min(e["x0"] for e in group)
            x1 = max(e["x1"] for e in group)
            # a window one point wider than the test, so rounding cannot leave a rule out
            lo = bisect.bisect_left(heights, y - 2 * _SAME_Y - 1)
            hi = bisect.bisect_right(heights, y + 2 * _SAME_Y + 1)
            covered = any(
                abs(h["top"] - y) <= 2 * _SAME_Y and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2
                for h in horizontal[lo:hi]
            )
            if not covered:
                out.append(
                    {
                        "object_type": "line",
                        "x0": x0,
                        "x1": x1,
                        "top": y,
                        "bottom": y,
                        "width": x1 - x0,
                        "height": 0,
                    }
                )
    return out


def _lines_outside(
    chars: list[dict[str, Any]], frags: list[Fragment], number: int, columns: Columns | None
) -> list[Line]:
    """The text lines of the chars outside every table: those whose midpoint is in no
    fragment's box (pdfplumber's rule, ``layout.mid_inside``). Tested with numpy over the
    page's char boxes (``columns``, gathered from the dicts when the reader gave none), one
    table at a time, where a test per char and table cost more than the page's words."""
    if columns is None or len(columns.x0) != len(chars):
        columns = columns_of(chars)
    x = (columns.x0 + columns.x1) / 2
    y = (columns.top + columns.bottom) / 2
    inside = np.zeros(len(chars), bool)
    for f in frags:
        box = f.bbox
        inside |= (box.x0 <= x) & (x < box.x1) & (box.top <= y) & (y < box.bottom)
    keep = np.flatnonzero(~inside)
    outside = [chars[i] for i in keep.tolist()]
    kept = Columns(*(values[keep] for values in columns))
    return layout.lines_from_words(upright_words(outside, kept), number)


def _furniture(pages: list[PageData], settings: PdfSettings) -> list[Block]:
    """Drop running headers/footers from the pages' lines; return them as blocks, each text
    (numbers masked) once, with its first page's provenance: some documents print their
    own symbol only there ("A/47/14 page 2")."""
    heights = {p.page.number: p.page.height for p in pages}
    running = layout.running_lines((ln for p in pages for ln in p.lines), heights, settings)
    running |= _symbol_heads(pages, heights, settings)
    out: list[Block] = []
    seen: set[str] = set()
    for p in pages:
        for ln in p.lines:
            if id(ln) in running and layout.masked(ln.text) not in seen:
                seen.add(layout.masked(ln.text))
                out.append(
                    Block(
                        text=ln.text,
                        prov=Prov(page=ln.page, bbox=ln.bbox),
                        style="furniture",
                        bold=ln.bold * 2 > ln.n_chars,
                        size=ln.size,
                    )
                )
        p.lines = [ln for ln in p.lines if id(ln) not in running]
    return out


# A document symbol alone on a line ("A/74/280", "DP/FPA/2025/4 (Part II)", "IDB.49/3").
_SYMBOL_LINE = re.compile(
    r"^[A-Z][A-Za-z0-9.-]*(?:/[A-Za-z0-9.()-]+)+(?:\s*\((?:Part|Vol\.?)\s*[IVX]+\))?$"
)


def _symbol_heads(
    pages: list[PageData], heights: dict[int, float], settings: PdfSettings
) -> set[int]:
    """ids of a document symbol standing alone in the top band of a page after the first: the
    running head of a document too short to repeat it (a two-page report prints it once, on
    page 2), not a review its text cites."""
    return {
        id(ln)
        for p in pages
        if p.page.number > 1
        for ln in p.lines
        if ln.top < settings.margin_band * heights[ln.page] and _SYMBOL_LINE.match(ln.text.strip())
    }


def _items(pages: list[PageData], settings: PdfSettings) -> list[Item]:
    size = layout.body_size(ln for p in pages for ln in p.lines)
    foot = _content_bottoms(pages)
    placed: list[tuple[int, float, Block | Fragment]] = []
    for p in pages:
        frags = sorted(p.fragments, key=lambda f: f.bbox.top)
        _mark_page_ends(p, frags, size, foot, settings)
        breaks = [f.bbox.top for f in frags]
        for block in layout.blocks(p.lines, breaks, settings):
            assert block.prov.bbox is not None
            placed.append((p.page.number, block.prov.bbox.top, block))
        placed.extend((p.page.number, f.bbox.top, f) for f in frags)
    placed.sort(key=lambda t: (t[0], t[1]))
    return _join_tables([item for _, _, item in placed], settings)


def _size_key(page: Page) -> tuple[int, int]:
    return round(page.width), round(page.height)


def _content_bottoms(pages: list[PageData]) -> dict[tuple[int, int], float]:
    """Lowest body content per page size: where this document's pages end in practice."""
    foot: dict[tuple[int, int], float] = defaultdict(float)
    for p in pages:
        bottoms = [ln.bottom for ln in p.lines] + [f.bbox.bottom for f in p.fragments]
        if bottoms:
            key = _size_key(p.page)
            foot[key] = max(foot[key], *bottoms)
    return foot


def _mark_page_ends(
    p: PageData,
    frags: list[Fragment],
    body_size: float,
    foot: dict[tuple[int, int], float],
    settings: PdfSettings,
) -> None:
    """Flag the fragments a page break may have cut: the first item on its page, and the
    last one ending near the foot (smaller print below it, footnotes, does not count)."""
    if not frags:
        return
    first, last = frags[0], frags[-1]
    first.at_page_start = not any(ln.bottom <= first.bbox.top + 1 for ln in p.lines)
    floor = foot[_size_key(p.page)] - settings.continuation_gap * p.page.height
    last.at_page_end = last.bbox.bottom >= floor and not any(
        ln.top >= last.bbox.bottom - 1 and ln.size >= body_size - settings.size_tolerance
        for ln in p.lines
    )


def _join_tables(items: list[Block | Fragment], settings: PdfSettings) -> list[Item]:
    out: list[Item] = []
    table: Table | None = None
    last: Fragment | None = None
    n_tables = 0
    for item in items:
        if not isinstance(item, Fragment):
            out.append(item)
            continue
        if table is not None and last is not None and tables.continues(last, item, table, settings):
            tables.append(table, item)
        else:
            if table is not None:
                tables.finish(table, n_tables)
                n_tables += 1
            table = item.table
            table.header_rows = tables.marked_header_rows(item, settings)
            out.append(table)
        last = item
    if table is not None:
        tables.finish(table, n_tables)
    return out
