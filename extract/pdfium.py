"""PDF page objects from PDFium, in pdfplumber's shape, so pdfplumber's own table finder and
word extractor run on them unchanged.

pdfminer (under pdfplumber) interprets content streams in pure Python: about 50x slower than
PDFium (see benchmarks/README.md). This module asks PDFium (``pypdfium2.raw``) for what
``extract.pdf`` actually uses of a page — characters with font name, size and box, and the
stroked/filled paths pdfminer would call lines, rectangles and curves — and wraps them in a
:class:`PdfiumPage`, a ``pdfplumber.container.Container`` with ``find_tables``/``crop``/
``extract_words``. Coordinates follow pdfplumber: points from the media box's top-left corner.

Where pdfminer and PDFium differ (documented, measured in tests/extract/test_pdfium.py):
a char's box is PDFium's *loose* box (font ascent/descent, advance width), as pdfminer's is
built from the font's descent and size; characters PDFium generates itself (spaces and line
breaks it infers) are dropped, as pdfminer has no such characters; paths are classified by
pdfminer's rules (one segment: line; a closed axis-aligned four-sided path: rect; else curve).
"""

from __future__ import annotations

import ctypes
import pathlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from pdfplumber import utils
from pdfplumber.container import Container
from pdfplumber.table import TableFinder, TableSettings

from core.errors import ExtractError

from .pdf_words import Columns

Obj = dict[str, Any]


class PdfiumPage(Container):
    """The part of ``pdfplumber.Page`` that ``extract.pdf`` and ``pdfplumber.table`` use."""

    def __init__(
        self,
        page_number: int,
        bbox: tuple[float, float, float, float],
        objects: dict[str, list[Obj]],
        columns: Columns | None = None,
    ) -> None:
        self.page_number = page_number
        self.bbox = bbox
        self._objs = objects
        self.columns = columns  # the chars as arrays (extract.pdf_words), when read here

    @property
    def objects(self) -> dict[str, list[Obj]]:
        return self._objs

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Any]:
        return list(TableFinder(self, TableSettings.resolve(table_settings)).tables)  # type: ignore[arg-type]

    def extract_tables(self, table_settings: dict[str, Any] | None = None) -> list[Any]:
        return [t.extract() for t in self.find_tables(table_settings)]

    def extract_words(self, **kwargs: Any) -> list[Obj]:
        return list(utils.extract_words(self.chars, **kwargs))

    def crop(self, bbox: tuple[float, float, float, float]) -> PdfiumPage:
        objects = {k: list(utils.crop_to_bbox(v, bbox)) for k, v in self._objs.items()}
        return PdfiumPage(self.page_number, tuple(bbox), objects)  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing to release: the values are plain dicts (kept for pdfplumber's interface)."""


def read_pages(path: pathlib.Path, pages: Iterable[int] | None = None) -> list[PdfiumPage]:
    """The pages (0-based indices, all by default) of the PDF at ``path``; raises
    :class:`ExtractError` for a file PDFium cannot open."""
    doc = open_pdf(path)
    try:
        indices = range(len(doc)) if pages is None else pages
        return [read_page(doc, i) for i in indices]
    finally:
        doc.close()


def open_pdf(path: pathlib.Path) -> Any:
    """A ``pypdfium2.PdfDocument`` (close it), or :class:`ExtractError` naming the reason."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            raise ExtractError(
                "encrypted PDF: a password is needed to read it; supply an unencrypted copy",
                file=pathlib.Path(path).name,
            ) from None
        raise ExtractError(
            f"cannot open PDF (corrupt or truncated?): {text}", file=pathlib.Path(path).name
        ) from None


class NotPlainPage(Exception):
    """A page this reader does not map like pdfminer yet (rotated, or a media box not at the
    origin): the caller reads the document with pdfplumber instead."""


def all_plain(doc: Any) -> bool:
    """Whether every page is one :func:`read_page` maps (no :class:`NotPlainPage`): reads
    each page's box and rotation, not its content."""
    for index in range(len(doc)):
        page = doc[index]
        try:
            if not _plain(page):
                return False
        finally:
            page.close()
    return True


def _plain(page: Any) -> bool:
    left, bottom, _, _ = page.get_mediabox()
    return not (page.get_rotation() % 360 or abs(left) > 0.01 or abs(bottom) > 0.01)


def read_page(doc: Any, index: int) -> PdfiumPage:
    """One page's chars, lines, rects and curves (0-based ``index``); raises
    :class:`NotPlainPage` for a page pdfminer would rotate or shift."""
    page = doc[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        if not _plain(page):
            raise NotPlainPage(f"page {index + 1}: rotated or shifted media box")
        to_page = _Frame(left, top)
        chars, columns = _chars(page, to_page, index + 1)
        lines: list[Obj] = []
        rects: list[Obj] = []
        curves: list[Obj] = []
        _walk(page.raw, to_page, index + 1, lines, rects, curves)
        height = top - bottom
        for obj in (*lines, *rects, *curves):
            obj["y0"], obj["y1"] = height - obj["bottom"], height - obj["top"]
        objects = {"char": chars, "line": lines, "rect": rects, "curve": curves}
        box = (0.0, 0.0, right - left, top - bottom)
        return PdfiumPage(index + 1, box, objects, columns)
    finally:
        page.close()


class _Frame:
    """PDF user space (y up) -> pdfplumber's page space (y down from the media box top)."""

    def __init__(self, left: float, top: float) -> None:
        self.left, self.top = left, top

    def x(self, x: float) -> float:
        return x - self.left

    def y(self, y: float) -> float:
        return self.top - y


# --- characters -------------------------------------------------------------------------------


def _chars(page: Any, frame: _Frame, number: int) -> tuple[list[Obj], Columns | None]:
    """Chars boxed as pdfminer boxes them: horizontally the advance (PDFium's loose box),
    vertically ``size`` points from the font's descent under the baseline.

    PDFium has no call that hands over every char's box at once, so three calls per char
    remain (text object, loose box, origin): in C where the optional extension
    ``extract._pdfium_chars`` is built (:func:`_boxes_native`), else through ctypes
    (:func:`_boxes_ctypes`); both give the same arrays. Boxes, baselines and styles are then
    combined by numpy, and Python touches each char once more, to make its dict. Font name,
    size and descent are read once per text object (all its chars share them); the text
    comes in one call (:func:`_all_codes`)."""
    import numpy as np
    import pypdfium2.raw as raw

    textpage = raw.FPDFText_LoadPage(page.raw)
    if not textpage:
        return [], None
    try:
        n = raw.FPDFText_CountChars(textpage)
        codes = _all_codes(textpage, n)
        handle = ctypes.cast(textpage, ctypes.c_void_p).value or 0
        candidates = np.flatnonzero(~np.isin(codes, _NOT_CODES))
        read = _boxes_ctypes if _native is None else _boxes_native
        index, keys, boxes, at, boxed = read(handle, candidates)
        if len(index) == 0:
            return [], None
        _, first, which = np.unique(keys, return_index=True, return_inverse=True)
        names, sizes, uprights, descents = _styles(
            handle, index[first].tolist(), keys[first].tolist()
        )
        keep = np.flatnonzero(boxed)
        which = which.reshape(-1)[keep]
        size = np.array(sizes, dtype=np.float64)[which]
        descent = np.array(descents, dtype=np.float64)[which]
        box = boxes[keep].astype(np.float64)
        bottom = frame.top - (at[keep, 1] + descent)
        x0 = box[:, 0] - frame.left
        x1 = box[:, 2] - frame.left
        top = bottom - size
        upright = np.array(uprights, dtype=bool)[which]
        columns = Columns(x0, x1, top, bottom, upright)
        # one str per kept char: the codes were made one UTF-16 unit per char (_all_codes)
        texts = codes[index[keep]].tobytes().decode("utf-16-le")
        chars = [
            {
                "object_type": "char",
                "page_number": number,
                "text": c,
                "fontname": f,
                "size": sz,
                "x0": a,
                "x1": b,
                "top": t,
                "bottom": u,
                "doctop": t,
                "width": w,
                "height": sz,
                "upright": up,
            }
            for c, f, sz, a, b, t, u, w, up in zip(
                texts,
                np.array(names, dtype=object)[which].tolist(),
                size.tolist(),
                x0.tolist(),
                x1.tolist(),
                top.tolist(),
                bottom.tolist(),
                (x1 - x0).tolist(),
                upright.tolist(),
                strict=True,
            )
        ]
        return chars, columns
    finally:
        raw.FPDFText_ClosePage(textpage)


Boxes = tuple[Any, Any, Any, Any, Any]


def _boxes_native(handle: int, candidates: Any) -> Boxes:
    """For the chars ``candidates`` (indices) that have a text object, in order: their
    indices, text objects' addresses, loose boxes (m x 4 float32: left, top, right, bottom),
    origins (m x 2 float64) and whether the box call succeeded, read by the C loop of
    ``extract._pdfium_chars``. Equals :func:`_boxes_ctypes`."""
    import numpy as np

    assert _native is not None
    cand = np.ascontiguousarray(candidates, dtype=np.intp)
    n = len(cand)
    index = np.empty(n, dtype=np.intp)
    keys = np.empty(n, dtype=np.uint64)
    boxes = np.empty((n, 4), dtype=np.float32)
    at = np.empty((n, 2), dtype=np.float64)
    boxed = np.empty(n, dtype=np.uint8)
    m = _native.read(*_addresses(), handle, cand, index, keys, boxes, at, boxed)
    return index[:m], keys[:m], boxes[:m], at[:m], boxed[:m].view(bool)


def _boxes_ctypes(handle: int, candidates: Any) -> Boxes:
    """:func:`_boxes_native` through ctypes, three Python calls per char (no C compiler at
    install time). A failed call leaves zeros, as the C loop does."""
    import numpy as np

    object_at, loose_box, origin = _fast_calls()
    cand = candidates.tolist()
    found = [object_at(handle, i) for i in cand]
    # PDFium's own inferred spaces and line breaks have no text object: not chars
    index = [i for i, key in zip(cand, found, strict=True) if key]
    keys = np.array([key for key in found if key], dtype=np.uint64)
    m = len(index)
    boxes = np.zeros((m, 4), dtype=np.float32)  # FS_RECTF per char: left, top, right, bottom
    at = np.zeros((m, 2), dtype=np.float64)  # origin x, y per char
    b0, a0 = boxes.ctypes.data, at.ctypes.data
    boxed = [loose_box(handle, i, b0 + 16 * j) for j, i in enumerate(index)]
    [origin(handle, i, a0 + 16 * j, a0 + 16 * j + 8) for j, i in enumerate(index)]
    return np.array(index, dtype=np.intp), keys, boxes, at, np.array(boxed, dtype=bool)


def _load_native() -> ModuleType | None:
    """The C extension ``extract._pdfium_chars``, or None where it was not built (it is an
    optional extension: an install without a C compiler still succeeds)."""
    import importlib

    try:
        return importlib.import_module("._pdfium_chars", __package__)
    except ImportError:
        return None


_native = _load_native()
_ADDRESSES: tuple[int, int, int] | None = None


def _addresses() -> tuple[int, int, int]:
    """The addresses of ``FPDFText_GetTextObject``, ``FPDFText_GetLooseCharBox`` and
    ``FPDFText_GetCharOrigin`` in the PDFium library pypdfium2 loaded, for the C loop."""
    global _ADDRESSES
    if _ADDRESSES is None:
        import pypdfium2.raw as raw

        fns = (raw.FPDFText_GetTextObject, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin)
        found = [ctypes.cast(fn, ctypes.c_void_p).value for fn in fns]
        assert all(found)
        _ADDRESSES = (found[0] or 0, found[1] or 0, found[2] or 0)
    return _ADDRESSES


def _all_codes(textpage: Any, n: int) -> Any:
    """The text page's chars as UTF-16 code units, one per PDFium char index, in a numpy
    array: an astral char would take two units; such units are replaced (U+FFFD) so that
    indices stay aligned and every unit decodes to one str char. A hyphen ending a line is a
    real glyph PDFium marks specially: it is given back as "-"."""
    import numpy as np
    import pypdfium2.raw as raw

    buf = ctypes.create_string_buffer((n + 1) * 2)
    raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    codes = np.frombuffer(buf.raw, dtype="<u2", count=n).copy()
    codes[(codes >= 0xD800) & (codes <= 0xDFFF)] = 0xFFFD
    for code in _LINE_END_HYPHEN:
        codes[codes == code] = ord("-")
    return codes


# PDFium's codes for a printed hyphen ending a line: U+0002 (GetUnicode), U+FFFE (GetText)
_LINE_END_HYPHEN = (0x02, 0xFFFE)


_FAST_CALLS: tuple[Any, Any, Any] | None = None


def _fast_calls() -> tuple[Any, Any, Any]:
    """``FPDFText_GetTextObject`` (returning the object's address as an int: hashable, no
    cast), ``FPDFText_GetLooseCharBox`` and ``FPDFText_GetCharOrigin``, all taking the text
    page and the out-buffers as plain addresses."""
    global _FAST_CALLS
    if _FAST_CALLS is None:
        import pypdfium2.raw as raw

        ptr, index = ctypes.c_void_p, ctypes.c_int
        _FAST_CALLS = (
            _bind(raw.FPDFText_GetTextObject, ctypes.c_void_p, ptr, index),
            _bind(raw.FPDFText_GetLooseCharBox, ctypes.c_int, ptr, index, ptr),
            _bind(raw.FPDFText_GetCharOrigin, ctypes.c_int, ptr, index, ptr, ptr),
        )
    return _FAST_CALLS


def _bind(fn: Any, restype: Any, *args: Any) -> Any:
    """A PDFium function of pypdfium2 again, with a prototype of plain C types: ints go in
    as addresses, without pypdfium2's pointer-type checks and casts."""
    address = ctypes.cast(fn, ctypes.c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(restype, *args)(address)


def _styles(
    handle: int, index: list[int], objects: list[int]
) -> tuple[list[str], list[float], list[bool], list[float]]:
    """Font name, size, uprightness and descent of each text object (``objects``: addresses),
    the size read at one of its chars (``index``), through plain-address calls
    (:func:`_style_calls`). Name and descent are read once per (font, size): a page's text
    objects share fonts (handles are valid, and so keys unique, while the page is loaded)."""
    import pypdfium2.raw as raw

    font_size, font_of, matrix_of = _style_calls()
    matrix = raw.FS_MATRIX()
    at = ctypes.addressof(matrix)
    fonts: dict[tuple[int, float], tuple[str, float]] = {}
    names: list[str] = []
    sizes: list[float] = []
    upright: list[bool] = []
    descents: list[float] = []
    for i, obj in zip(index, objects, strict=True):
        size = font_size(handle, i)
        font = font_of(obj) or 0
        known = fonts.get((font, size))
        if known is None:
            pointer = ctypes.cast(font, raw.FPDF_FONT) if font else None
            known = fonts[font, size] = (_font_name(pointer), _descent(pointer, size))
        names.append(known[0])
        sizes.append(size)
        descents.append(known[1])
        m = matrix
        upright.append(bool(m.a * m.d > 0 and m.b * m.c <= 0) if matrix_of(obj, at) else True)
    return names, sizes, upright, descents


_STYLE_CALLS: tuple[Any, Any, Any] | None = None


def _style_calls() -> tuple[Any, Any, Any]:
    """``FPDFText_GetFontSize``, ``FPDFTextObj_GetFont`` (the font's address as an int) and
    ``FPDFPageObj_GetMatrix``, taking handles and the out-matrix as plain addresses."""
    global _STYLE_CALLS
    if _STYLE_CALLS is None:
        import pypdfium2.raw as raw

        ptr = ctypes.c_void_p
        _STYLE_CALLS = (
            _bind(raw.FPDFText_GetFontSize, ctypes.c_double, ptr, ctypes.c_int),
            _bind(raw.FPDFTextObj_GetFont, ptr, ptr),
            _bind(raw.FPDFPageObj_GetMatrix, ctypes.c_int, ptr, ptr),
        )
    return _STYLE_CALLS


_NOT_CODES = (0, 0x0A, 0x0D, 0xFFFF)  # no glyph: PDFium's markers, line breaks


def _descent(font: Any, size: float) -> float:
    """The font's descent at ``size`` (negative: below the baseline); 0 where unknown."""
    import pypdfium2.raw as raw

    if not font:
        return 0.0
    out = ctypes.c_float()
    return float(out.value) if raw.FPDFFont_GetDescent(font, ctypes.c_float(size), out) else 0.0


def _font_name(font: Any) -> str:
    """Base font name (pdfminer keeps a subset prefix, 'ABCDEF+', PDFium drops it; only the
    name's words matter downstream)."""
    import pypdfium2.raw as raw

    if not font:
        return ""
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if not size:
        return ""
    buf = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buf, size)
    return buf.value.decode("utf-8", "replace")


# --- paths ------------------------------------------------------------------------------------


def _walk(
    page_raw: Any,
    frame: _Frame,
    number: int,
    lines: list[Obj],
    rects: list[Obj],
    curves: list[Obj],
) -> None:
    import pypdfium2.raw as raw

    def visit(obj: Any, outer: tuple[float, ...] | None) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            m = raw.FS_MATRIX()
            raw.FPDFPageObj_GetMatrix(obj, m)
            mine = (m.a, m.b, m.c, m.d, m.e, m.f)
            inner = mine if outer is None else _compose(mine, outer)
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j), inner)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            _path(obj, outer, frame, number, lines, rects, curves)

    for i in range(raw.FPDFPage_CountObjects(page_raw)):
        visit(raw.FPDFPage_GetObject(page_raw, i), None)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m then n (PDF row-vector convention: p' = p . m . n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _path(
    obj: Any,
    outer: tuple[float, ...] | None,
    frame: _Frame,
    number: int,
    lines: list[Obj],
    rects: list[Obj],
    curves: list[Obj],
) -> None:
    import pypdfium2.raw as raw

    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
        return
    if not fill.value and not stroke.value:
        return
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    matrix: tuple[float, ...] = (m.a, m.b, m.c, m.d, m.e, m.f)
    if outer is not None:
        matrix = _compose(matrix, outer)
    width = ctypes.c_float()
    raw.FPDFPageObj_GetStrokeWidth(obj, width)
    x = ctypes.c_float()
    y = ctypes.c_float()
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape, pts = "", list[tuple[float, float]]()
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        a, b, c, d, e, f = matrix
        pt = (frame.x(a * x.value + c * y.value + e), frame.y(b * x.value + d * y.value + f))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append((shape, pts))
            shape, pts = "m", [pt]
            continue
        if not shape:
            continue  # no subpath begun: pdfminer ignores such paths too
        shape += "c" if kind == raw.FPDF_SEGMENT_BEZIERTO else "l"
        pts.append(pt)
        if raw.FPDFPathSegment_GetClose(seg):
            shape += "h"
            pts.append(pts[0])
    if shape:
        subpaths.append((shape, pts))
    for shape, pts in subpaths:
        _classify(shape, pts, width.value, number, lines, rects, curves)


def _classify(
    shape: str,
    pts: list[tuple[float, float]],
    linewidth: float,
    number: int,
    lines: list[Obj],
    rects: list[Obj],
    curves: list[Obj],
) -> None:
    """pdfminer's rules (``PDFLayoutAnalyzer.paint_path``) on one subpath."""
    shape = shape.replace("ccc", "c")  # PDFium gives a Bezier as three segments
    if "c" in shape:
        keep = [pts[0]]
        i = 1
        for op in shape[1:]:
            i += 3 if op == "c" else 1
            keep.append(pts[i - 1])
        pts = keep
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("ml", "mlh"):
        lines.append(_box("line", pts[:2], linewidth, number))
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), end = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if end == pts[0] and square:
            rects.append(_box("rect", pts, linewidth, number))
            return
    obj = _box("curve", pts, linewidth, number)
    obj["pts"] = pts
    curves.append(obj)


def _box(kind: str, pts: list[tuple[float, float]], linewidth: float, number: int) -> Obj:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    return {
        "object_type": kind,
        "page_number": number,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "linewidth": linewidth,
        "pts": pts,
    }
