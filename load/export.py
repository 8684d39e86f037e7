"""Writing a public view to a file an analyst can open (CSV, Parquet, Excel).

An Excel export is made to be read in Excel: the header row frozen, filters on, columns as
wide as their content (long text capped and wrapped), ISO dates and times as Excel dates (so
they sort and filter as dates), and rates as percentages. The values are the view's own.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from core.errors import LoadError

from .views import VIEWS

if TYPE_CHECKING:  # pandas costs ~80 MB and most of a second: only exports pay for it
    import pandas as pd

ExportFormat = Literal["csv", "parquet", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"
)
MAX_WIDTH = 60  # characters: longer text wraps inside the cell
DATE_FORMAT, DATETIME_FORMAT, RATE_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "0.0%"


def read_view(engine: sa.Engine, view: str) -> pd.DataFrame:
    """The rows of a public view; only the names in :data:`load.views.VIEWS` are accepted."""
    if view not in VIEWS:
        raise LoadError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    import pandas as pd

    with engine.connect() as conn:
        return pd.read_sql_query(sa.text(f"SELECT * FROM {view}"), conn)


def export_view(engine: sa.Engine, view: str, path: Path, fmt: ExportFormat = "csv") -> int:
    """Write ``view`` to ``path`` as ``fmt``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise LoadError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    frame = read_view(engine, view)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        write_xlsx(frame, path, sheet=view[:31])
    return len(frame)


def _as_excel_value(column: list[Any]) -> tuple[list[Any], str | None]:
    """A column's values as Excel should hold them, and the cell format to show them with.

    A text column whose every value is an ISO date (or date and time) becomes dates; a column
    mixing dates and other text (a deadline given as "2022") stays text, as the view has it.
    Times are kept as written, in UTC, without the offset (Excel has no time zones).
    """
    present = [v for v in column if v is not None]
    if not present or not all(isinstance(v, str) for v in present):
        return column, None
    if all(_ISO_DATE.fullmatch(v) for v in present):
        return [date.fromisoformat(v) if isinstance(v, str) else None for v in column], DATE_FORMAT
    if all(_ISO_DATETIME.fullmatch(v) for v in present):
        out: list[datetime | None] = []
        for v in column:
            if isinstance(v, str):
                moment = datetime.fromisoformat(v.replace("Z", "+00:00"))
                out.append(moment.replace(tzinfo=None))
            else:
                out.append(None)
        return out, DATETIME_FORMAT
    return column, None


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """``frame`` as an Excel sheet a person can use straight away (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    columns = [str(c) for c in frame.columns]
    ws.append(columns)
    converted: list[list[Any]] = []
    formats: list[str | None] = []
    for name in columns:
        values = [None if _missing(v) else v for v in frame[name].tolist()]
        values, fmt = _as_excel_value(values)
        if fmt is None and name.endswith("_rate"):
            fmt = RATE_FORMAT
        converted.append(values)
        formats.append(fmt)
    for row in zip(*converted, strict=True):
        ws.append(list(row))
    for i, (name, values, fmt) in enumerate(zip(columns, converted, formats, strict=True), 1):
        letter = get_column_letter(i)
        widest = max([len(name), *(len(_shown(v, fmt)) for v in values if v is not None)])
        ws.column_dimensions[letter].width = min(widest, MAX_WIDTH) + 2
        wrap = widest > MAX_WIDTH
        for cell in ws[letter][1:]:
            if fmt:
                cell.number_format = fmt
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    book.save(path)


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))


def _shown(value: Any, fmt: str | None) -> str:
    """How wide a value is on screen, for the column width."""
    if fmt == DATE_FORMAT:
        return "2022-06-30"
    if fmt == DATETIME_FORMAT:
        return "2022-06-30 12:00:00"
    if fmt == RATE_FORMAT:
        return "100.0%"
    return max(str(value).splitlines() or [""], key=len)
