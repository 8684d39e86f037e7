"""PDF reader: real corpus files, tiny PDFs drawn with reportlab for edge cases, golden files.

Regenerate the golden summaries with ``RECTRACK_GEN_TEST_DATA=1 pytest tests/extract``.
"""

from __future__ import annotations

import json
import os
import pathlib
from functools import cache

import pytest
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.pdfgen import canvas

from core.errors import ExtractError
from core.model import Document
from extract.pdf import convert
from extract.pdf_config import PdfSettings
from extract.pdf_layout import Line

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLDEN = pathlib.Path(__file__).parent / "golden"
PDFS = sorted(p.name for p in CORPUS.glob("*.pdf"))


@cache
def corpus(name: str) -> Document:
    return convert(CORPUS / name)


def all_texts(doc: Document) -> list[str]:
    out = [b.text for b in doc.blocks]
    out += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return out


# --- corpus ---------------------------------------------------------------------------


@pytest.mark.slow
def test_unwomen_matrix_is_one_table_numbered_once() -> None:
    doc = corpus("UNW_2021_SEA-SH_review_update.pdf")
    matrices = [t for t in doc.tables if t.n_cols == 6]
    assert len(matrices) == 1
    table = matrices[0]
    assert table.header_rows >= 1
    assert len(table.prov) > 10  # one prov per page fragment
    numbers = [r.texts(6)[0].strip() for r in table.body()]
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 13)]
    # the repeated header row is gone from the body
    assert not any(r.texts(6)[1].strip() == "Recommendations" for r in table.body())


@pytest.mark.slow
def test_wipo_running_headers_never_become_text() -> None:
    doc = corpus("WO_PBC_34_6.pdf")
    texts = all_texts(doc)
    assert not [t for t in texts if "Annex I, page" in t or "Annex III, page" in t]
    assert not [t for t in texts if "WO/PBC/34/6 page" in t]


@pytest.mark.slow
def test_wipo_rows_split_by_page_breaks_are_joined() -> None:
    doc = corpus("WO_PBC_34_6.pdf")
    keyvalue = [t for t in doc.tables if t.n_cols == 3]
    assert len(keyvalue) > 40
    assert any(len(t.prov) == 2 for t in keyvalue)
    for table in keyvalue:
        for row in table.rows:
            first, *rest = row.texts(3)
            assert first.strip() or not any(x.strip() for x in rest), row
        assert table.rows[0].texts(3)[0].startswith("Recommendation")


@pytest.mark.slow
def test_itu_matrices_have_header_once_with_merged_names() -> None:
    doc = corpus("ITU_C22-61_JIU_system-wide_reports.pdf")
    matrices = [t for t in doc.tables if t.n_cols == 10]
    assert len(matrices) == 4
    for table in matrices:
        assert table.header_rows == 2
        heads = [r for r in table.rows if "Executive Heads" in r.texts(10)[0]]
        assert len(heads) == 1
        assert any(c.col_span > 1 for c in table.rows[0].cells)
        assert "Acceptance recommendation / Accept" in table.columns
        assert table.columns[0] == "Recommendation / Executive Heads"
        assert all(
            c.text.strip().startswith("Recommendation") for c in (r.cells[0] for r in table.body())
        )


@pytest.mark.slow
def test_reports_without_status_tables_are_text_only() -> None:
    for name in ("CEB_2020_5_HLCM_40th_session.pdf", "WIPO_A_47_14_security_accountability.pdf"):
        doc = corpus(name)
        # no ruled table; CEB's contents list (numeral | title | page) is read unruled
        for table in doc.tables:
            assert table.n_cols == 3 and len(table.prov) == 1
            assert all(r.texts(3)[2].strip().isdigit() for r in table.rows)
        assert len(doc.blocks) > 20
        assert doc.origin.format == "pdf" and len(doc.origin.sha256) == 64


def summary(doc: Document) -> dict[str, object]:
    return {
        "pages": len(doc.pages),
        "blocks": len(doc.blocks),
        "tables": [
            {
                "pages": [p.page for p in t.prov],
                "n_cols": t.n_cols,
                "rows": len(t.rows),
                "header_rows": t.header_rows,
                "columns": t.columns,
                "first_row": [" ".join(x.split()) for x in t.rows[0].texts(t.n_cols)],
            }
            for t in doc.tables
        ],
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", PDFS)
def test_golden(name: str) -> None:
    path = GOLDEN / f"{name}.json"
    got = summary(corpus(name))
    if os.environ.get("RECTRACK_GEN_TEST_DATA") == "1":
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file; run with RECTRACK_GEN_TEST_DATA=1 to write {path}"
    assert got == json.loads(path.read_text(encoding="utf-8"))


# --- tiny PDFs ------------------------------------------------------------------------

COLS = [60.0, 200.0, 120.0]


def draw_table(
    c: canvas.Canvas,
    page_h: float,
    top: float,
    rows: list[list[str]],
    *,
    rule: str = "line",
    bold_rows: int = 0,
    x0: float = 60.0,
    row_h: float = 30.0,
) -> float:
    """Draw a ruled grid (stroked lines or thin filled rectangles); returns its bottom."""
    xs = [x0]
    for w in COLS:
        xs.append(xs[-1] + w)
    ys = [top + i * row_h for i in range(len(rows) + 1)]
    for i, row in enumerate(rows):
        c.setFont("Helvetica-Bold" if i < bold_rows else "Helvetica", 10)
        for j, text in enumerate(row):
            c.drawString(xs[j] + 4, page_h - (ys[i] + 18), text)
    for y in ys:
        if rule == "line":
            c.line(xs[0], page_h - y, xs[-1], page_h - y)
        else:
            c.rect(xs[0], page_h - y - 0.4, xs[-1] - xs[0], 0.8, stroke=0, fill=1)
    for x in xs:
        if rule == "line":
            c.line(x, page_h - ys[0], x, page_h - ys[-1])
        else:
            c.rect(x - 0.4, page_h - ys[-1], 0.8, ys[-1] - ys[0], stroke=0, fill=1)
    return ys[-1]


def running(c: canvas.Canvas, w: float, h: float, n: int) -> None:
    c.setFont("Helvetica", 9)
    c.drawString(60, h - 30, f"DOC/SYMBOL/{n}7 Annex I, page {n}")
    c.drawString(w / 2, 25, f"- {n} -")


def test_table_split_over_two_pages_with_repeated_header(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "split.pdf"
    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    header = ["No.", "Recommendation", "Status"]
    running(c, w, h, 1)
    c.setFont("Helvetica", 11)
    c.drawString(60, h - 80, "Follow-up matrix")
    rows = [header] + [[str(i), f"Recommendation text {i}", "Open"] for i in range(1, 23)]
    rows[-1] = ["22", "First half of a long", "Closed"]
    bottom = draw_table(c, h, 100, rows, bold_rows=1)
    assert bottom > h - 80
    c.showPage()
    running(c, w, h, 2)
    draw_table(
        c, h, 60, [header, ["", "recommendation text", ""], ["23", "Last one", "Open"]], bold_rows=1
    )
    c.setFont("Helvetica", 11)
    c.drawString(60, h - 200, "Closing paragraph.")
    c.save()

    doc = convert(path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [p.page for p in table.prov] == [1, 2]
    assert table.header_rows == 1 and table.rows[0].is_header
    assert table.columns == header
    assert [r.texts(3)[0] for r in table.body()] == [str(i) for i in range(1, 24)]
    assert table.rows[-2].texts(3)[1] == "First half of a long\nrecommendation text"
    assert table.rows[-2].prov.page == 1
    texts = all_texts(doc)
    assert not [t for t in texts if "Annex I" in t or "- 1 -" in t or "- 2 -" in t]
    assert [b.text for b in doc.blocks] == ["Follow-up matrix", "Closing paragraph."]
    # reading order: block, table, block
    assert [type(i).__name__ for i in doc.items] == ["Block", "Table", "Block"]


def test_rules_drawn_as_thin_filled_rectangles(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "rects.pdf"
    _w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    rows = [["A", "B", "C"], ["1", "x", "y"], ["2", "z", "w"]]
    draw_table(c, h, 100, rows, rule="rect")
    c.save()
    doc = convert(path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.n_cols == 3 and len(table.rows) == 3
    assert [r.texts(3) for r in table.rows] == rows
    cell = table.rows[1].cells[0]
    assert cell.prov.page == 1 and cell.prov.bbox is not None
    assert abs(cell.prov.bbox.top - 130) < 2 and abs(cell.prov.bbox.x0 - 60) < 2


def test_merged_cells_come_out_once_with_spans(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "merged.pdf"
    _w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    xs, ys = [60, 160, 260, 360], [100, 130, 160, 190]
    c.setFont("Helvetica", 10)
    for text, x, y in [
        ("Group", 64, 118),
        ("Side", 264, 118),
        ("a", 64, 148),
        ("b", 164, 148),
        ("1", 64, 178),
        ("2", 164, 178),
        ("3", 264, 178),
    ]:
        c.drawString(x, h - y, text)
    for y in ys:
        c.line(xs[0], h - y, xs[-1], h - y)
    for x in (60, 360):
        c.line(x, h - 100, x, h - 190)
    c.line(160, h - 130, 160, h - 190)  # 'Group' spans columns 0-1
    c.line(260, h - 100, 260, h - 190)
    c.save()
    table = convert(path).tables[0]
    first = table.rows[0].cells
    assert [(x.text, x.col, x.col_span) for x in first] == [("Group", 0, 2), ("Side", 2, 1)]
    assert table.columns == ["Group / a", "Group / b", "Side"]
    assert table.header_rows == 0  # nothing marks them; columns come from the structure


def test_page_sizes_and_top_left_coordinates(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "sizes.pdf"
    c = canvas.Canvas(str(path))
    for size in (letter, A4, landscape(A4)):
        w, h = size
        c.setPageSize(size)
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, h - 100, f"Heading on {int(w)}x{int(h)}")
        c.setFont("Helvetica", 10)
        c.drawString(72, h - 130, "Body text line one")
        c.drawString(72, h - 142, "body text line two")
        c.showPage()
    c.save()
    doc = convert(path)
    assert [(round(p.width), round(p.height)) for p in doc.pages] == [
        (612, 792),
        (595, 842),
        (842, 595),
    ]
    heads = [b for b in doc.blocks if b.text.startswith("Heading")]
    assert len(heads) == 3 and all(b.bold and b.size == 14 for b in heads)
    for b in heads:
        assert b.prov.bbox is not None and 85 < b.prov.bbox.top < 100
    paras = [b for b in doc.blocks if b.text.startswith("Body")]
    assert [b.text for b in paras] == ["Body text line one body text line two"] * 3
    assert not any(b.bold for b in paras)


# --- errors ---------------------------------------------------------------------------


def test_truncated_pdf_is_an_extract_error(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "ok.pdf"
    c = canvas.Canvas(str(src))
    c.drawString(72, 700, "hello")
    c.save()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(src.read_bytes()[:200])
    with pytest.raises(ExtractError) as err:
        convert(bad)
    assert err.value.file == "bad.pdf" and "\n" not in str(err.value)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is not a pdf at all")
    with pytest.raises(ExtractError):
        convert(junk)


def test_encrypted_pdf_is_refused_clearly(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 700, "hidden")
    c.save()
    with pytest.raises(ExtractError, match=r"encrypted PDF.*unencrypted copy"):
        convert(path)


def test_pdf_without_text_layer(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 300, fill=1)
    c.save()
    with pytest.raises(ExtractError, match="no text layer"):
        convert(path)


def test_settings_resolve_from_dict() -> None:
    s = PdfSettings.resolve({"table_settings": {"snap_tolerance": 5}, "min_repeats": 3})
    assert s.table_settings["vertical_strategy"] == "lines"
    assert s.table_settings["snap_tolerance"] == 5 and s.min_repeats == 3
    with pytest.raises(ValueError):
        PdfSettings.resolve({"no_such_setting": 1})
    with pytest.raises(ValueError):
        PdfSettings.resolve({"table_settings": {"vertical_strategy": "magic"}})


def test_unruled_table_fallback_only_over_tabular_lines(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "unruled.pdf"
    _w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(60, h - 80, "An introductory paragraph of prose, not part of any table.")
    rows = [["Rec", "Status", "Owner", "Due"]]
    rows += [[f"R{i}", "Open" if i % 2 else "Closed", f"Unit {i}", f"202{i}"] for i in range(1, 7)]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            c.drawString(60 + j * 120, h - 120 - i * 16, text)
    c.save()
    doc = convert(path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [r.texts(4) for r in table.rows] == rows
    assert [b.text for b in doc.blocks] == [
        "An introductory paragraph of prose, not part of any table."
    ]
    off = convert(path, PdfSettings(text_fallback=False))
    assert off.tables == [] and len(off.blocks) == 2


def test_next_record_table_at_page_top_is_not_a_continuation(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "records.pdf"
    _w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    filler = [["Status", "Accepted", ""]] * 22
    draw_table(c, h, 100, [["Rec 7", "Do this", ""], *filler])
    c.showPage()
    draw_table(c, h, 60, [["Rec 8", "Do that", ""], ["Status", "Rejected", ""]])
    c.save()
    doc = convert(path)
    assert [t.rows[0].texts(3)[0] for t in doc.tables] == ["Rec 7", "Rec 8"]
    assert [[p.page for p in t.prov] for t in doc.tables] == [[1], [2]]


INTRO = "An introductory paragraph of prose before the table, which is not part of it."


def unruled_pdf(path: pathlib.Path, n_rows: int) -> list[list[str]]:
    """A Letter-landscape report whose table has no rules, header repeated on each page."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PTable

    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=10.8)
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold")
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5)
    header = ["No.", "Recommendation", "Status", "Responsible unit"]
    rows = [
        [
            str(i),
            f"Recommendation {i} asks the organization to review its policy on topic {i} "
            "and to report back to the governing body in due course.",
            "Implemented" if i % 3 else "In progress",
            f"Office {i % 4 + 1}",
        ]
        for i in range(1, n_rows + 1)
    ]
    data = [[Paragraph(t, head) for t in header]] + [[Paragraph(t, cell) for t in r] for r in rows]
    table = PTable(data, colWidths=[40, 330, 110, 120], repeatRows=1, hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP")])

    def page(c: canvas.Canvas, _doc: object) -> None:
        _w, h = landscape(letter)
        c.setFont("Helvetica", 9)
        c.drawString(72, h - 40, f"XY/51/7 page {c.getPageNumber()}")

    doc = SimpleDocTemplate(str(path), pagesize=landscape(letter))
    doc.build([Paragraph(INTRO, body), Spacer(1, 12), table], onFirstPage=page, onLaterPages=page)
    return [header, *rows]


def test_unruled_table_over_two_pages(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "unruled2.pdf"
    expected = unruled_pdf(path, 24)
    doc = convert(path)
    assert [(round(p.width), round(p.height)) for p in doc.pages] == [(792, 612)] * 2
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [p.page for p in table.prov] == [1, 2]
    assert table.n_cols == 4 and table.header_rows == 1
    assert table.columns == expected[0]
    got = [[" ".join(t.split()) for t in r.texts(4)] for r in table.rows]
    assert got == expected  # the header repeated on page 2 is dropped; words never split
    assert "\n" in table.rows[1].texts(4)[1]  # a multi-line cell keeps its lines
    assert [b.text for b in doc.blocks] == [INTRO]


def test_running_headers_are_kept_once_as_furniture(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "furniture.pdf"
    unruled_pdf(path, 24)
    doc = convert(path)
    assert [(b.text, b.prov.page, b.style) for b in doc.furniture] == [
        ("XY/51/7 page 1", 1, "furniture")
    ]
    assert not [t for t in all_texts(doc) if "XY/51/7" in t]


# --- speed without change: words once, pages without cues skip the unruled reader --------


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_fast_words_equal_pdfplumbers_on_every_corpus_page(engine: str) -> None:
    """extract.pdf_words makes, word for word and float for float, the words pdfplumber's
    own extractor makes, on every page of the corpus PDFs (both page readers)."""
    import pdfplumber
    from pdfplumber import utils

    from extract import pdfium
    from extract.pdf_words import upright_words

    pages = 0
    for name in PDFS:
        if engine == "pdfium":
            chars_of = [p.chars for p in pdfium.read_pages(CORPUS / name)]
        else:
            with pdfplumber.open(CORPUS / name) as pdf:
                chars_of = [p.chars for p in pdf.pages]
        for chars in chars_of:
            upright = [c for c in chars if c.get("upright", True)]
            assert upright_words(chars) == utils.extract_words(upright, return_chars=True)
            pages += 1
    assert pages == 95


def _char(text: str, x0: float, top: float, size: float = 10.0) -> dict[str, object]:
    return {
        "text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + size,
        "doctop": top, "upright": True, "size": size, "fontname": "Helvetica",
    }  # fmt: skip


def test_fast_words_follow_pdfplumbers_rules_at_the_edges() -> None:
    """Blank and empty chars, line clusters chained by tolerance, overlapping and distant
    chars, ligatures, an unsorted input: the same words as pdfplumber's."""
    from pdfplumber import utils

    from extract.pdf_words import upright_words

    chars = [
        _char("b", 15, 100), _char("a", 10, 100), _char(" ", 20, 100), _char("c", 25, 101),
        _char("ﬁ", 30, 102.5), _char("", 35, 102), _char("d", 40, 104), _char("e", 47.5, 104),
        _char("k", 21, 106.5),
        _char("f", 40, 140), _char("g", 44, 146), _char("h", 30, 200),
    ]  # fmt: skip
    rotated = {**_char("r", 0, 0), "upright": False}
    assert upright_words([*chars, rotated]) == utils.extract_words(chars, return_chars=True)
    assert upright_words([]) == [] and upright_words([_char(" ", 0, 0)]) == []


def _line(text: str, segments: int = 1) -> Line:
    return Line(1, text, 0, 0, 100, 10, 10.0, 0, len(text), segments)


def test_cue_words_marks_and_columns_decide_which_pages_are_analysed() -> None:
    from extract.pdf_cues import worth_analysing

    prose = [_line("The Committee met in Geneva and heard the delegations.")] * 5
    assert not worth_analysing(prose)
    assert worth_analysing([*prose, _line("Status of RECOMMENDATIONS")])
    assert worth_analysing([*prose, _line("Fully implemented")])
    assert worth_analysing([*prose, _line("Unit A ✓")])
    assert worth_analysing([*prose, _line("A B C", 3), _line("D E F", 3)])
    assert not worth_analysing([*prose, _line("A B C", 3)])  # one columned line is no table


def _prose_table_pdf(path: pathlib.Path) -> list[list[str]]:
    """An unruled table with no cue word: a list of meetings."""
    _w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    rows = [["Meeting", "City", "Room", "Day"]]
    rows += [[f"M{i}", "Geneva" if i % 2 else "Rome", f"Room {i}", f"Day {i}"] for i in range(6)]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            c.drawString(60 + j * 120, h - 120 - i * 16, text)
    c.showPage()
    c.setFont("Helvetica", 10)
    c.drawString(60, h - 80, "A page of prose about the weather in Geneva and in Rome.")
    c.save()
    return rows


def test_pages_that_look_like_tables_are_analysed_without_cue_words(
    tmp_path: pathlib.Path,
) -> None:
    path = tmp_path / "meetings.pdf"
    rows = _prose_table_pdf(path)
    doc = convert(path)
    assert [[r.texts(4) for r in t.rows] for t in doc.tables] == [rows]
    assert convert(path, PdfSettings(skip_unlikely=False)) == doc


@pytest.mark.slow
def test_skipping_unlikely_pages_changes_nothing_on_the_corpus() -> None:
    for name in PDFS:
        assert convert(CORPUS / name, PdfSettings(skip_unlikely=False)) == corpus(name), name
