"""Writing a public view to a file an analyst can open (CSV, Parquet, Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from core.errors import LoadError

from .views import VIEWS

if TYPE_CHECKING:  # pandas costs ~80 MB and most of a second: only exports pay for it
    import pandas as pd

ExportFormat = Literal["csv", "parquet", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx")


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
        frame.to_excel(path, index=False, sheet_name=view[:31])
    return len(frame)
