"""Exporting a view to CSV, Parquet and Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from load import LoadError, export_view, load_document
from tests.load.load_builders import info, parsed, rec


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_writes_every_row_and_column(sqlite_db: sa.Engine, tmp_path: Path, fmt: str) -> None:
    load_document(sqlite_db, parsed(info(as_of="2022-06-30"), rec(number=1), rec(number=2)))
    path = tmp_path / "out" / f"latest.{fmt}"
    assert export_view(sqlite_db, "v_latest_status", path, fmt) == 2  # type: ignore[arg-type]
    reader = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt]
    frame = reader(path)
    assert len(frame) == 2
    assert list(frame.columns)[:4] == ["agency", "document_symbol", "as_of", "source_file"]
    assert sorted(frame["rec_number"]) == [1, 2]


def test_export_documents_view_to_excel(sqlite_db: sa.Engine, tmp_path: Path) -> None:
    load_document(sqlite_db, parsed(info()))
    assert export_view(sqlite_db, "v_documents", tmp_path / "docs.xlsx", "xlsx") == 1


def test_export_refuses_names_that_are_not_public_views(
    sqlite_db: sa.Engine, tmp_path: Path
) -> None:
    with pytest.raises(LoadError, match="unknown view"):
        export_view(sqlite_db, "documents; DROP TABLE documents", tmp_path / "x.csv", "csv")
    with pytest.raises(LoadError, match="unknown export format"):
        export_view(sqlite_db, "v_rates", tmp_path / "x.json", "json")  # type: ignore[arg-type]
