"""Throughput and peak memory of the PDF libraries and of rectrack, side by side, in one run.

    .venv/bin/python benchmarks/bench.py            # 3 repetitions, scaling 1/10/100 documents
    .venv/bin/python benchmarks/bench.py --quick    # 1 repetition, scaling 1/10
    .venv/bin/python benchmarks/bench.py --thousand # adds 1,000 documents to the scaling series
    .venv/bin/python benchmarks/bench.py --rerun 10000  # rerun-with-nothing-changed over N DOCX
    .venv/bin/python benchmarks/bench.py --long 200  # one N-page PDF, workers=1 vs split over 2

Every measurement runs in a fresh ``python`` subprocess (``--measure KIND``), so one
library's imports, caches and heap never count towards another's numbers; the child reports its
wall time, CPU time and RSS high-water mark (``resource.getrusage``: ``ru_maxrss`` of itself and,
for the pipeline, of its worker processes: their fork server's ``RUSAGE_CHILDREN``, since
``rectrack run`` forks them from one, ``rectrack.forkserver``; the server's own peak is
``fork_server_rss_mb``). Imports are outside the timed region except for
``run`` rows, which time the whole ingestion as a user pays it (imports, workers, SQLite).
Output: a markdown report on stdout (paste it into ``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CAMELOT_PATH = os.environ.get("BENCH_CAMELOT_PATH", "")  # extra sys.path entry for camelot


# --- measurements, each run in its own subprocess --------------------------------------------


def _pdfium_text(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for f in files:
        try:
            doc = pdfium.PdfDocument(str(f))
        except pdfium.PdfiumError:
            continue  # an empty or broken file: rectrack reports it, the floor skips it
        for page in doc:
            text = page.get_textpage()
            text.get_text_range()
            text.close()
            page.close()
            pages += 1
        doc.close()
    return pages


def _plumber_chars(files: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                _ = page.chars
                page.close()
                pages += 1
    return pages


def _plumber_tables(files: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
                pages += 1
    return pages


def _camelot(flavor: str) -> Callable[[list[Path]], int]:
    def measure(files: list[Path]) -> int:
        if CAMELOT_PATH:
            sys.path.insert(0, CAMELOT_PATH)
        import camelot
        import pypdfium2 as pdfium

        pages = 0
        for f in files:
            camelot.read_pdf(str(f), pages="all", flavor=flavor)
            doc = pdfium.PdfDocument(str(f))
            pages += len(doc)
            doc.close()
        return pages

    return measure


def _pdfium_reader(files: list[Path]) -> int:
    from extract.pdfium import read_pages

    return sum(len(read_pages(f)) for f in files)


_FAILED: list[str] = []  # files a measurement's parse refused


def _parse(engine: str, skip_unlikely: bool = True) -> Callable[[list[Path]], int]:
    """The parse step (check, read, identify, recognize, normalize; no database) of every
    file in one process; a file rectrack refuses (e.g. an empty one) counts no pages."""

    def measure(files: list[Path]) -> int:
        from dataclasses import replace

        from core.errors import RectrackError
        from extract.config import ExtractConfig
        from rectrack.pipeline import parse_file

        config = ExtractConfig.with_engine(engine)
        config = replace(config, pdf=replace(config.pdf, skip_unlikely=skip_unlikely))
        pages = 0
        for f in files:
            try:
                pages += parse_file(f, config).info.pages or 0
            except RectrackError:
                _FAILED.append(f.name)
        return pages

    return measure


def _parse_default(files: list[Path]) -> int:
    """The parse step as ``parse_file(path)`` with every setting left to the code under test:
    runs unchanged on older commits (``--before TREE``)."""
    from core.errors import RectrackError
    from rectrack.pipeline import parse_file

    pages = 0
    for f in files:
        try:
            pages += parse_file(f).info.pages or 0
        except RectrackError:
            _FAILED.append(f.name)
    return pages


MEASURES: dict[str, Callable[[list[Path]], int]] = {
    "pdfium-text": _pdfium_text,
    "plumber-chars": _plumber_chars,
    "plumber-tables": _plumber_tables,
    "camelot-lattice": _camelot("lattice"),
    "camelot-stream": _camelot("stream"),
    "pdfium-reader": _pdfium_reader,
    "parse-pdfplumber": _parse("pdfplumber"),
    "parse-pdfium": _parse("pdfium"),
    "parse-pdfium-all-pages": _parse("pdfium", skip_unlikely=False),
    "parse-default": _parse_default,
}


def _measure_main(kind: str, files: list[Path], workers: int) -> None:
    """Child side: time one measurement, print one JSON line."""
    if kind == "fork":
        _fork_overhead(files)
        return
    if kind.startswith("run"):
        t0, c0 = time.perf_counter(), _cpu()
        kind, _, engine = kind.partition(":")
        from rectrack import warm

        try:
            from rectrack import forkserver
        except ImportError:  # an older checkout (--before): the run process forks workers
            forkserver = None  # type: ignore[assignment]
        if kind == "run-cold":  # as before the parent warmed up: each worker imports alone
            warm.warm_up = lambda: None
        # As `rectrack run` does: the workers' fork server first, before the database layer.
        serve = forkserver is not None and workers and forkserver.SUPPORTED
        server = forkserver.ForkServer.start() if serve else None
        from extract.config import SPLIT_PAGES
        from rectrack.config import RunConfig
        from rectrack.pipeline import local_pool, run

        # run-whole: never split a long PDF's pages across workers (as before the split)
        split = 10**9 if kind == "run-whole" else SPLIT_PAGES
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "bench.sqlite")
            config = RunConfig.build(
                db=db, workers=workers, pdf_engine=engine or None, split_pages=split
            )
            workers_mb = server_mb = 0.0
            try:
                if server is not None:
                    summary = run(files, config, executor=local_pool(config, server))
                else:
                    summary = run(files, config)
                if server is not None:  # RUSAGE_CHILDREN here counts the server itself too
                    workers_mb = server.workers_peak_mb()
                    server_mb = _vm_hwm_mb(server.pid)
            finally:
                if server is not None:
                    server.close()
        pages = 0
        failed = len(summary.failed)
        first_error = summary.failed[0].error if summary.failed else None
        units = len(summary.outcomes)
    else:
        workers_mb = server_mb = 0.0
        fn = MEASURES[kind]
        if kind.startswith("camelot") and CAMELOT_PATH:
            sys.path.insert(0, CAMELOT_PATH)
        _preimport(kind)
        t0, c0 = time.perf_counter(), _cpu()
        pages = fn(files)
        failed = len(_FAILED)
        first_error = None
        units = len(files)
    wall = time.perf_counter() - t0
    cpu = _cpu() - c0
    own = _peak_rss_mb()
    kids = workers_mb or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "pages": pages,
                "docs": units,
                "failed": failed,
                "first_error": first_error,
                "rss_mb": own,
                "child_rss_mb": kids,
                "fork_server_rss_mb": server_mb,
            }
        )
    )


def _fork_overhead(files: list[Path], n: int = 60) -> None:
    """Per-file cost of isolation, as `rectrack run` has it: its fork server (warmed up with
    the parsers) forks one worker per file that does nothing; ms per file, 1 and 2 workers."""
    from rectrack.forkserver import ForkServer

    server = ForkServer.start()
    import load  # noqa: F401  (what `rectrack run` imports, after starting the server)
    from rectrack.isolate import run_isolated

    out = {}
    with server:
        list(run_isolated(Path.exists, files[:1], 1, 60, 512, server=server))  # its warm-up
        for workers in (1, 2):
            t0 = time.perf_counter()
            for _ in run_isolated(
                Path.exists, [files[0]] * n, workers, timeout_s=60, memory_mb=512, server=server
            ):
                pass
            out[f"ms_per_file_w{workers}"] = (time.perf_counter() - t0) / n * 1000
        out["rss_mb"] = _vm_rss_mb(server.pid)
    print(json.dumps(out))


def _vm_rss_mb(pid: int, key: str = "VmRSS") -> float:
    """A process's resident size now (or ``VmHWM``: its peak) (Linux /proc)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _vm_hwm_mb(pid: int) -> float:
    return _vm_rss_mb(pid, "VmHWM")


def _preimport(kind: str) -> None:
    """Libraries imported before the clock starts: the parse is measured, not the import."""
    if kind.startswith("plumber"):
        import pdfplumber  # noqa: F401
    elif kind.startswith("camelot"):
        import camelot  # noqa: F401
    elif kind == "pdfium-reader":
        import extract.pdfium  # noqa: F401
    elif kind.startswith("parse"):
        from rectrack.warm import warm_up

        warm_up()


def _peak_rss_mb() -> float:
    """This process's RSS high-water mark. ``/proc/self/status`` VmHWM, not ``ru_maxrss``:
    Linux carries ``ru_maxrss`` over ``fork``+``exec``, so a child would report its parent's
    peak when that was higher."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# --- parent side ------------------------------------------------------------------------------


def measure(
    kind: str, files: list[Path], workers: int = 1, timeout: float = 3600, tree: str = ""
) -> dict[str, Any]:
    """One measurement in a fresh subprocess; ``tree``: import rectrack from that checkout
    (another commit's worktree) instead of this one."""
    listing = Path(tempfile.mkstemp(suffix=".txt")[1])
    listing.write_text("\n".join(str(f) for f in files))
    try:
        cmd = [sys.executable, __file__, "--measure", kind, "--files", str(listing)]
        cmd += ["--workers", str(workers)]
        if tree:
            cmd += ["--tree", tree]
        env = {**os.environ, "PYTHONPATH": tree} if tree else None
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False, env=env
        )
    finally:
        listing.unlink()
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": tail}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def repeat(kind: str, files: list[Path], reps: int, workers: int = 1) -> dict[str, Any]:
    runs = [measure(kind, files, workers) for _ in range(reps)]
    errors = [r["error"] for r in runs if "error" in r]
    if errors:
        return {"error": errors[0]}
    walls = [r["wall"] for r in runs]
    return {
        "reps": reps,
        "min": min(walls),
        "median": statistics.median(walls),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "pages": runs[0]["pages"],
        "docs": runs[0]["docs"],
        "failed": runs[0]["failed"],
        "first_error": runs[0].get("first_error"),
        "rss": max(r["rss_mb"] for r in runs),
        "child_rss": max(r["child_rss_mb"] for r in runs),
    }


def _pages(files: list[Path]) -> int:
    """Page count, in a subprocess: this parent stays lean (see :func:`_peak_rss_mb`)."""
    code = (
        "import sys, pypdfium2 as p\n"
        "def n(f):\n"
        "    try:\n"
        "        return len(p.PdfDocument(f))\n"
        "    except p.PdfiumError:\n"
        "        return 0\n"
        "print(sum(n(f) for f in sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def vary(src: Path, dest: Path, i: int) -> None:
    """A copy of ``src`` whose bytes (so its hash) differ: a PDF comment after ``%%EOF``, or
    a DOCX zip comment (fast: no member is recompressed; readers ignore it)."""
    if src.suffix.lower() == ".pdf":
        dest.write_bytes(src.read_bytes() + f"%rectrack-bench copy {i}\n".encode())
        return
    shutil.copyfile(src, dest)
    with zipfile.ZipFile(dest, "a") as z:  # rewrites only the central directory
        z.comment = f"rectrack-bench copy {i}".encode()


def make_batch(folder: Path, n: int, sources: list[Path]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        dest = folder / f"{src.stem}__copy{i:05d}{src.suffix}"
        vary(src, dest, i)
        out.append(dest)
    return out


def machine() -> list[str]:
    import importlib.metadata as md

    cpu = "?"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for name in ("pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "spacy", "SQLAlchemy"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions.append(f"{name} {md.version(name)}")
    if CAMELOT_PATH:
        sys.path.insert(0, CAMELOT_PATH)
    try:
        versions.append(f"camelot-py {md.version('camelot-py')}")
    except md.PackageNotFoundError:
        versions.append("camelot-py not installed")
    load = os.getloadavg()
    return [
        f"- nproc: {os.cpu_count()}; CPU: {cpu}",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- {', '.join(versions)}",
        f"- load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(other work on the machine inflates wall times; CPU s are less affected)",
    ]


ROWS = [
    ("pdfium-text", "pypdfium2: plain text of every page (the floor)"),
    ("pdfium-reader", "rectrack extract/pdfium.py: chars, lines, rects of every page"),
    ("plumber-chars", "pdfplumber: open + page.chars (pdfminer's parse)"),
    ("plumber-tables", "pdfplumber: extract_tables() on every page"),
    ("camelot-lattice", "Camelot lattice"),
    ("camelot-stream", "Camelot stream"),
    (
        "parse-pdfplumber",
        "rectrack parse step alone (read+recognize+normalize, no DB), pdfplumber engine",
    ),
    ("parse-pdfium", "rectrack parse step alone, PDFium engine (extract/pdfium.py, the default)"),
]


def _row(label: str, r: dict[str, Any], pages: int) -> str:
    if "error" in r:
        return f"| {label} | not measured: {r['error'][:90]} | | | | |"
    per = pages / r["min"], pages / r["median"]
    return (
        f"| {label} | {per[0]:.1f} | {per[1]:.1f} | {r['median']:.2f} | {r['cpu']:.2f} "
        f"| {r['rss']:.0f}" + (f" / {r['child_rss']:.0f}" if r["child_rss"] > 1 else "") + " |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 repetition, scaling 1/10")
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N for workers=N")
    ap.add_argument("--thousand", action="store_true", help="add 1,000 documents to the series")
    ap.add_argument("--only", default="", help="comma-separated measurement names")
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--rerun", type=int, default=0, help="rerun benchmark over N DOCX copies")
    ap.add_argument("--long", type=int, default=0, help="one N-page PDF, split or not")
    ap.add_argument(
        "--real",
        metavar="DIR",
        default="",
        help="real documents: DIR's PDFs, corpus/*.pdf and corpus/real/*.pdf, each row beside "
        "the PDFium full-text floor (e.g. ../shared/corpus/wild)",
    )
    ap.add_argument(
        "--before",
        metavar="TREE",
        default="",
        help="with --real: also time the parse step of another checkout (git worktree)",
    )
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--tree", help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tree:
        # Only the other checkout's modules: this checkout's editable install would otherwise
        # answer for a module that checkout lacks (rectrack.forkserver in an older one).
        sys.meta_path[:] = [f for f in sys.meta_path if "EditableFinder" not in repr(f)]
    if args.measure:
        files = [Path(p) for p in Path(args.files).read_text().splitlines() if p]
        _measure_main(args.measure, files, args.workers)
        return
    if args.rerun:
        rerun_benchmark(args.rerun)
        return
    if args.real:
        sets = [
            (args.real, sorted(Path(args.real).glob("*.pdf"))),
            ("corpus", sorted(CORPUS.glob("*.pdf"))),
            ("corpus/real", sorted((CORPUS / "real").glob("*.pdf"))),
        ]
        real_benchmark(sets, args.reps or 3, args.before)
        return
    if args.long:
        long_benchmark(args.long, args.reps or 3, args.workers)
        return
    reps = args.reps or (1 if args.quick else 3)
    only = {s for s in args.only.split(",") if s}
    pdfs = sorted(CORPUS.glob("*.pdf"))
    pages = _pages(pdfs)
    print(f"## Throughput on corpus/*.pdf ({len(pdfs)} files, {pages} pages), {reps} reps\n")
    print("\n".join(machine()) + "\n")
    print(
        "| measurement | pages/s (best) | pages/s (median) | median wall s | median CPU s "
        "| peak RSS MB (process / largest worker) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind, label in ROWS:
        if only and kind not in only:
            continue
        n = 1 if kind.startswith("camelot") else reps
        print(_row(label, repeat(kind, pdfs, n), pages), flush=True)
    if not only or "fork" in only:
        r = measure("fork", pdfs)
        print(
            f"\nIsolation overhead: {r.get('ms_per_file_w1', 0):.0f} ms per file with 1 worker, "
            f"{r.get('ms_per_file_w2', 0):.0f} ms with 2 (fork of the {r.get('rss_mb', 0):.0f} MB "
            "fork server warmed up with the parsers, worker doing nothing).\n",
            flush=True,
        )
    runs = [
        ("run-cold:pdfplumber", 1, "without the parent's warm-up (imports in every worker)"),
        ("run:pdfplumber", 1, "pdfplumber engine"),
        ("run:pdfium", 1, "PDFium engine"),
        ("run:pdfium", args.workers, "PDFium engine"),
        ("run:pdfplumber", args.workers, "pdfplumber engine"),
    ]
    for kind, w, what in runs if not only or "run" in only else []:
        r = repeat(kind, pdfs, reps, workers=w)
        label = f"`rectrack run` files -> SQLite, workers={w}, {what} (incl. imports)"
        print(_row(label, r, pages), flush=True)
    if args.no_scaling:
        return
    sizes = [1, 10] if args.quick else [1, 10, 100]
    if args.thousand:
        sizes.append(1000)
    scaling(sizes, args.workers)


def scaling(sizes: list[int], workers: int) -> None:
    sources = sorted(CORPUS.glob("*.pdf")) + sorted(CORPUS.glob("*.docx"))
    print(
        f"\n## Scaling: `rectrack run` on N copies of the corpus files (PDF and DOCX in turn), "
        f"workers=1 and {workers}\n"
    )
    print(
        "| documents | pages (PDF) | workers | wall s | s/document | CPU s | failed "
        "| peak RSS MB parent / largest worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            files = make_batch(Path(tmp) / "docs", n, sources)
            pages = _pages([f for f in files if f.suffix == ".pdf"])
            for w in sorted({1, workers}):
                r = measure("run", [Path(tmp) / "docs"], w, timeout=6 * 3600)
                if "error" in r:
                    print(f"| {n} | {pages} | {w} | error: {r['error'][:80]} | | | | |")
                    continue
                print(
                    f"| {n} | {pages} | {w} | {r['wall']:.1f} | {r['wall'] / n:.2f} "
                    f"| {r['cpu']:.1f} | {r['failed']} | {r['rss_mb']:.0f} / "
                    f"{r['child_rss_mb']:.0f} |",
                    flush=True,
                )


def make_long_pdf(dest: Path, n_pages: int) -> None:
    """One PDF of ``n_pages`` pages: the corpus PDFs' pages, in turn, again and again."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(f)) for f in sorted(CORPUS.glob("*.pdf"))]
    i = 0
    while len(out) < n_pages:
        src = sources[i % len(sources)]
        take = min(len(src), n_pages - len(out))
        out.import_pages(src, list(range(take)))
        i += 1
    out.save(str(dest))
    for doc in (out, *sources):
        doc.close()


def long_benchmark(n_pages: int, reps: int, workers: int) -> None:
    """`rectrack run` on one long PDF: one worker, ``workers`` without splitting (the whole
    file in one worker, as before), and split into page ranges across ``workers``."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / f"long_{n_pages}_pages.pdf"
        make_long_pdf(pdf, n_pages)
        print(f"## One long PDF ({n_pages} pages, corpus PDFs' pages in turn), {reps} reps\n")
        print("\n".join(machine()) + "\n")
        print(
            "| measurement | pages/s (best) | pages/s (median) | median wall s | median CPU s "
            "| peak RSS MB (process / largest worker) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        errors: set[str] = set()
        rows = [
            ("run:pdfium", 1, "workers=1"),
            ("run-whole:pdfium", workers, f"workers={workers}, not split"),
            ("run:pdfium", workers, f"workers={workers}, split into page ranges"),
        ]
        for kind, w, what in rows:
            r = repeat(kind, [pdf], reps, workers=w)
            label = f"`rectrack run` one PDF -> SQLite, PDFium engine, {what} (incl. imports)"
            print(_row(label, r, n_pages), flush=True)
            errors.add(r.get("first_error") or "none")
        # Repeated reports repeat their recommendations: the parse is complete, the load
        # then refuses the document. The same refusal in every row means the same parse.
        print(f"\nLoad outcome (every row): {' | '.join(sorted(errors))}")


REAL_ROWS = [
    ("pdfium-text", 1, "PDFium full text of every page (the floor)"),
    ("parse-pdfium", 1, "rectrack parse step, one process (check, read, recognize, normalize)"),
    ("parse-pdfium-all-pages", 1, "the same, every page analysed in full (no skipping)"),
    ("run:pdfium", 1, "`rectrack run` -> SQLite, workers=1 (incl. imports, forks, loading)"),
]


def real_benchmark(sets: list[tuple[str, list[Path]]], reps: int, before: str = "") -> None:
    """Real documents: each row beside the PDFium full-text floor of the same pages, measured
    in turn within every repetition (so a busy moment hits neighbouring rows alike); the
    ratio to the floor is taken per repetition, then its median."""
    print(f"## Real documents, one worker, {reps} repetitions (rows interleaved)\n")
    print("\n".join(machine()))
    print(f"- busiest processes at start: {_busy()}\n")
    for name, files in sets:
        pages = _pages(files)
        rows = list(REAL_ROWS)
        if before:
            rows.insert(1, ("before", 1, f"the parse step at {_commit(before)} (before)"))
            at = f"`rectrack run` at {_commit(before)} (before), workers=1"
            rows.insert(len(rows) - 1, ("before-run", 1, at))
        results: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _, _ in rows}
        for _ in range(reps):
            for kind, workers, _ in rows:
                if kind == "before":
                    results[kind].append(measure("parse-default", files, workers, tree=before))
                elif kind == "before-run":
                    results[kind].append(measure("run:pdfium", files, workers, tree=before))
                else:
                    results[kind].append(measure(kind, files, workers))
        floor = results["pdfium-text"]
        print(f"### {name}: {len(files)} files, {pages} pages\n")
        print(
            "| measurement | pages/s (wall) | pages per CPU s | docs/s (wall) "
            "| x floor, wall | x floor, CPU | median wall s | median CPU s "
            "| peak RSS MB (process / largest worker) | failed files |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for kind, _, label in rows:
            runs = results[kind]
            bad = [r["error"] for r in runs if "error" in r]
            if bad:
                print(f"| {label} | not measured: {bad[0][:90]} | | | | | | | | |")
                continue
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            pairs = [(r, f) for r, f in zip(runs, floor, strict=True) if "wall" in f]
            x_wall = statistics.median(r["wall"] / f["wall"] for r, f in pairs)
            x_cpu = statistics.median(r["cpu"] / f["cpu"] for r, f in pairs)
            rss = max(r["rss_mb"] for r in runs)
            kids = max(r["child_rss_mb"] for r in runs)
            memory = f"{rss:.0f}" + (f" / {kids:.0f}" if kids > 1 else "")
            print(
                f"| {label} | {pages / wall:.1f} | {pages / cpu:.1f} | {len(files) / wall:.2f} "
                f"| {x_wall:.2f} | {x_cpu:.2f} | {wall:.2f} | {cpu:.2f} | {memory} "
                f"| {runs[0]['failed']} |",
                flush=True,
            )
        print()
    print(f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- busiest processes at the end: {_busy()}")


def _commit(tree: str) -> str:
    done = subprocess.run(
        ["git", "-C", tree, "log", "-1", "--format=%h"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or tree


def _busy(n: int = 6) -> str:
    """The processes using most CPU now (command names only), to say what else was running."""
    done = subprocess.run(
        ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = [line.split(None, 1) for line in done.stdout.splitlines()[:n] if line.strip()]
    return ", ".join(f"{comm.strip()} {cpu}%" for cpu, comm in rows if len(rows[0]) == 2)


def rerun_benchmark(n: int) -> None:
    """N small DOCX ingested once, then ingested again with nothing changed: the second run
    should only look at file metadata."""
    src = min(CORPUS.glob("*.docx"), key=lambda p: p.stat().st_size)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        t = time.perf_counter()
        make_batch(folder, n, [src])
        made = time.perf_counter() - t
        db = Path(tmp) / "rerun.sqlite"
        first = _seed(folder, db)
        print(f"## Rerun with nothing changed over {n} DOCX copies of {src.name}\n")
        print(f"- made the copies in {made:.1f} s; first ingestion (seeded: {first})")
        for label in ("rerun 1", "rerun 2"):
            t0 = time.perf_counter()
            done = subprocess.run(
                [
                    str(Path(sys.executable).with_name("rectrack")),
                    "run",
                    str(folder),
                    "--db",
                    str(db),
                    "-q",
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
            wall = time.perf_counter() - t0
            summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
            print(f"- {label}: `rectrack run` {wall:.1f} s wall (incl. start-up): {summary}")
        shutil.rmtree(folder)


def _seed(folder: Path, db: Path) -> str:
    """Load every copy as a real run would: parse one file, store it under each copy's name,
    hash and stat (parsing thousands of identical files would only measure the parser)."""
    t0 = time.perf_counter()
    import dataclasses

    import load
    from rectrack import pipeline

    files = pipeline.discover([folder])
    parsed = pipeline.parse_file(files[0])
    engine = load.open_db(str(db))
    for f in files:
        info = dataclasses.replace(
            parsed.info, source_file=f.name, sha256=pipeline.sha256_of(f), size=f.stat().st_size
        )
        load.load_document(engine, dataclasses.replace(parsed, info=info))
    load.remember_stats(engine, [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files])
    engine.dispose()
    return f"{len(files)} documents stored in {time.perf_counter() - t0:.1f} s"


if __name__ == "__main__":
    main()
