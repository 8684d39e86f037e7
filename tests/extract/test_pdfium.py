"""extract.pdfium: PDFium's page objects must look to pdfplumber's algorithms like pdfminer's.

Each test builds a PDF with reportlab and compares the PDFium page with pdfplumber's page of
the same file: characters, edges, and the tables pdfplumber's table finder sees on each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from core.errors import ExtractError
from extract.pdf_config import DEFAULT_TABLE_SETTINGS, DEFAULT_TEXT_TABLE_SETTINGS
from extract.pdfium import PdfiumPage, read_pages

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TOLERANCE = 0.5  # points


def _report(path: Path, *, pagesize: Any = A4, rows: int = 40) -> Path:
    """A heading, a paragraph with hyphenated line ends, and a ruled table over pages."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    text = " ".join(f"cross-functional well-being item{i}" for i in range(40))
    data: list[list[Any]] = [["No.", "Recommendation", "Status"]]
    data += [
        [
            str(i),
            Paragraph(f"Recommendation {i}: strengthen the co-ordination of {i}", body),
            "Open",
        ]
        for i in range(1, rows)
    ]
    table = Table(data, colWidths=[40, 300, 80], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ]
        )
    )
    doc = SimpleDocTemplate(str(path), pagesize=pagesize)
    doc.build(
        [Paragraph("Status of recommendations", styles["Heading1"]), Paragraph(text, body), table]
    )
    return path


def _edges(page: Any) -> list[tuple[str, float, float, float, float]]:
    return sorted(
        (e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
        for e in page.edges
        if e["orientation"] in ("h", "v")
    )


def _pairs(path: Path) -> list[tuple[Any, PdfiumPage]]:
    fast = read_pages(path)
    with pdfplumber.open(path) as pdf:
        slow = [(p, p.chars, p.edges) for p in pdf.pages]
    assert len(fast) == len(slow)
    return [(s, f) for s, f in zip(slow, fast, strict=True)]


@pytest.fixture(scope="module")
def portrait(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(tmp_path_factory.mktemp("pdfium") / "portrait.pdf")


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(tmp_path_factory.mktemp("pdfium") / "wide.pdf", pagesize=landscape(A4))


@pytest.mark.parametrize("name", ["portrait", "wide"])
def test_same_chars_as_pdfminer(name: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(name)
    for (page, chars, _), fast in _pairs(path):
        assert fast.width == pytest.approx(float(page.width), abs=0.01)
        assert fast.height == pytest.approx(float(page.height), abs=0.01)
        assert "".join(c["text"] for c in fast.chars) == "".join(c["text"] for c in chars)
        for a, b in zip(chars, fast.chars, strict=True):
            for key in ("x0", "x1", "top", "bottom", "size"):
                assert abs(a[key] - b[key]) <= TOLERANCE, (a, b, key)
            assert ("bold" in a["fontname"].lower()) == ("bold" in b["fontname"].lower())
            assert a["upright"] == b["upright"]


def test_line_end_hyphens_are_kept(portrait: Path) -> None:
    text = "".join(c["text"] for page in read_pages(portrait) for c in page.chars)
    assert "cross-functional" in text and "well-being" in text
    assert "\ufffe" not in text and "\x02" not in text


@pytest.mark.parametrize("name", ["portrait", "wide"])
def test_same_edges_and_tables_as_pdfminer(name: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(name)
    found = 0
    for (page, _, _), fast in _pairs(path):
        assert _edges(fast) == _edges(page)
        for settings in (DEFAULT_TABLE_SETTINGS, DEFAULT_TEXT_TABLE_SETTINGS):
            slow_cells = [sorted(t.cells) for t in page.find_tables(settings)]
            fast_cells = [sorted(t.cells) for t in fast.find_tables(settings)]
            assert len(fast_cells) == len(slow_cells)
            for a, b in zip(slow_cells, fast_cells, strict=True):
                assert len(a) == len(b)
                for ca, cb in zip(a, b, strict=True):
                    assert ca == pytest.approx(cb, abs=TOLERANCE)
            found += len(fast_cells)
    assert found > 0


def test_crop_keeps_only_objects_inside(portrait: Path) -> None:
    page = read_pages(portrait, [0])[0]
    half = page.crop((0, 0, page.width, page.height / 2))
    assert half.chars and len(half.chars) < len(page.chars)
    assert all(c["bottom"] <= page.height / 2 + TOLERANCE for c in half.chars)


@pytest.mark.slow
@pytest.mark.parametrize("pdf", sorted(CORPUS.glob("*.pdf"))[:2], ids=lambda p: p.name[:12])
def test_corpus_tables_match(pdf: Path) -> None:
    for (page, _, _), fast in _pairs(pdf):
        slow = [len(t.cells) for t in page.find_tables(DEFAULT_TABLE_SETTINGS)]
        assert [len(t.cells) for t in fast.find_tables(DEFAULT_TABLE_SETTINGS)] == slow


def test_unreadable_files_raise_extract_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(ExtractError, match="cannot open PDF"):
        read_pages(bad)


def test_rotated_page_is_refused_and_the_reader_falls_back(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from extract.pdf import convert
    from extract.pdfium import NotPlainPage, open_pdf, read_page

    src = _report(tmp_path / "upright.pdf", rows=6)
    doc = pdfium.PdfDocument(str(src))
    doc[0].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    doc.save(str(rotated))
    doc.close()
    handle = open_pdf(rotated)
    with pytest.raises(NotPlainPage):
        read_page(handle, 0)
    handle.close()
    slow = convert(rotated, {"engine": "pdfplumber"})
    fast = convert(rotated, {"engine": "pdfium"})
    assert [t.rows for t in fast.tables] == [t.rows for t in slow.tables]


def test_engines_give_the_same_document(portrait: Path) -> None:
    from extract.pdf import convert

    slow = convert(portrait, {"engine": "pdfplumber"})
    fast = convert(portrait, {"engine": "pdfium"})
    assert fast.tables and [t.columns for t in fast.tables] == [t.columns for t in slow.tables]
    assert [[c.text for r in t.rows for c in r.cells] for t in fast.tables] == [
        [c.text for r in t.rows for c in r.cells] for t in slow.tables
    ]
    assert [b.text for b in fast.blocks] == [b.text for b in slow.blocks]


def test_engine_setting_is_checked() -> None:
    from extract.pdf_config import PdfSettings

    with pytest.raises(ValueError, match="engine"):
        PdfSettings(engine="poppler")
