"""``extract.pdfium`` builds on pdfplumber internals that are not public API: ``Container``
(the object properties ``chars``/``rects``/``edges`` derived from ``objects``), ``TableFinder``
and ``utils.extract_words``/``crop_to_bbox``. pyproject bounds pdfplumber below its next minor
release; these tests are what fails, loudly and by name, when an upgrade changes those internals."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber import utils
from pdfplumber.container import Container
from pdfplumber.table import TableFinder, TableSettings

from extract.pdfium import PdfiumPage

ROOT = Path(__file__).resolve().parents[2]


def _line(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "line",
        "x0": x0,
        "top": top,
        "x1": x1,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "doctop": top,
        "page_number": 1,
        "stroking_color": (0,),
        "non_stroking_color": (0,),
        "linewidth": 1,
        "pts": [(x0, top), (x1, bottom)],
    }


def _char(text: str, x0: float, top: float) -> dict[str, Any]:
    return {
        "object_type": "char",
        "text": text,
        "x0": x0,
        "x1": x0 + 6,
        "top": top,
        "bottom": top + 10,
        "width": 6,
        "height": 10,
        "doctop": top,
        "upright": True,
        "fontname": "Helvetica",
        "size": 10,
        "page_number": 1,
        "adv": 6,
        "matrix": (1, 0, 0, 1, x0, top),
        "stroking_color": (0,),
        "non_stroking_color": (0,),
    }


def _grid_page() -> PdfiumPage:
    """A 2 x 2 ruled table: 'A' 'B' / 'C' 'D'."""
    lines = [_line(100, y, 300, y) for y in (100, 130, 160)]
    lines += [_line(x, 100, x, 160) for x in (100, 200, 300)]
    chars = [_char("A", 140, 110), _char("B", 240, 110), _char("C", 140, 140), _char("D", 240, 140)]
    return PdfiumPage(1, (0, 0, 400, 400), {"char": chars, "line": lines, "rect": [], "curve": []})


def test_pdfplumber_pin_is_bounded_and_installed_version_inside_it() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("pdfplumber"))
    upper = re.search(r"<\s*([\d.]+)", spec)
    assert upper, (
        f"pdfplumber pin {spec!r} must have an upper bound (extract/pdfium.py uses internals)"
    )
    installed = tuple(int(p) for p in pdfplumber.__version__.split(".")[:2])
    bound = tuple(int(p) for p in upper.group(1).split(".")[:2])
    assert installed < bound


def test_container_derives_object_lists_from_objects() -> None:
    page = _grid_page()
    assert isinstance(page, Container)
    assert [c["text"] for c in page.chars] == ["A", "B", "C", "D"]
    assert len(page.lines) == 6
    assert len(page.horizontal_edges) == 3 and len(page.vertical_edges) == 3


def test_table_finder_signature_and_result_shape() -> None:
    params = list(inspect.signature(TableFinder.__init__).parameters)
    assert params[:3] == ["self", "page", "settings"], params
    assert callable(TableSettings.resolve)
    tables = _grid_page().find_tables()
    assert len(tables) == 1
    table = tables[0]
    assert tuple(round(v) for v in table.bbox) == (100, 100, 300, 160)
    assert table.extract() == [["A", "B"], ["C", "D"]]
    assert len(table.rows) == 2 and all(len(r.cells) == 2 for r in table.rows)


def test_utils_word_and_crop_helpers() -> None:
    page = _grid_page()
    words = page.extract_words()
    assert [w["text"] for w in words] == ["A", "B", "C", "D"]
    cropped = page.crop((100, 100, 200, 130))
    assert [c["text"] for c in cropped.chars] == ["A"]
    assert callable(utils.extract_words) and callable(utils.crop_to_bbox)
