"""Fonts for tick marks in PDF: a mark is only offered where a font draws (and extracts) it.

reportlab's base fonts cover X and x. Other marks need a TrueType font with the glyph:
DejaVu Sans from the system or from matplotlib's bundled fonts, else reportlab's own Vera
(which has √ only). ZapfDingbats is not used: pdfminer extracts its glyphs as plain letters,
so the fixture would not be what it claims.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .variant import TICKS

BASE_MARKS = frozenset("Xx")


def _candidates() -> list[Path]:
    paths = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        paths.append(Path(spec.origin).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf")
    spec = importlib.util.find_spec("reportlab")
    if spec and spec.origin:
        paths.append(Path(spec.origin).parent / "fonts/Vera.ttf")
    return [p for p in paths if p.is_file()]


@cache
def _registered() -> list[tuple[str, frozenset[int]]]:
    """(font name, code points) of each usable TrueType candidate, registered once."""
    out = []
    for i, path in enumerate(_candidates()):
        name = f"GenTick{i}"
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        out.append((name, frozenset(font.face.charToGlyph)))
    return out


def tick_font(mark: str, base_font: str) -> str | None:
    """Name of a registered font that draws ``mark``, or None if none on this machine does."""
    if mark in BASE_MARKS:
        return base_font
    for name, codes in _registered():
        if ord(mark) in codes:
            return name
    return None


def available_ticks() -> tuple[str, ...]:
    """The tick marks PDFs can carry on this machine."""
    return tuple(t for t in TICKS if tick_font(t, "Helvetica"))


BOLD = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}


def bold_of(font: str) -> str:
    try:
        return BOLD[font]
    except KeyError:
        raise ValueError(f"PDF font must be one of {sorted(BOLD)}, not {font!r}") from None
