"""A static report (one HTML page, PNG charts, CSV rows) that opens offline from a folder.

Every figure is read from the public views and linked to the CSV of the rows behind it; every
rate links to the rows it adds up (``v_rate_rows``, per agency and body); every source file
links to its page (``file.pdf#page=N``) when the files are found under ``--sources``; and what
the rates leave out (acceptance not stated, under consideration, ...) is footnoted, so a number
on the page can be traced to the printed report it came from. A chart with nothing to draw is
replaced by one line saying why.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import pandas as pd
import sqlalchemy as sa

from core.errors import RectrackError
from core.text import fold
from load.export import read_view
from rectrack import __version__
from rectrack.charts import changes_chart, rates_chart, status_mix_chart

TEXT_CHARS = 160  # longer text is shown folded: this much, then the whole on a click
#: Columns naming a source file, and the column holding the page on that file.
FILE_COLUMNS = {
    "source_file": "page",
    "from_document": "from_page",
    "to_document": "to_page",
    "document": "page",
    "earlier_document": None,
}
#: Columns of v_rates and the 0/1 flag of v_rate_rows each one adds up.
COUNT_FLAGS = {"recommendations": "counted", "accepted": "accepted", "implemented": "implemented"}
RATE_ROWS_DIR = "rate_rows"
RATE_KEY = ["agency", "body"]  # one rate per (agency, oversight body), as v_rates
#: Recommendations in the order they are printed (rec_id for the unnumbered or lettered).
REC_ORDER = ["review_symbol", "rec_number", "rec_id"]
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
    notes: tuple[str, ...] = ()  # footnotes (HTML) under the table
    no_figure: str | None = None  # why the figure is not drawn (nothing to draw), if so


@dataclass(frozen=True)
class Links:
    """Where the page's links go: source files (relative to the report) and rate rows."""

    sources: dict[str, str] = field(default_factory=dict)  # source_file -> href, no #page
    #: (agency, body) -> CSV of the rows behind that rate (v_rates has one row per pair)
    rate_rows: dict[tuple[str, str], str] = field(default_factory=dict)


def find_sources(folders: Iterable[Path], names: Iterable[str], out_dir: Path) -> dict[str, str]:
    """href (relative to ``out_dir``) of each source file found under ``folders``, by name.

    The database keeps file names only; the files are wherever the user keeps the corpus, so
    the report links only to files it actually finds there (never a dead link).
    """
    wanted = set(names)
    found: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.name in wanted and path.name not in found and path.is_file():
                rel = os.path.relpath(path.resolve(), out_dir.resolve())
                found[path.name] = Path(rel).as_posix()
    return found


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
    views = (
        "v_rates",
        "v_rate_rows",
        "v_latest_status",
        "v_status_changes",
        "v_open_by_age",
        "v_documents",
        "v_editions",
    )
    frames = {name: read_view(engine, name) for name in views}
    pages = read_view(engine, "v_assessments")[["source_file", "review_symbol", "rec_id", "page"]]
    keys = ["review_symbol", "rec_id"]  # rec_id: the recommendation as printed (3(a), #1)
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


def sections(frames: dict[str, pd.DataFrame], links: Links | None = None) -> list[Section]:
    links = links or Links()
    rates = frames["v_rates"].sort_values(RATE_KEY)
    rate_rows = frames["v_rate_rows"]
    latest = frames["v_latest_status"].sort_values(["agency", *REC_ORDER])
    changes = frames["v_status_changes"].sort_values(["agency", "to_document", *REC_ORDER])
    open_ = frames["v_open_by_age"].sort_values(
        ["age_years", "agency", *REC_ORDER], ascending=[False, True, True, True, True]
    )
    docs = frames["v_documents"].sort_values(["agency", "as_of", "source_file"])
    rec_cols = ["agency", "body", "review_symbol", "rec_id", "acceptance", "implementation"]
    left_out = left_out_notes(rate_rows, links)
    left_out_counts = (
        (rate_rows["counted"] == 0).groupby([rate_rows["agency"], rate_rows["body"]]).sum()
    )
    rates_table = rates.assign(
        left_out=[
            int(left_out_counts.get((a, b), 0))
            for a, b in zip(rates["agency"], rates["body"], strict=True)
        ]
    ).rename(columns={"left_out": "left out*"})
    empty = "No chart: no recommendations are loaded."
    return [
        Section(
            "Acceptance and implementation rates",
            "Per agency and oversight body, over the latest status of each recommendation "
            "(v_rates). "
            "Acceptance rate = accepted (fully or partially) / recommendations decided on "
            "(accepted, partially accepted, not accepted or noted; under consideration, not "
            "relevant, not applicable and unknown are left out); implementation rate = "
            "implemented / accepted, following the Joint Inspection Unit's definitions. "
            "Each bar shows the counts behind it; each number in the table links to the "
            "recommendations it counts, with file and page.",
            "rates.png",
            "rates.csv",
            rates,
            rates_table,
            notes=tuple(left_out),
            no_figure=empty if rates.empty else None,
        ),
        Section(
            "Status mix",
            "Latest acceptance and implementation status of every recommendation, by agency "
            "(v_latest_status). The table lists each recommendation with the file and page "
            "its status was read from. The mix counts every recommendation, the rates only "
            "those with a decision (see the note under the rates).",
            "status_mix.png",
            "latest_status.csv",
            latest,
            latest[[*rec_cols, "addressee", "as_of", "source_file", "page", "rec_text"]],
            notes=tuple(left_out),
            no_figure=empty if latest.empty else None,
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
                    "rec_id",
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
            no_figure=why_no_changes(frames["v_editions"]) if changes.empty else None,
        ),
        Section(
            "Open recommendations by age",
            "Accepted but not implemented (v_open_by_age), oldest first; age is the year of the "
            "report's as-of date minus the review's year.",
            None,
            "open_by_age.csv",
            open_,
            open_[[*rec_cols, "review_year", "age_years", "source_file", "page", "rec_text"]],
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


def left_out_notes(rate_rows: pd.DataFrame, links: Links) -> list[str]:
    """One footnote (HTML) per rate (agency, body) with recommendations in no denominator, saying
    how many and why, so a status mix that counts more than the rate is not read as an error."""
    notes = []
    out = rate_rows[rate_rows["counted"] == 0]
    for (agency, body), rows in out.groupby(RATE_KEY, sort=True):
        total = int(((rate_rows["agency"] == agency) & (rate_rows["body"] == body)).sum())
        kinds = rows["acceptance"].value_counts().sort_index()
        parts = ", ".join(f"{n} {ACCEPTANCE_WHY.get(str(k), str(k))}" for k, n in kinds.items())
        href = links.rate_rows.get((str(agency), str(body)))
        rows_link = f' (<a href="{html.escape(href)}">the rows</a>)' if href else ""
        notes.append(
            f"* {html.escape(str(agency))} ({html.escape(str(body))}): {len(rows)} of {total} "
            "recommendations are in no "
            f"rate's denominator: {html.escape(parts)}{rows_link}."
        )
    return notes


#: How the footnote names each acceptance value the rates leave out.
ACCEPTANCE_WHY = {
    "unknown": "unknown (the document does not state an acceptance rectrack could read)",
    "under_consideration": "under consideration",
    "not_relevant": "not relevant",
    "not_applicable": "not applicable",
}


def why_no_changes(editions: pd.DataFrame) -> str:
    """The one line that replaces an empty changes chart."""
    if editions.empty or editions.groupby("agency")["edition"].nunique().max() < 2:
        return (
            "No chart: no agency has two editions of its report loaded, so there is nothing "
            "to compare."
        )
    return "No chart: no recommendation's status changed between consecutive editions."


def build_report(
    engine_or_db: sa.Engine | str | Path,
    out_dir: Path,
    sources: Iterable[Path] = (),
) -> Path:
    """Write index.html, its PNG charts and CSV files into ``out_dir``; returns index.html.

    ``sources``: folders holding the source files, so each file name links to its page.
    """
    engine = open_engine(engine_or_db)
    try:
        frames = read_rows(engine)
    finally:
        if engine is not engine_or_db:
            engine.dispose()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rate_rows = frames["v_rate_rows"].sort_values(["agency", "body", *REC_ORDER])
    (out_dir / RATE_ROWS_DIR).mkdir(exist_ok=True)
    for old in (out_dir / RATE_ROWS_DIR).glob("*.csv"):  # rates gone since an earlier report
        old.unlink()
    per_rate: dict[tuple[str, str], str] = {}
    for (agency, body), rows in rate_rows.groupby(RATE_KEY, sort=True):
        name = f"{RATE_ROWS_DIR}/{_slug(str(agency))}-{_slug(str(body))}.csv"
        rows.to_csv(out_dir / name, index=False)
        per_rate[(str(agency), str(body))] = name
    rate_rows.to_csv(out_dir / "rate_rows.csv", index=False)
    names = frames["v_documents"]["source_file"].dropna().astype(str)
    links = Links(find_sources(sources, names, out_dir), per_rate)
    parts = sections(frames, links)
    charts: dict[str, Callable[[], Any]] = {
        "rates.png": lambda: rates_chart(frames["v_rates"]),
        "status_mix.png": lambda: status_mix_chart(frames["v_latest_status"]),
        "changes.png": lambda: changes_chart(frames["v_status_changes"]),
    }
    for part in parts:
        if part.image and part.no_figure is None:
            charts[part.image]().savefig(out_dir / part.image, dpi=100)
        elif part.image:
            (out_dir / part.image).unlink(missing_ok=True)  # a chart left from an earlier run
        part.rows.to_csv(out_dir / part.csv, index=False)
    index = out_dir / "index.html"
    index.write_text(render(parts, frames, links), encoding="utf-8")
    return index


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "agency"


def render(parts: list[Section], frames: dict[str, pd.DataFrame], links: Links) -> str:
    docs = frames["v_documents"]
    loaded = int(docs["status"].isin(["loaded", "skipped"]).sum())
    failed = int((docs["status"] == "failed").sum())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(
        f'<li><a href="#s{i}">{html.escape(p.title)}</a></li>' for i, p in enumerate(parts)
    )
    body = "\n".join(_section(i, p, links) for i, p in enumerate(parts))
    found = len(links.sources)
    sources_note = (
        f"Source file names link to the file and page ({found} of {len(docs)} files found)."
        if found
        else "Source files were not found (give their folder with --sources), so file names "
        "are not linked."
    )
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
Generated {stamp} by rectrack {html.escape(__version__)} from the database's public views.
{html.escape(sources_note)} Every recommendation's rate flags:
<a href="rate_rows.csv">rate_rows.csv</a> ({len(frames["v_rate_rows"])} rows, v_rate_rows).</p>
<nav><ul>{toc}</ul></nav>
{body}
</body>
</html>
"""


def _section(i: int, part: Section, links: Links) -> str:
    figure = ""
    if part.image and part.no_figure is None:
        alt = html.escape(f"{part.title} chart")
        figure = f'<figure><img src="{part.image}" alt="{alt}"></figure>'
    elif part.no_figure:
        figure = f'<p class="nofigure">{html.escape(part.no_figure)}</p>'
    link = (
        f'<p class="rows">Rows behind this {"figure" if part.image else "table"}: '
        f'<a href="{part.csv}">{part.csv}</a> ({len(part.rows)} rows)</p>'
    )
    table = (
        html_table(part.table, links) if not part.table.empty else '<p class="empty">No rows.</p>'
    )
    notes = "".join(f'<p class="note">{n}</p>' for n in part.notes)
    return (
        f'<section id="s{i}">\n<h2>{html.escape(part.title)}</h2>\n'
        f"<p>{html.escape(part.intro)}</p>\n{figure}\n{link}\n"
        f'<div class="scroll">{table}</div>\n{notes}</section>'
    )


def html_table(frame: pd.DataFrame, links: Links) -> str:
    """The rows as an HTML table, each cell as a person reads it (see :func:`cell`)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = "".join(f"<td>{cell(str(c), v, record, links)}</td>" for c, v in record.items())
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def cell(column: str, value: object, row: dict[str, Any], links: Links) -> str:
    """One cell's HTML: rates as percentages and counts linked to the rows they add up, file
    names linked to their page, long text folded but whole, the PDF's line breaks as spaces."""
    if _missing(value):
        return ""
    key = (str(row.get("agency", "")), str(row.get("body", "")))
    rate_href = links.rate_rows.get(key) if "acceptance_rate" in row else None
    if column.endswith("_rate") and isinstance(value, float):
        text = f"{value:.1%}"
        return f'<a href="{html.escape(rate_href)}">{text}</a>' if rate_href else text
    if column in COUNT_FLAGS and rate_href:
        return f'<a href="{html.escape(rate_href)}">{html.escape(str(value))}</a>'
    if column in FILE_COLUMNS or column in ("page", "from_page", "to_page"):
        return _file_link(column, value, row, links)
    text = fold(str(value))
    if len(text) > TEXT_CHARS:
        short = text[: TEXT_CHARS - 1].rstrip() + "…"
        return (
            f"<details><summary>{html.escape(short)}</summary>"
            f'<div class="whole">{html.escape(text)}</div></details>'
        )
    return html.escape(text)


def _file_link(column: str, value: object, row: dict[str, Any], links: Links) -> str:
    """A file name (or its page number) linked to the file at that page, if the file was found."""
    if column in FILE_COLUMNS:
        name, page_column = str(value), FILE_COLUMNS[column]
    else:
        page_column = column
        name = next((str(row[f]) for f, p in FILE_COLUMNS.items() if p == column and f in row), "")
    href = links.sources.get(name)
    text = html.escape(str(value))
    if not href:
        return text
    page = row.get(page_column) if page_column else None
    if not _missing(page):
        href = f"{href}#page={int(str(page))}"
    return f'<a href="{html.escape(href)}">{text}</a>'


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
.note { color: #444; font-size: 0.85rem; max-width: 60rem; }
.nofigure { color: #555; font-style: italic; padding: 0.5rem 0; }
details summary { cursor: pointer; }
details[open] > summary { font-size: 0; }
details[open] > summary::after { content: "show less"; font-size: 0.75rem; color: #777; }
details .whole { white-space: normal; }
table.data td:has(details) { min-width: 16rem; max-width: 32rem; }
table.data td a { overflow-wrap: anywhere; }
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
@click.option(
    "--sources",
    "-s",
    type=click.Path(file_okay=False, path_type=Path),
    multiple=True,
    help="Folder holding the source files, so each file name links to its page; "
    "repeatable [default: corpus/ if present].",
)
def report_command(db: str | None, out: Path, sources: tuple[Path, ...]) -> None:
    """Write a static HTML report (charts, tables, CSV of the rows behind each chart) that
    opens offline in any browser.

    Example:

        rectrack report --db db/rectrack.sqlite --out report/ --sources corpus/
    """
    from rectrack.paths import DEFAULT_DB

    if not sources and Path("corpus").is_dir():
        sources = (Path("corpus"),)
    try:
        index = build_report(db or str(DEFAULT_DB), out, sources)
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"{index} written (open it in a browser)")
