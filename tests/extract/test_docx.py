"""DOCX reader: corpus files, and small documents built here for merged cells, content
controls and check-box glyphs."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from core.errors import ExtractError
from core.model import Block, Table
from extract.docx import convert

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_itu_matrix_merged_header_resolved_once() -> None:
    doc = convert(CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx")
    matrix = doc.tables[1]
    assert matrix.header_rows == 2
    assert matrix.columns[2] == "Acceptance recommendation / Accept"
    assert matrix.columns[8] == "Implementation Status / Implemented"
    first = matrix.rows[0]
    # "Recommendation" spans two grid columns: one logical cell, not repeated text.
    assert [c.text for c in first.cells].count("Recommendation") == 1
    assert first.cells[0].col_span == 2
    body = matrix.rows[2]
    assert body.cell_at(1) is body.cell_at(0)
    assert body.cell_at(2) is not None and body.cell_at(2).text == "X"


def test_docx_has_no_pages_and_no_invented_provenance() -> None:
    doc = convert(CORPUS / "UNW_2021_SEA-SH_review_update.docx")
    assert doc.pages == []
    assert all(t.page is None for t in doc.tables)
    assert doc.origin.format == "docx" and len(doc.origin.sha256) == 64


def test_reading_order_keeps_headings_before_their_tables() -> None:
    doc = convert(CORPUS / "WO_PBC_34_6.docx")
    first_rec = next(
        i
        for i, it in enumerate(doc.items)
        if isinstance(it, Table) and "Recommendation" in it.rows[0].cells[0].text
    )
    before = [it for it in doc.items[:first_rec] if isinstance(it, Block)]
    assert before[-2].text.startswith("JIU/REP/2021/6")


def _table_doc(tmp_path: Path) -> tuple[docx.document.Document, docx.table.Table]:
    document = docx.Document()
    document.add_paragraph("Heading above")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"r{r}c{c}"
    return document, table


def test_vertical_and_horizontal_merges_give_one_logical_cell(tmp_path: Path) -> None:
    document, table = _table_doc(tmp_path)
    merged = table.cell(0, 0).merge(table.cell(1, 0))  # vMerge
    merged.text = "tall"
    wide = table.cell(2, 1).merge(table.cell(2, 2))  # gridSpan
    wide.text = "wide"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    t = convert(path).tables[0]
    texts = [c.text for r in t.rows for c in r.cells]
    assert texts.count("tall") == 1
    assert texts.count("wide") == 1
    tall = t.rows[0].cell_at(0)
    assert tall is not None and tall.row_span == 2
    assert t.rows[1].cell_at(0) is None  # covered by the cell above, not repeated
    assert t.rows[2].cell_at(2) is t.rows[2].cell_at(1)
    assert t.n_cols == 3


def test_rows_and_cells_inside_content_controls_are_kept(tmp_path: Path) -> None:
    document, table = _table_doc(tmp_path)
    tbl = table._tbl
    # Wrap the second row in a row-level content control and one cell of the third row
    # in a cell-level one: python-docx's own API would not see them.
    row = tbl.findall(qn("w:tr"))[1]
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    row.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(row)
    row3 = tbl.findall(qn("w:tr"))[-1]
    tc = row3.findall(qn("w:tc"))[1]
    sdt_cell = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    tc.addprevious(sdt_cell)
    sdt_cell.find(qn("w:sdtContent")).append(tc)
    # And the whole table inside a block-level content control.
    body_sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    tbl.addprevious(body_sdt)
    body_sdt.find(qn("w:sdtContent")).append(tbl)
    path = tmp_path / "sdt.docx"
    document.save(str(path))
    doc = convert(path)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert [[c.text for c in r.cells] for r in t.rows] == [
        ["r0c0", "r0c1", "r0c2"],
        ["r1c0", "r1c1", "r1c2"],
        ["r2c0", "r2c1", "r2c2"],
    ]
    assert t.rows[2].cells[1].col == 1


def test_repeated_header_rows_are_marked(tmp_path: Path) -> None:
    document, table = _table_doc(tmp_path)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    path = tmp_path / "header.docx"
    document.save(str(path))
    t = convert(path).tables[0]
    assert t.header_rows == 1
    assert t.rows[0].is_header and not t.rows[1].is_header
    assert t.columns == ["r0c0", "r0c1", "r0c2"]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ('<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>', "☑"),
        ('<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>', "✓"),
    ],
)
def test_symbol_font_ticks_become_unicode(tmp_path: Path, xml: str, expected: str) -> None:
    document, table = _table_doc(tmp_path)
    p = table.cell(1, 1).paragraphs[0]._p
    for r in p.findall(qn("w:r")):
        p.remove(r)
    p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>")))
    path = tmp_path / "sym.docx"
    document.save(str(path))
    assert convert(path).tables[0].rows[1].cells[1].text == expected


def test_checkbox_content_control(tmp_path: Path) -> None:
    document, table = _table_doc(tmp_path)
    p = table.cell(1, 2).paragraphs[0]._p
    for r in p.findall(qn("w:r")):
        p.remove(r)
    w14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")} {w14}><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/>'
        f"</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>"
    )
    p.append(sdt)
    unchecked = copy.deepcopy(sdt)
    unchecked.find(".//{http://schemas.microsoft.com/office/word/2010/wordml}checked").set(
        "{http://schemas.microsoft.com/office/word/2010/wordml}val", "0"
    )
    p2 = table.cell(2, 2).paragraphs[0]._p
    for r in p2.findall(qn("w:r")):
        p2.remove(r)
    p2.append(unchecked)
    path = tmp_path / "checkbox.docx"
    document.save(str(path))
    t = convert(path).tables[0]
    assert t.rows[1].cells[2].text == "☒"
    assert t.rows[2].cells[2].text == ""


def test_not_a_docx_raises_project_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(ExtractError) as info:
        convert(path)
    assert info.value.file == "broken.docx"


def test_running_headers_are_furniture_not_items(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "XY/ABC/12/3 page 1"
    document.add_paragraph("Body text")
    path = tmp_path / "header.docx"
    document.save(str(path))
    doc = convert(path)
    assert [b.text for b in doc.furniture] == ["XY/ABC/12/3 page 1"]
    assert [b.text for b in doc.blocks] == ["Body text"]
