"""Settings of the PDF reader: one dataclass, built from None, a plain dict or itself.

pdfplumber's table settings stay plain dicts (its own vocabulary, documented upstream), so a
per-agency override can live in YAML; everything else is a named, checked default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Ruled tables, the corpus case. pdfplumber turns stroked lines *and* the edges of filled
# rectangles into edges ("lines", not "lines_strict"), so rules drawn as thin filled
# rectangles count; the snap/join tolerances fold a thin rectangle's two edges into one.
DEFAULT_TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}

# Where a page's chars and rules come from; the table, word and layout algorithms are the same
# (pdfplumber's) either way. "pdfium" reads pages ~7x faster than pdfminer with the same
# results on the corpus and the generated documents (benchmarks/README.md); "pdfplumber" is
# the reference. The engine is a setting like any other (``rectrack run --pdf-engine`` puts it
# in the run's configuration); nothing here reads the environment.
ENGINES = ("pdfium", "pdfplumber")
DEFAULT_ENGINE = "pdfium"

DEFAULT_MARGIN_BAND = 0.08  # share of page height (A4: 67 pt) searched for running headers/footers
DEFAULT_MIN_REPEATS = 2  # pages a masked header/footer text must appear on
DEFAULT_CONTINUATION_GAP = 0.06  # share of page height: how close to the bottom a table must end
DEFAULT_COLUMN_TOLERANCE = 4.0  # points: column boundaries of two fragments may differ by this
DEFAULT_PARAGRAPH_GAP = 0.6  # times the font size: larger vertical gap starts a new block
DEFAULT_SIZE_TOLERANCE = 0.5  # points: lines of one block have this close a font size
DEFAULT_HEADER_BOLD_SHARE = 0.9  # a leading row this bold is a header row ("marked as such")


@dataclass
class PdfSettings:
    table_settings: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_TABLE_SETTINGS))
    text_fallback: bool = True  # read unruled tables (extract.pdf_unruled) on pages without rules
    # ... only on pages that show a sign of recommendations or statuses (extract.pdf_cues)
    skip_unlikely: bool = True
    margin_band: float = DEFAULT_MARGIN_BAND
    min_repeats: int = DEFAULT_MIN_REPEATS
    continuation_gap: float = DEFAULT_CONTINUATION_GAP
    column_tolerance: float = DEFAULT_COLUMN_TOLERANCE
    paragraph_gap: float = DEFAULT_PARAGRAPH_GAP
    size_tolerance: float = DEFAULT_SIZE_TOLERANCE
    header_bold_share: float = DEFAULT_HEADER_BOLD_SHARE
    engine: str = DEFAULT_ENGINE

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if not 0 < self.margin_band < 0.5:
            raise ValueError("margin_band must be a share of the page height in (0, 0.5)")
        if self.min_repeats < 2:
            raise ValueError("min_repeats must be at least 2")
        for name in ("continuation_gap", "column_tolerance", "paragraph_gap", "size_tolerance"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        # Fail early on a bad pdfplumber key rather than on the first page.
        from pdfplumber.table import TableSettings

        TableSettings.resolve(dict(self.table_settings))

    @classmethod
    def resolve(cls, settings: PdfSettings | dict[str, Any] | None) -> PdfSettings:
        """None -> defaults; a dict (e.g. from YAML) -> checked settings; an instance as is.
        A dict's ``table_settings`` are merged over the defaults, not replacing them."""
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, dict):
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(settings) - known)
            if unknown:
                raise ValueError(f"unknown PDF setting(s): {', '.join(unknown)}")
            values = dict(settings)
            if "table_settings" in values:
                values["table_settings"] = {**DEFAULT_TABLE_SETTINGS, **values["table_settings"]}
            return cls(**values)
        raise ValueError(f"cannot resolve PDF settings from {type(settings).__name__}")
