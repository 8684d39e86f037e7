"""extract.pdfium reads chars through the C loop of ``extract._pdfium_chars`` where it is built,
else through ctypes: both paths must give the same chars, value for value.

The C path is an optional extension (an install without a compiler still succeeds), so these
tests also check that it is built where a compiler and Python's headers are (as in CI), and
that the reader falls back to ctypes when the module cannot be imported.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from extract import pdfium

ROOT = Path(__file__).resolve().parents[2]
CORPUS_PDFS = sorted((ROOT / "corpus").glob("*.pdf")) + sorted(
    (ROOT / "corpus" / "real").glob("*.pdf")
)

needs_c = pytest.mark.skipif(pdfium._native is None, reason="extract._pdfium_chars not built")


def _read(path: Path, native: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``_chars`` of every page of ``path`` with ``_native`` set to ``native``."""
    import pypdfium2

    monkeypatch.setattr(pdfium, "_native", native)
    doc = pypdfium2.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            out.append(pdfium._chars(page, pdfium._Frame(0, page.get_height()), i + 1))
            page.close()
        return out
    finally:
        doc.close()


def _assert_same(c_pages: list[Any], py_pages: list[Any]) -> None:
    """Same dicts (keys in order, value types, values; floats bit for bit) and same Columns."""
    assert len(c_pages) == len(py_pages)
    for (c_chars, c_cols), (py_chars, py_cols) in zip(c_pages, py_pages, strict=True):
        assert len(c_chars) == len(py_chars)
        for a, b in zip(c_chars, py_chars, strict=True):
            assert list(a) == list(b)
            assert [type(v) for v in a.values()] == [type(v) for v in b.values()]
            assert a == b
        assert (c_cols is None) == (py_cols is None)
        if c_cols is not None:
            for x, y in zip(c_cols, py_cols, strict=True):
                assert x.dtype == y.dtype and x.shape == y.shape
                assert x.tobytes() == y.tobytes()


def _mixed_pdf(path: Path) -> Path:
    """Upright text in two fonts, a rotated line (upright False), then an empty page."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Recommendation 1: accepted, implemented.")
    c.setFont("Times-Bold", 14)
    c.drawString(72, 660, "Status of recommendations")
    c.saveState()
    c.translate(300, 300)
    c.rotate(90)
    c.setFont("Helvetica", 9)
    c.drawString(0, 0, "rotated margin note")
    c.restoreState()
    c.showPage()
    c.showPage()
    c.save()
    return path


@needs_c
@pytest.mark.parametrize("pdf", CORPUS_PDFS, ids=lambda p: p.name[:24])
def test_c_and_ctypes_give_the_same_chars_on_the_corpus(
    pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    native = pdfium._native
    c_pages = _read(pdf, native, monkeypatch)
    py_pages = _read(pdf, None, monkeypatch)
    assert sum(len(chars) for chars, _ in c_pages) > 0
    _assert_same(c_pages, py_pages)


@needs_c
def test_c_and_ctypes_give_the_same_rotated_chars_and_empty_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _mixed_pdf(tmp_path / "mixed.pdf")
    native = pdfium._native
    c_pages = _read(pdf, native, monkeypatch)
    py_pages = _read(pdf, None, monkeypatch)
    _assert_same(c_pages, py_pages)
    (chars, columns), empty = c_pages
    assert empty == ([], None)
    assert {c["upright"] for c in chars} == {True, False}
    assert columns is not None and not columns.upright.all()
    assert len({c["fontname"] for c in chars}) >= 2


def test_the_extension_is_built_where_a_compiler_is() -> None:
    """The extension is optional, so a broken C file would only warn at install: here it
    fails, on a machine that can build it (CI's)."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not shutil.which(cc) or not headers.is_file():
        pytest.skip("no C compiler or Python headers here: the ctypes path is the one in use")
    assert pdfium._native is not None, "extract._pdfium_chars is not built: pip install -e ."


def test_falls_back_to_ctypes_when_the_module_cannot_be_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "extract._pdfium_chars", None)  # import raises
    assert pdfium._load_native() is None

    def no_c(*_: Any) -> Any:
        raise AssertionError("the C path was taken")

    monkeypatch.setattr(pdfium, "_boxes_native", no_c)
    monkeypatch.setattr(pdfium, "_native", None)
    pages = pdfium.read_pages(_mixed_pdf(tmp_path / "mixed.pdf"))
    text = "".join(c["text"] for c in pages[0].chars)
    assert "Recommendation 1" in text and "rotated margin note" in text
    assert pages[0].columns is not None and len(pages[0].columns.x0) == len(pages[0].chars)


@needs_c
def test_the_c_loop_refuses_buffers_too_small() -> None:
    """It writes only where the caller's arrays have room (no overrun on a wrong call)."""
    assert pdfium._native is not None
    cand = np.arange(10, dtype=np.intp)
    n = len(cand)
    ok = (
        np.empty(n, np.intp),
        np.empty(n, np.uint64),
        np.empty((n, 4), np.float32),
        np.empty((n, 2), np.float64),
        np.empty(n, np.uint8),
    )
    for k, short in enumerate(
        (
            np.empty(n - 1, np.intp),
            np.empty(n, np.uint32),
            np.empty((n - 1, 4), np.float32),
            np.empty((n, 2), np.float32),
            np.empty(n - 1, np.uint8),
        )
    ):
        buffers = (*ok[:k], short, *ok[k + 1 :])
        with pytest.raises(ValueError, match="need"):
            pdfium._native.read(*pdfium._addresses(), 1, cand, *buffers)
