"""DOCX reader: python-docx's XML tree into the document model.

We walk the body's XML ourselves rather than use ``Document.tables`` because python-docx's
``table.rows[i].cells`` repeats a merged cell once per grid column it covers, and skips tables,
rows and cells wrapped in content controls (``w:sdt``). DOCX has no pages: ``prov`` stays empty
(Docling's rule) and the table index is kept.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from core.digest import sha256_hex
from core.errors import ExtractError
from core.model import Block, Cell, Document, Item, Origin, Row, Table
from core.text import fold

from .tables import column_names

# Wingdings / Symbol private-use code points that authors use as tick marks (w:sym).
_SYMBOLS = {
    "F0FC": "✓",
    "F0FB": "✗",
    "F0FD": "☒",
    "F0FE": "☑",
    "F078": "☒",
    "F06E": "■",
    "F0A8": "☐",
    "F06F": "☐",
    "F0A7": "■",
    "F0D6": "✓",
    "F0D7": "✓",
}
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _paragraph_text(p: Any) -> str:
    # Checkbox content controls also carry a glyph run (☒/☐); don't count the box twice.
    has_checkbox = any(n.tag == f"{{{_W14}}}checkbox" for n in p.iter())
    parts = []
    for node in p.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif node.tag == qn("w:sym"):
            parts.append(_SYMBOLS.get((node.get(qn("w:char")) or "").upper(), ""))
    text = "".join(parts)
    if has_checkbox:
        checked = p.find(f".//{{{_W14}}}checked")
        on = checked is not None and checked.get(f"{{{_W14}}}val") in ("1", "true")
        text = text.replace("☒", "").replace("☐", "").strip()
        text = ("☒" if on else "") + text
    return text


def _unwrap(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """Children with the given tags, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml"), qn("w:smartTag")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _unwrap(content, tags)


def _cell_text(tc: Any) -> str:
    lines = []
    for block in _unwrap(tc, (qn("w:p"), qn("w:tbl"))):
        if block.tag == qn("w:p"):
            lines.append(_paragraph_text(block))
        else:  # a nested table: its text, row by row
            for tr in _unwrap(block, (qn("w:tr"),)):
                for inner in _unwrap(tr, (qn("w:tc"),)):
                    lines.append(_cell_text(inner))
    return "\n".join(lines).strip()


def _int_attr(el: Any, path: str, default: int) -> int:
    node = el.find(path)
    if node is None:
        return default
    try:
        return int(node.get(qn("w:val")) or default)
    except ValueError:
        return default


def _table(tbl: Any, index: int) -> Table:
    rows: list[Row] = []
    # Cells still open for vertical merging, by grid column.
    open_cells: dict[int, Cell] = {}
    n_cols = 0
    header_rows = 0
    leading_header = True
    for r, tr in enumerate(_unwrap(tbl, (qn("w:tr"),))):
        trpr = tr.find(qn("w:trPr"))
        is_header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        if is_header:
            header = trpr.find(qn("w:tblHeader"))
            is_header = (header.get(qn("w:val")) or "true").lower() not in ("0", "false", "off")
        if is_header and leading_header:
            header_rows += 1
        else:
            leading_header = False
        col = _int_attr(trpr, qn("w:gridBefore"), 0) if trpr is not None else 0
        cells: list[Cell] = []
        for tc in _unwrap(tr, (qn("w:tc"),)):
            tcpr = tc.find(qn("w:tcPr"))
            span = _int_attr(tcpr, qn("w:gridSpan"), 1) if tcpr is not None else 1
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            if vmerge is not None and (vmerge.get(qn("w:val")) or "continue") == "continue":
                above = open_cells.get(col)
                if above is not None:
                    above.row_span += 1
                    col += span
                    continue
            cell = Cell(text=_cell_text(tc), row=r, col=col, col_span=span, is_header=is_header)
            cells.append(cell)
            for c in range(col, col + span):
                open_cells.pop(c, None)
            if vmerge is not None:
                open_cells[col] = cell
            col += span
        # A column not covered by a continuing vMerge closes any merge open there.
        covered = {c for cell in cells for c in range(cell.col, cell.col + cell.col_span)}
        for c in list(open_cells):
            if c in covered and open_cells[c].row != r:
                open_cells.pop(c)
        n_cols = max(n_cols, col)
        rows.append(Row(cells=cells, is_header=is_header))
    grid = tbl.find(qn("w:tblGrid"))
    if grid is not None:
        n_cols = max(n_cols, len(grid.findall(qn("w:gridCol"))))
    table = Table(rows=rows, n_cols=n_cols, index=index, header_rows=header_rows)
    table.columns = column_names(rows, header_rows, n_cols)
    return table


def _style_name(p: Any, styles: dict[str, str]) -> str | None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        return None
    style = ppr.find(qn("w:pStyle"))
    if style is None:
        return None
    sid = style.get(qn("w:val")) or ""
    return styles.get(sid, sid)


def _is_bold(p: Any) -> bool:
    runs = [
        r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
    ]
    if not runs:
        return False
    for run in runs:
        rpr = run.find(qn("w:rPr"))
        b = rpr.find(qn("w:b")) if rpr is not None else None
        if b is None or (b.get(qn("w:val")) or "true").lower() in ("0", "false", "off"):
            return False
    return True


def _body_items(body: Any, styles: dict[str, str]) -> list[Item]:
    items: list[Item] = []
    n_tables = 0
    for el in _unwrap(body, (qn("w:p"), qn("w:tbl"))):
        if el.tag == qn("w:tbl"):
            items.append(_table(el, n_tables))
            n_tables += 1
            continue
        text = _paragraph_text(el).strip()
        if text:
            items.append(Block(text=text, style=_style_name(el, styles), bold=_is_bold(el)))
    return items


def convert(path: Path) -> Document:
    """Read a .docx file into the document model."""
    import docx  # local: keeps `import extract` cheap for the loader-side tools

    name = path.name
    data = path.read_bytes()
    origin = Origin(
        filename=name, sha256=sha256_hex(data), format="docx", size=len(data)
    )
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ExtractError(f"not a readable DOCX package ({exc})", file=name) from exc
    except etree.XMLSyntaxError as exc:
        raise ExtractError(f"DOCX has malformed XML ({exc})", file=name) from exc
    except (ValueError, OSError) as exc:
        raise ExtractError(f"DOCX could not be opened ({exc})", file=name) from exc
    styles = {s.style_id: s.name for s in document.styles if s.style_id and s.name}
    items = _body_items(document.element.body, styles)
    return Document(origin=origin, pages=[], items=items, furniture=_furniture(document))


def _furniture(document: Any) -> list[Block]:
    """Running headers and footers, each text once: some documents print their own symbol
    only there ("A/47/14 page 1")."""
    seen: set[str] = set()
    out: list[Block] = []
    for section in document.sections:
        for part in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if part is None or part.is_linked_to_previous:
                continue
            for p in part._element.iter(qn("w:p")):
                text = fold(_paragraph_text(p))
                if text and text not in seen:
                    seen.add(text)
                    out.append(Block(text=text, style="furniture"))
    return out
