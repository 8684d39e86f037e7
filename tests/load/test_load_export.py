"""Exporting a view to CSV, Parquet and Excel."""

from __future__ import annotations

from datetime import date
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


def test_excel_export_is_ready_to_read(sqlite_db: sa.Engine, tmp_path: Path) -> None:
    """Header frozen, filters on, widths from the content, ISO dates as dates, rates as %."""
    from openpyxl import load_workbook

    long_text = "The executive heads should " + "act on this matter " * 10
    load_document(
        sqlite_db,
        parsed(
            info(as_of="2022-06-30"),
            rec(number=1, rec_text=long_text, acceptance="accepted"),
            rec(number=2),
        ),
    )
    path = tmp_path / "latest.xlsx"
    assert export_view(sqlite_db, "v_latest_status", path, "xlsx") == 2
    ws = load_workbook(path)["v_latest_status"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}3"
    assert all(c.font.bold for c in ws[1])

    col = {name: i + 1 for i, name in enumerate(header)}
    as_of = ws.cell(2, col["as_of"])
    assert as_of.is_date and as_of.value.date() == date(2022, 6, 30)
    assert as_of.number_format == "yyyy-mm-dd"

    def width(name: str) -> float:
        return float(ws.column_dimensions[ws.cell(1, col[name]).column_letter].width)

    assert width("rec_text") == 62  # capped, and wrapped
    assert ws.cell(2, col["rec_text"]).alignment.wrap_text
    assert ws.cell(2, col["rec_text"]).value == long_text  # the text itself is untouched
    assert width("rec_number") == len("rec_number") + 2
    assert width("source_file") >= len("report.pdf") + 2

    load_document(
        sqlite_db, parsed(info("b.pdf", "b", agency="ITU"), rec(number=3, acceptance="accepted"))
    )
    rates = tmp_path / "rates.xlsx"
    export_view(sqlite_db, "v_rates", rates, "xlsx")
    ws = load_workbook(rates)["v_rates"]
    header = [c.value for c in ws[1]]
    rate = ws.cell(2, header.index("acceptance_rate") + 1)
    assert rate.value == pytest.approx(1.0) and rate.number_format == "0.0%"

    docs = tmp_path / "docs.xlsx"
    export_view(sqlite_db, "v_documents", docs, "xlsx")
    ws = load_workbook(docs)["v_documents"]
    header = [c.value for c in ws[1]]
    ingested = ws.cell(2, header.index("ingested_at") + 1)
    assert ingested.is_date and ingested.number_format == "yyyy-mm-dd hh:mm:ss"
