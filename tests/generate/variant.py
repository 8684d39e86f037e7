"""How a layout is rendered: the knobs a reader must not depend on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Rules = Literal["lines", "rects", "none"]
TICKS = ("X", "x", "✓", "✔", "☒", "☑", "√", "■")
PDF_FONTS = ("Helvetica", "Times-Roman", "Courier")
# DOCX takes any font name; these stand in for the PDF base fonts.
DOCX_FONTS = {"Helvetica": "Arial", "Times-Roman": "Times New Roman", "Courier": "Courier New"}


@dataclass(frozen=True)
class Variant:
    """Rendering parameters. ``column_seed``/``width_seed`` None keep the layout's own
    column order/widths; a seed permutes (where the layout allows) or jitters them."""

    font: str = "Helvetica"
    font_size: float = 9.0
    page_size: Literal["A4", "Letter"] = "A4"
    landscape: bool = False
    column_seed: int | None = None
    width_seed: int | None = None
    rules: Rules = "lines"  # PDF: stroked grid, thin filled rectangles, or nothing
    tick: str = "X"

    def __post_init__(self) -> None:
        if self.rules not in ("lines", "rects", "none"):
            raise ValueError(f"rules must be lines, rects or none, not {self.rules!r}")
        if self.tick not in TICKS:
            raise ValueError(f"tick must be one of {TICKS}, not {self.tick!r}")
        if not 5 <= self.font_size <= 16:
            raise ValueError(f"font_size {self.font_size} outside 5..16")

    @property
    def slug(self) -> str:
        """Short, file-name-safe summary, for test ids and file names."""
        parts = [
            self.font.split("-")[0].lower().replace(" ", ""),
            f"{self.font_size:g}pt",
            self.page_size.lower() + ("L" if self.landscape else "P"),
            self.rules,
        ]
        if self.column_seed is not None:
            parts.append(f"c{self.column_seed}")
        if self.width_seed is not None:
            parts.append(f"w{self.width_seed}")
        parts.append(f"t{TICKS.index(self.tick)}")
        return "_".join(parts)
