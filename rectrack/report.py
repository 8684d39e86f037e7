"""A static report (one HTML page, PNG charts, CSV rows) that opens offline from a folder.

Every figure is read from the public views and linked to the CSV of the rows behind it, and
every recommendation in a table names its source file and page, so a number on the page can be
traced to the printed report it came from.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
import pandas as pd
import sqlalchemy as sa

from core.errors import RectrackError
from load.export import read_view
from rectrack import __version__
from rectrack.charts import changes_chart, rates_chart, status_mix_chart

TEXT_CHARS = 160  # recommendation text is cut to this in HTML tables (full text in the CSV)
#: Integer columns that pandas turns into floats when a value is missing (DOCX pages, merges).
INT_COLUMNS = (
    "page",
    "from_page",
    "to_page",
    "pages",
    "records",
    "rec_number",
    "completed_year",
    "review_year",
    "age_years",
)


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    image: str | None  # PNG file name, if the section has a figure
    csv: str  # file with the rows behind the figure and table
    rows: pd.DataFrame  # what goes into the CSV
    table: pd.DataFrame  # what the HTML table shows


def open_engine(engine_or_db: sa.Engine | str | Path) -> sa.Engine:
    """An engine for an existing database: an Engine as is, a path or URL opened at head."""
    import load
    from rectrack.paths import check_db

    if isinstance(engine_or_db, sa.Engine):
        return engine_or_db
    text = str(engine_or_db)
    check_db(text, must_exist=True)
    return load.open_db(text)


def read_rows(engine: sa.Engine) -> dict[str, pd.DataFrame]:
    """The views the report shows, plus pages for both sides of every status change."""
    views = ("v_rates", "v_latest_status", "v_status_changes", "v_open_by_age", "v_documents")
    frames = {name: read_view(engine, name) for name in views}
    pages = read_view(engine, "v_assessments")[
        ["source_file", "review_symbol", "rec_number", "page"]
    ]
    keys = ["review_symbol", "rec_number"]
    changes = frames["v_status_changes"]
    changes = changes.merge(
        pages.rename(columns={"source_file": "from_document", "page": "from_page"}),
        on=["from_document", *keys],
        how="left",
    ).merge(
        pages.rename(columns={"source_file": "to_document", "page": "to_page"}),
        on=["to_document", *keys],
        how="left",
    )
    frames["v_status_changes"] = changes
    latest = frames["v_latest_status"]
    frames["v_open_by_age"] = frames["v_open_by_age"].merge(
        latest[["agency", *keys, "page", "rec_text"]], on=["agency", *keys], how="left"
    )
    return {name: _int_columns(frame) for name, frame in frames.items()}


def _int_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Pages and counts as nullable integers, so the CSV says 9, not 9.0."""
    present = [c for c in INT_COLUMNS if c in frame.columns]
    return frame.astype({c: "Int64" for c in present})


def sections(frames: dict[str, pd.DataFrame]) -> list[Section]:
    rates = frames["v_rates"].sort_values("agency")
    latest = frames["v_latest_status"].sort_values(["agency", "review_symbol", "rec_number"])
    changes = frames["v_status_changes"].sort_values(
        ["agency", "to_document", "review_symbol", "rec_number"]
    )
    open_ = frames["v_open_by_age"].sort_values(
        ["age_years", "agency", "review_symbol", "rec_number"], ascending=[False, True, True, True]
    )
    docs = frames["v_documents"].sort_values(["agency", "as_of", "source_file"])
    rec_cols = ["agency", "review_symbol", "rec_number", "acceptance", "implementation"]
    return [
        Section(
            "Acceptance and implementation rates",
            "Per agency, over the latest status of each recommendation (v_rates). "
            "Acceptance rate = accepted (fully or partially) / recommendations decided on "
            "(accepted, partially accepted, not accepted or noted; under consideration, not "
            "relevant, not applicable and unknown are left out); implementation rate = "
            "implemented / accepted, following the Joint Inspection Unit's definitions. "
            "Each bar shows the counts behind it.",
            "rates.png",
            "rates.csv",
            rates,
            rates,
        ),
        Section(
            "Status mix",
            "Latest acceptance and implementation status of every recommendation, by agency "
            "(v_latest_status). The table lists each recommendation with the file and page "
            "its status was read from.",
            "status_mix.png",
            "latest_status.csv",
            latest,
            _cut_text(latest[[*rec_cols, "addressee", "as_of", "source_file", "page", "rec_text"]]),
        ),
        Section(
            "Changes between editions",
            "Recommendations whose acceptance or implementation differs between two consecutive "
            "editions of an agency's report (v_status_changes), with the page on each side.",
            "changes.png",
            "status_changes.csv",
            changes,
            changes[
                [
                    "agency",
                    "review_symbol",
                    "rec_number",
                    "from_acceptance",
                    "to_acceptance",
                    "from_implementation",
                    "to_implementation",
                    "from_document",
                    "from_page",
                    "to_document",
                    "to_page",
                ]
            ],
        ),
        Section(
            "Open recommendations by age",
            "Accepted but not implemented (v_open_by_age), oldest first; age is the year of the "
            "report's as-of date minus the review's year.",
            None,
            "open_by_age.csv",
            open_,
            _cut_text(
                open_[[*rec_cols, "review_year", "age_years", "source_file", "page", "rec_text"]]
            ),
        ),
        Section(
            "Documents",
            "Every file read, with its status and the number of recommendations taken from it "
            "(v_documents).",
            None,
            "documents.csv",
            docs,
            docs.drop(columns=["sha256"]),
        ),
    ]


def build_report(engine_or_db: sa.Engine | str | Path, out_dir: Path) -> Path:
    """Write index.html, its PNG charts and CSV files into ``out_dir``; returns index.html."""
    engine = open_engine(engine_or_db)
    try:
        frames = read_rows(engine)
    finally:
        if engine is not engine_or_db:
            engine.dispose()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = {
        "rates.png": rates_chart(frames["v_rates"]),
        "status_mix.png": status_mix_chart(frames["v_latest_status"]),
        "changes.png": changes_chart(frames["v_status_changes"]),
    }
    for name, fig in figures.items():
        fig.savefig(out_dir / name, dpi=100)
    parts = sections(frames)
    for part in parts:
        part.rows.to_csv(out_dir / part.csv, index=False)
    index = out_dir / "index.html"
    index.write_text(render(parts, frames), encoding="utf-8")
    return index


def render(parts: list[Section], frames: dict[str, pd.DataFrame]) -> str:
    docs = frames["v_documents"]
    loaded = int(docs["status"].isin(["loaded", "skipped"]).sum())
    failed = int((docs["status"] == "failed").sum())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(
        f'<li><a href="#s{i}">{html.escape(p.title)}</a></li>' for i, p in enumerate(parts)
    )
    body = "\n".join(_section(i, p) for i, p in enumerate(parts))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rectrack report</title>
<style>{CSS}</style>
</head>
<body>
<h1>UN recommendation status: cross-agency report</h1>
<p class="meta">{len(docs)} files ({loaded} loaded, {failed} failed),
{len(frames["v_latest_status"])} recommendations (latest status per agency).
Generated {stamp} by rectrack {html.escape(__version__)} from the database's public views.</p>
<nav><ul>{toc}</ul></nav>
{body}
</body>
</html>
"""


def _section(i: int, part: Section) -> str:
    figure = ""
    if part.image:
        alt = html.escape(f"{part.title} chart")
        figure = f'<figure><img src="{part.image}" alt="{alt}"></figure>'
    link = (
        f'<p class="rows">Rows behind this {"figure" if part.image else "table"}: '
        f'<a href="{part.csv}">{part.csv}</a> ({len(part.rows)} rows)</p>'
    )
    table = (
        _shown(part.table).to_html(index=False, border=0, classes="data", escape=True)
        if not part.table.empty
        else '<p class="empty">No rows.</p>'
    )
    return (
        f'<section id="s{i}">\n<h2>{html.escape(part.title)}</h2>\n'
        f"<p>{html.escape(part.intro)}</p>\n{figure}\n{link}\n"
        f'<div class="scroll">{table}</div>\n</section>'
    )


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as a person reads them: rates as percentages, missing values blank, line breaks
    of the PDF's layout as spaces (to_html would print them as a literal backslash-n)."""
    out = frame.astype(object)
    for col in out.columns:
        if col.endswith("_rate"):
            out[col] = [f"{v:.1%}" if isinstance(v, float) and v == v else v for v in out[col]]
        else:
            out[col] = [" ".join(v.split()) if isinstance(v, str) else v for v in out[col]]
    return out.where(frame.notna(), "")


def _cut_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Shorten rec_text for the page; the CSV keeps it whole."""

    def cut(text: object) -> object:
        if isinstance(text, str) and len(text) > TEXT_CHARS:
            return text[: TEXT_CHARS - 1].rstrip() + "…"
        return text

    return frame.assign(rec_text=frame["rec_text"].map(cut))


CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem;
       color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.meta, .rows { color: #555; font-size: 0.9rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
.scroll { max-height: 32rem; overflow: auto; border: 1px solid #eee; }
table.data { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
table.data th { position: sticky; top: 0; background: #f4f4f4; text-align: left; }
table.data th, table.data td { padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee;
       vertical-align: top; }
nav ul { columns: 2; }
"""


@click.command("report")
@click.option(
    "--db",
    default=None,
    help="Database: a file path or any SQLAlchemy URL [default: db/rectrack.sqlite].",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write index.html, the PNG charts and the CSV files into.",
)
def report_command(db: str | None, out: Path) -> None:
    """Write a static HTML report (charts, tables, CSV of the rows behind each chart) that
    opens offline in any browser.

    Example:

        rectrack report --db db/rectrack.sqlite --out report/
    """
    from rectrack.paths import DEFAULT_DB

    try:
        index = build_report(db or str(DEFAULT_DB), out)
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"{index} written (open it in a browser)")
