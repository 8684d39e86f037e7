"""The ``rectrack`` command line: one click group, commands beside their stages.

Exit codes: 0 every file loaded or skipped; 1 some files failed (each named on stderr and
stored in ``v_documents.error``); 2 the run itself could not start or its database failed
under it (bad arguments, database unreachable, locked, read-only, full); 128 + the signal
(130, 143) the run was interrupted by SIGINT or SIGTERM and stopped cleanly.
"""

from __future__ import annotations

import importlib
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from core.errors import RectrackError
from rectrack import __version__

if TYPE_CHECKING:
    from rectrack.cluster import DaskExecutor
    from rectrack.forkserver import ForkServer

T = TypeVar("T")

EXIT_OK, EXIT_FILES_FAILED, EXIT_CANNOT_START = 0, 1, 2

_DB_HELP = "Database: a file path or any SQLAlchemy URL [default: db/rectrack.sqlite]."


class LazyGroup(click.Group):
    """Commands whose modules import heavy libraries (matplotlib, Datasette) are imported only
    when used, so ``rectrack run`` starts fast."""

    lazy: ClassVar[dict[str, str]] = {
        "serve": "rectrack.serve:serve_command",
        "report": "rectrack.report:report_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rectrack")
def cli() -> None:
    """Turn UN agencies' recommendation-status tables (PDF, DOCX) into one database.

    Example:

        rectrack run corpus/
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", default=None, help=_DB_HELP)
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Parser processes [default: the machine's cores]; 0 parses in this process.",
)
@click.option("--retry-failed", is_flag=True, help="Parse again files that failed last time.")
@click.option("--force", is_flag=True, help="Parse every file, even unchanged ones.")
@click.option(
    "--timeout",
    type=float,
    default=300.0,
    show_default=True,
    callback=lambda _ctx, _param, value: _checked("check_timeout", value),
    help="Seconds one file may take before it is given up.",
)
@click.option(
    "--memory-mb",
    type=int,
    default=2048,
    show_default=True,
    callback=lambda _ctx, _param, value: _checked("check_memory_mb", value),
    help="Memory cap of one parser process, in MB.",
)
@click.option(
    "--pdf-engine",
    type=click.Choice(["pdfium", "pdfplumber"]),
    default=None,
    help="Who reads PDF pages: PDFium (fast, the default) or pdfminer via pdfplumber "
    "(the reference). Both feed pdfplumber's table finder.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Parse on the Dask cluster whose scheduler listens at ADDRESS (tcp://host:8786) "
    "instead of local workers; this process stays the only database writer. Needs "
    "rectrack[cluster] here and on the workers, and the files at the same path on them.",
)
@click.option(
    "--vocabulary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Vocabulary file to map labels with [default: the package's "
    "normalize/data/vocabulary.yaml]: an analyst's own copy, extended.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, only failures and summary.")
def run(
    paths: tuple[Path, ...],
    db: str | None,
    workers: int | None,
    retry_failed: bool,
    force: bool,
    timeout: float,
    memory_mb: int,
    pdf_engine: str | None,
    cluster: str | None,
    vocabulary: Path | None,
    quiet: bool,
) -> None:
    """Read every PDF and DOCX under PATHS (files or folders, recursively) into the database.

    Unchanged files are skipped; changed files have their records replaced; files that
    failed are retried only with --retry-failed. Each document is committed as it comes:
    a run stopped (Ctrl-C) or killed is resumed by running it again.

    Example:

        rectrack run corpus/ --db db/rectrack.sqlite
    """
    # First, before this process imports the database layer: workers are forked from it.
    server = _fork_server(workers, cluster, vocabulary)
    try:
        _run(
            paths,
            db,
            workers,
            retry_failed,
            force,
            timeout,
            memory_mb,
            pdf_engine,
            cluster,
            vocabulary,
            quiet,
            server,
        )
    finally:
        if server is not None:
            server.close()


def _run(
    paths: tuple[Path, ...],
    db: str | None,
    workers: int | None,
    retry_failed: bool,
    force: bool,
    timeout: float,
    memory_mb: int,
    pdf_engine: str | None,
    cluster: str | None,
    vocabulary: Path | None,
    quiet: bool,
    server: ForkServer | None,
) -> None:
    from rectrack.config import RunConfig
    from rectrack.pipeline import FileOutcome, local_pool, stop_on_signals
    from rectrack.pipeline import run as run_pipeline
    from rectrack.progress import Progress

    if not paths:
        paths = (Path("corpus"),)
    _check_paths(db, must_exist=False, inputs=paths)
    config = RunConfig.build(
        db=db,
        workers=workers,
        retry_failed=retry_failed,
        force=force,
        timeout_s=timeout,
        memory_mb=memory_mb,
        pdf_engine=pdf_engine,
        vocabulary=vocabulary,
    )
    if vocabulary is not None:  # a mistake in it stops the run before any file is read
        from normalize import load_vocabulary

        try:
            load_vocabulary(vocabulary)
        except RectrackError as exc:
            click.echo(f"error: {shown(str(exc))}", err=True)
            sys.exit(EXIT_CANNOT_START)

    meter = Progress(total=0)  # the clock starts now: the rate includes the start-up

    def progress(outcome: FileOutcome, done: int, total: int) -> None:
        meter.total = total
        meter.add(outcome.status)
        name = shown(outcome.source_file)
        if outcome.status == "failed":
            click.echo(f"error: {name}: {shown(outcome.error or '')}", err=True)
        elif not quiet:
            detail = f"{outcome.records} records" if outcome.status == "loaded" else "unchanged"
            click.echo(f"[{meter.line()}] {outcome.status} {name} ({detail})", err=True)

    dask = None
    try:
        if cluster:
            dask = _cluster_executor(cluster, timeout, memory_mb)
        executor = dask or local_pool(config, server)
        with stop_on_signals():
            summary = run_pipeline(paths, config, on_outcome=progress, executor=executor)
    except RectrackError as exc:  # the run could not start, or the database failed under it
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_CANNOT_START)
    except KeyboardInterrupt as exc:  # stopped while opening the database: nothing stored
        signum = int(getattr(exc, "signum", signal.SIGINT))
        click.echo(f"Run interrupted ({signal.Signals(signum).name}) before it began.", err=True)
        sys.exit(128 + signum)
    finally:
        if dask is not None:
            dask.close()
    _print_summary(summary)
    sys.exit(summary.exit_code)


def _fork_server(
    workers: int | None, cluster: str | None, vocabulary: Path | None = None
) -> ForkServer | None:
    """The fork server local workers will come from, started now (see ``rectrack.forkserver``),
    or None: no local workers (``--workers 0``, ``--cluster``), or no fork server here."""
    if workers == 0 or cluster:
        return None
    from rectrack import forkserver

    return forkserver.ForkServer.start(vocabulary) if forkserver.SUPPORTED else None


def _cluster_executor(address: str, timeout_s: float, memory_mb: int) -> DaskExecutor:
    from rectrack.cluster import DaskExecutor

    try:
        return DaskExecutor(address, timeout_s, memory_mb)
    except ImportError as exc:  # distributed is an optional extra
        raise RectrackError(
            f"--cluster needs the Dask client ({exc}): pip install 'rectrack[cluster]'"
        ) from exc


def _checked(check: str, value: T) -> T:
    """An option's value through a ``rectrack.limits`` check; a refusal is a usage error
    (exit 2, naming the option). Not ``rectrack.config``: that pulls in the stages
    (SQLAlchemy), which ``run`` must not have loaded when it starts the fork server."""
    from rectrack import limits

    checker: Callable[[T], T] = getattr(limits, check)
    try:
        return checker(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _check_paths(db: str | None, *, must_exist: bool, inputs: tuple[Path, ...] = ()) -> None:
    """The paths a command was given, checked before any database is opened (exit 2 if not)."""
    from rectrack.paths import check_db, check_inputs

    try:
        if inputs:
            check_inputs(inputs)
        check_db(db, must_exist=must_exist)
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_START)


def _print_summary(summary: object) -> None:
    from rectrack.pipeline import RunSummary

    assert isinstance(summary, RunSummary)
    rows = sorted(summary.outcomes, key=lambda o: o.source_file)
    width = max([len(shown(o.source_file)) for o in rows] + [4])
    click.echo(f"{'file':<{width}}  {'status':<7}  {'agency':<9}  {'records':>7}  unmapped labels")
    for o in rows:
        labels = ", ".join(sorted({f"{u.field}: {u.label!r}" for u in o.unmapped})) or "-"
        agency = o.agency or "-"
        records = str(o.records) if o.status == "loaded" else "-"
        name = shown(o.source_file)
        click.echo(f"{name:<{width}}  {o.status:<7}  {agency:<9}  {records:>7}  {labels}")
    unmapped = [(shown(o.source_file), u) for o in rows for u in o.unmapped]
    if unmapped:
        click.echo("\nUnmapped labels (stored as 'unknown'; add them to normalize/data/):")
        for name, u in unmapped:
            page = f", page {u.page}" if u.page else ""
            click.echo(f"  {name}{page}: {u.field} {u.label!r}")
    _print_notes_and_warnings(rows)
    loaded = sum(o.status == "loaded" for o in rows)
    skipped = sum(o.status == "skipped" for o in rows)
    click.echo(
        f"\n{len(rows)} files: {loaded} loaded, {skipped} skipped, {len(summary.failed)} failed; "
        f"{sum(o.records for o in rows)} records loaded."
    )
    if summary.interrupted is not None:
        click.echo(
            f"Run interrupted ({signal.Signals(summary.interrupted).name}): every document "
            "stored is whole; run again to finish the rest.",
        )


def shown(text: str) -> str:
    """``text`` safe to print on one line: control characters (newline, carriage return,
    escape sequences, bidi overrides) written as escapes, so a file name cannot forge
    output lines or drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


LABEL_COLUMNS = ("file", "page", "field", "label")


def _print_notes_and_warnings(rows: list[Any]) -> None:
    """Why a loaded file gave no records, and the doubts met (both also in v_documents)."""
    notes = [(o.source_file, o.note) for o in rows if o.status != "failed" and o.note]
    if notes:
        click.echo("\nLoaded without records:")
        for name, note in notes:
            click.echo(f"  {name}: {note}")
    warnings = [(o.source_file, w) for o in rows for w in o.warnings]
    if warnings:
        click.echo("\nWarnings (each recommendation kept once; see v_documents.warnings):")
        for name, warning in warnings:
            click.echo(f"  {name}: {warning}")


@cli.command()
@click.option("--db", default=None, help=_DB_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text (one line per label), csv (with a header row) or json (a list of objects).",
)
def labels(db: str | None, fmt: str) -> None:
    """List the raw labels no rule mapped, with file and page, so an analyst knows what to
    add to the vocabulary.

    Example:

        rectrack labels --db db/rectrack.sqlite --format csv > labels.csv
    """
    _check_paths(db, must_exist=True)
    import load

    try:
        engine = load.open_db(db)
        rows = load.unmapped_labels(engine)
        engine.dispose()
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_START)
    rows = [{c: row.get(c) for c in LABEL_COLUMNS} for row in rows]
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=LABEL_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No unmapped labels.")
        return
    for row in rows:
        page = f", page {row['page']}" if row.get("page") else ""
        click.echo(f"{row['file']}{page}: {row['field']} {row['label']!r}")


@cli.command()
@click.option("--db", default=None, help=_DB_HELP)
@click.option(
    "--vocabulary",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Vocabulary file to apply [default: normalize/data/vocabulary.yaml].",
)
def renormalize(db: str | None, vocabulary: Path | None) -> None:
    """Map the stored raw records again with the vocabulary and rules, without reading any
    file: the analyst's loop after `rectrack labels` and an edit of the vocabulary.

    Example:

        rectrack labels --db db/rectrack.sqlite
        (add the labels to normalize/data/vocabulary.yaml)
        rectrack renormalize --db db/rectrack.sqlite
    """
    _check_paths(db, must_exist=True)
    from normalize import NormalizeConfig
    from rectrack.renormalize import renormalize as run_renormalize

    config = NormalizeConfig(vocabulary_path=vocabulary) if vocabulary else None
    try:
        summary = run_renormalize(db, config)
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_START)
    click.echo(
        f"{summary.documents} documents mapped again: {summary.records} records; unmapped "
        f"labels {summary.unmapped_before} -> {summary.unmapped_after}."
    )
    if summary.without_raw:
        click.echo(
            f"{len(summary.without_raw)} documents were loaded before raw records were kept and "
            "are left as they are; `rectrack run --force` reads them again: "
            + ", ".join(summary.without_raw)
        )


@cli.command()
@click.argument("view")
@click.option("--db", default=None, help=_DB_HELP)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file; its suffix picks the format unless --format is given.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "xlsx"]),
    default=None,
    help="csv, parquet or xlsx [default: from the --out suffix].",
)
def export(view: str, db: str | None, out: Path, fmt: str | None) -> None:
    """Write one view (v_assessments, v_latest_status, v_rates, ...) as CSV, Parquet or Excel.

    Example:

        rectrack export v_rates --out rates.xlsx
    """
    import load
    from load.export import export_view

    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet", "xlsx"):
        raise click.BadParameter(
            "use a .csv, .parquet or .xlsx file, or --format", param_hint="--out"
        )
    if out.is_dir():
        raise click.BadParameter(f"{out} is a folder; give a file name", param_hint="--out")
    if not out.parent.is_dir():
        raise click.BadParameter(
            f"folder {out.parent} does not exist; create it first", param_hint="--out"
        )
    _check_paths(db, must_exist=True)
    try:
        engine = load.open_db(db)
        n = export_view(engine, view, out, fmt)  # type: ignore[arg-type]
        engine.dispose()
    except RectrackError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CANNOT_START)
    click.echo(f"{out}: {n} rows from {view}")


def main() -> None:
    cli()
