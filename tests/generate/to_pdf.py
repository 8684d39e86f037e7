"""Render a :class:`Plan` to PDF with reportlab platypus.

Rules are drawn three ways: stroked grid lines, thin filled rectangles at the same places
(how many word processors export borders), or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from .fonts import bold_of, tick_font
from .plan import PBreak, PCell, Plan, PPara, PTable
from .variant import Variant

SHADE = colors.HexColor("#DCE6F1")
MARGIN = 50.0
RULE = 0.5


class RectRuledTable(Table):
    """A table whose rules are filled rectangles (no stroked paths).

    reportlab works out where rules go, skipping merged cells, and calls ``canv.line`` for
    each segment; here each call becomes a ``RULE``-thick filled rectangle instead.
    """

    def _drawLines(self) -> None:
        canv = self.canv
        stroke_line = canv.line

        def rect_line(x1: float, y1: float, x2: float, y2: float) -> None:
            h = RULE / 2
            x0, x1_ = min(x1, x2) - h, max(x1, x2) + h
            y0, y1_ = min(y1, y2) - h, max(y1, y2) + h
            canv.saveState()
            canv.setFillColor(colors.black)
            canv.setLineWidth(0)
            canv.rect(x0, y0, x1_ - x0, y1_ - y0, stroke=0, fill=1)
            canv.restoreState()

        canv.line = rect_line
        try:
            super()._drawLines()
        finally:
            canv.line = stroke_line


def _styles(v: Variant) -> dict[str, ParagraphStyle]:
    s, f, b = v.font_size, v.font, bold_of(v.font)
    return {
        "cell": ParagraphStyle("cell", fontName=f, fontSize=s, leading=s * 1.2),
        "cellb": ParagraphStyle("cellb", fontName=b, fontSize=s, leading=s * 1.2),
        "cellc": ParagraphStyle("cellc", fontName=f, fontSize=s + 1, leading=s * 1.3,
                                alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=b, fontSize=s + 6, leading=(s + 6) * 1.3,
                                spaceAfter=8),
        "heading": ParagraphStyle("heading", fontName=b, fontSize=s + 1, leading=(s + 1) * 1.3,
                                  spaceBefore=8, spaceAfter=4),
        "annex": ParagraphStyle("annex", fontName=b, fontSize=s + 1, leading=(s + 1) * 1.3,
                                alignment=TA_CENTER, spaceAfter=6),
        "body": ParagraphStyle("body", fontName=f, fontSize=s + 1, leading=(s + 1) * 1.35,
                               spaceAfter=5),
        "right": ParagraphStyle("right", fontName=f, fontSize=s, leading=s * 1.3,
                                alignment=TA_RIGHT),
        "small": ParagraphStyle("small", fontName=b, fontSize=s, leading=s * 1.3,
                                spaceBefore=6, spaceAfter=3),
    }


def _cell(cell: PCell, st: dict[str, ParagraphStyle], v: Variant) -> Any:
    if cell.mark and cell.text:
        font = tick_font(cell.text, v.font)
        if font is None:
            raise ValueError(f"no font on this machine draws tick {cell.text!r}; "
                             "see fonts.available_ticks()")
        return Paragraph(f'<font name="{font}">{escape(cell.text)}</font>', st["cellc"])
    style = st["cellb"] if cell.bold else st["cellc"] if cell.center else st["cell"]
    body = Paragraph(escape(cell.text), style)
    if cell.title:
        return [Paragraph(escape(cell.title), st["cellb"]), Spacer(1, 4), body]
    return body


def _fit(t: PTable, width: float, v: Variant) -> list[float]:
    """Column widths in points, widened so no body word is broken across lines.

    reportlab splits a word wider than its cell; a real report would not print a status
    label as "Implem / ented", so such a fixture would not be what it claims. Headers may
    still break, as they do in real reports.
    """
    total = sum(t.widths)
    cols = [width * w / total for w in t.widths]
    need = [0.0] * t.n_cols
    for row in t.body:
        c = 0
        for cell in row:
            if cell.span == 1 and not cell.mark:
                font = bold_of(v.font) if cell.bold or cell.title else v.font
                words = f"{cell.title or ''} {cell.text}".split()
                widest = max((stringWidth(w, font, v.font_size) for w in words), default=0)
                need[c] = max(need[c], widest + 8)
            c += cell.span
    short = sum(max(0.0, n - w) for n, w in zip(need, cols, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, cols, strict=True))
    if short == 0 or spare < short:
        return cols
    return [n if n > w else w - (w - n) / spare * short
            for n, w in zip(need, cols, strict=True)]


def _table(t: PTable, width: float, st: dict[str, ParagraphStyle], v: Variant) -> Table:
    t.check()
    rows = [*t.header, *t.body]
    data: list[list[Any]] = []
    cmds: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(rows):
        line: list[Any] = []
        for cell in row:
            c = len(line)
            line.append(_cell(cell, st, v))
            line += [""] * (cell.span - 1)
            if cell.span > 1:
                cmds.append(("SPAN", (c, r), (c + cell.span - 1, r)))
            if cell.shade and v.rules != "none":
                cmds.append(("BACKGROUND", (c, r), (c + cell.span - 1, r), SHADE))
        data.append(line)
    if v.rules != "none":
        cmds.append(("GRID", (0, 0), (-1, -1), RULE, colors.black))
    cls = RectRuledTable if v.rules == "rects" else Table
    return cls(data, colWidths=_fit(t, width, v), style=cmds,
               repeatRows=len(t.header) if t.repeat_header else 0,
               # in-row splits first: splitting by row first can leave room for a second
               # fragment, with its repeated header, on the same page
               splitByRow=0 if t.split_in_row else 1,
               splitInRow=30 if t.split_in_row else 0, hAlign="LEFT", spaceBefore=4,
               spaceAfter=8)


def page_size(v: Variant) -> tuple[float, float]:
    size = A4 if v.page_size == "A4" else LETTER
    return landscape(size) if v.landscape else portrait(size)


def render_pdf(plan: Plan, path: Path, v: Variant, title: str = "") -> Path:
    size = page_size(v)
    st = _styles(v)
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title)
    width = size[0] - 2 * MARGIN
    story: list[Any] = []
    for item in plan.items:
        if isinstance(item, PPara):
            story.append(Paragraph(escape(item.text), st[item.kind]))
        elif isinstance(item, PTable):
            story.append(_table(item, width, st, v))
        elif isinstance(item, PBreak) and story:
            story.append(PageBreak())

    def on_page(canv: Canvas, doc: Any) -> None:
        canv.saveState()
        canv.setFont(v.font, 8)
        if plan.header_text and doc.page > 1:
            canv.drawRightString(size[0] - MARGIN, size[1] - MARGIN / 2, plan.header_text)
        canv.drawCentredString(size[0] / 2, MARGIN / 2, f"page {doc.page}")
        canv.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return path
