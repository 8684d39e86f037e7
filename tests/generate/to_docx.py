"""Render a :class:`Plan` to DOCX with python-docx.

Merged header cells are real merges (gridSpan), repeated header rows carry ``w:tblHeader``,
and widths are set per cell, so a reader sees what Word would write.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from .plan import PBreak, PCell, Plan, PPara, PTable
from .variant import DOCX_FONTS, Variant

PAGE_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARGIN_MM = 18
SHADE = "DCE6F1"


def _set_font(style_font: object, name: str) -> None:
    style_font.name = name  # type: ignore[attr-defined]
    rpr = style_font.element.rPr  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _shade(cell: _Cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _fill(cell: _Cell, pc: PCell, size: float) -> None:
    para = cell.paragraphs[0]
    if pc.title:
        run = para.add_run(pc.title)
        run.bold = True
        para = cell.add_paragraph()
    run = para.add_run(pc.text)
    run.bold = pc.bold
    if pc.mark:
        run.font.size = Pt(size + 1)
    if pc.center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document: docx.document.Document, t: PTable, width_mm: float, v: Variant) -> None:
    t.check()
    rows = [*t.header, *t.body]
    table = document.add_table(rows=len(rows), cols=t.n_cols)
    if v.rules != "none":
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    total = sum(t.widths)
    widths = [Mm(width_mm * w / total) for w in t.widths]
    for r, row in enumerate(rows):
        for c, width in enumerate(widths):
            table.cell(r, c).width = width
        col = 0
        for pc in row:
            cell = table.cell(r, col)
            if pc.span > 1:
                cell = cell.merge(table.cell(r, col + pc.span - 1))
            _fill(cell, pc, v.font_size)
            if pc.shade and v.rules != "none":
                _shade(cell)
            col += pc.span
        if r < len(t.header) and t.repeat_header:
            _repeat_header(table.rows[r])
    document.add_paragraph()


def render_docx(plan: Plan, path: Path, v: Variant, title: str = "") -> Path:
    document = docx.Document()
    document.core_properties.title = title
    font = DOCX_FONTS.get(v.font, v.font)
    normal = document.styles["Normal"]
    _set_font(normal.font, font)
    normal.font.size = Pt(v.font_size)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_font(document.styles[name].font, font)
    section = document.sections[0]
    w, h = PAGE_MM[v.page_size]
    if v.landscape:
        w, h = h, w
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(w), Mm(h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    if plan.header_text:
        hp = section.header.paragraphs[0]
        hp.text = plan.header_text
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    started = False
    for item in plan.items:
        if isinstance(item, PPara):
            _para(document, item)
        elif isinstance(item, PTable):
            _table(document, item, w - 2 * MARGIN_MM, v)
        elif isinstance(item, PBreak) and started:
            document.add_page_break()
        started = True
    document.save(str(path))
    return path


def _para(document: docx.document.Document, item: PPara) -> None:
    if item.kind == "title":
        document.add_heading(item.text, level=0)
    elif item.kind == "heading":
        document.add_heading(item.text, level=2)
    else:
        p = document.add_paragraph()
        run = p.add_run(item.text)
        run.bold = item.kind in ("annex", "small")
        if item.kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif item.kind == "annex":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
