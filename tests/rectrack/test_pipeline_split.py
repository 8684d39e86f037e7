"""A long PDF read in page ranges by several workers gives what one whole-file parse gives."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.errors import ExtractError
from core.model import Document, Table
from extract import jobs, pdf
from extract.config import MIN_CHUNK_PAGES
from extract.jobs import page_ranges
from rectrack import pipeline
from rectrack.config import RunConfig
from rectrack.pipeline import parse_file, parse_many

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
LONG = CORPUS / "WO_PBC_34_6.pdf"  # tables run over page breaks
OTHER = CORPUS / "UNW_2021_SEA-SH_review_update.pdf"
SMALL_DOCX = CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx"
CHUNK = 5  # small ranges, so that their boundaries fall inside tables


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    pipeline.warm_up()  # as `run` does: forked workers inherit the caches


@pytest.fixture(scope="module")
def long_doc() -> Document:
    return pdf.convert(LONG, {"engine": "pdfium"})


def test_page_ranges_cover_every_page_once() -> None:
    for pages in (1, 9, 25, 36, 200):
        for workers in (2, 3, 8):
            for chunk in (None, 1, 5):
                ranges = page_ranges(pages, workers, chunk)
                covered = [p for a, b in ranges for p in range(a, b + 1)]
                assert covered == list(range(1, pages + 1))
                if chunk is None and len(ranges) > 1:
                    assert min(b - a + 1 for a, b in ranges[:-1]) >= MIN_CHUNK_PAGES
                    assert len(ranges) <= workers


def test_ranges_end_inside_tables(long_doc: Document) -> None:
    """Or the tests below would prove little: tables span several range boundaries."""
    ends = {b for _, b in page_ranges(len(long_doc.pages), 2, CHUNK)}
    spans = 0
    for item in long_doc.items:
        if isinstance(item, Table):
            pages = {p.page for p in item.prov}
            spans += sum(1 for end in ends if end in pages and end + 1 in pages)
    assert spans >= 2


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_split_parse_equals_whole_parse(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = RunConfig.build(
        workers=2, timeout_s=120, pdf_engine=engine, split_pages=4, chunk_pages=CHUNK
    )
    files = [LONG] if engine == "pdfplumber" else [LONG, OTHER]  # pdfminer is slow
    planned = tmp_path / "planned"  # page counts of the documents split, one a line

    def ranges(pages: int, workers: int, chunk: int | None = None) -> list[tuple[int, int]]:
        with planned.open("a") as fh:  # planning runs in a worker: tell the test by file
            fh.write(f"{pages}\n")
        return page_ranges(pages, workers, chunk)

    monkeypatch.setattr(jobs, "page_ranges", ranges)
    split = dict(parse_many(files, config))
    for path in files:
        whole = parse_file(path, config.extract)
        got = split[path]
        assert not isinstance(got, Exception), got
        assert got.assessments == whole.assessments
        assert got.unmapped == whole.unmapped
        assert got.info == whole.info
        assert whole.assessments  # a document that gives records
    split_counts = sorted(int(n) for n in planned.read_text().split())
    assert split_counts == sorted(pdf.page_count(f) for f in files)  # every one was split


@pytest.mark.slow
def test_in_process_ranges_assemble_to_convert(long_doc: Document) -> None:
    """``convert`` is ``assemble`` over ``read_page_range``, even one page per range."""
    settings = {"engine": "pdfium"}
    n = pdf.page_count(LONG)
    ranges = page_ranges(n, 2, 1)
    pages = [p for a, b in ranges for p in pdf.read_page_range(LONG, a, b, settings)]
    assert pdf.assemble(LONG, pages, settings) == long_doc


def test_page_range_out_of_bounds_is_a_clear_error() -> None:
    with pytest.raises(ExtractError, match="no pages 30-40 in a document of 36 pages"):
        pdf.read_page_range(LONG, 30, 40)


Reader = Callable[..., list[pdf.PageData]]


def _hang_on_second_range(real: Reader) -> Reader:
    def read(path: Path, first: int, last: int | None = None, settings: object = None) -> Any:
        if path.name == LONG.name and first > 1:
            time.sleep(3600)
        return real(path, first, last, settings)

    return read


@pytest.mark.slow
def test_a_range_that_times_out_fails_its_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "read_page_range", _hang_on_second_range(pdf.read_page_range))
    start = time.monotonic()
    config = RunConfig.build(
        db=str(tmp_path / "split.sqlite"), workers=2, timeout_s=4, split_pages=24, chunk_pages=18
    )
    summary = pipeline.run([LONG, SMALL_DOCX, OTHER], config)
    elapsed = time.monotonic() - start
    outcomes = {o.path.name: o for o in summary.outcomes}
    assert outcomes[LONG.name].status == "failed"
    assert outcomes[LONG.name].error == "pages 19-36: gave up after 4 s (timeout)"
    assert outcomes[SMALL_DOCX.name].status == "loaded"
    assert outcomes[OTHER.name].status == "loaded"
    assert outcomes[OTHER.name].records > 0
    assert len(summary.outcomes) == 3  # each file reported once
    assert elapsed < 60
