"""``rectrack run --cluster``: the same work on a real Dask cluster of separate worker
processes started here (``LocalCluster(processes=True)``: a scheduler, two nannies, each
with one worker process), not threads and not a mock.

What must hold there as it holds locally: the corpus and the bad inputs give exactly the rows
of a local run; a worker process killed in the middle loses nothing and loads nothing twice;
each job keeps its time and memory cap in a child the Dask worker survives; the run into
PostgreSQL gives the views of the SQLite run; a stopped run resumes without redoing work."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.digest import sha256_of
from core.errors import RectrackError
from load import VIEWS
from rectrack import pipeline
from rectrack.config import RunConfig
from rectrack.pipeline import FileOutcome, RunSummary, parse_file, parse_many, run
from tests.badinputs import make_corpus

distributed = pytest.importorskip("distributed", reason="the [cluster] extra is not installed")

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
# Differ between any two runs by design: when a file was stored or checked, and the key the
# database hands out in the order documents arrive (which differs with the workers' timing).
RUN_SPECIFIC = {"ingested_at", "checked_at", "document_id"}


ALLOWED_FAILURES = 1




@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A scheduler in this process and two worker processes (one thread each), as
    ``dask scheduler`` + ``dask worker --nworkers 2 --nthreads 1`` would give."""
    import dask

    # A job is run again after its worker died once; the second death fails its file. A
    # worker holds only the job it runs (worker-saturation 1.0, not 1.1): a job queued
    # behind one that kills its worker counts that death too, and with one allowed failure
    # an innocent job queued behind the same killer twice would fail with it.
    settings = {
        "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with dask.config.set(settings):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never the 8787 of a cluster in use
            silence_logs=logging.CRITICAL,
        )
    yield cluster
    cluster.close()


@pytest.fixture
def executor(cluster: Any) -> Iterator[Any]:
    from rectrack.cluster import DaskExecutor

    with DaskExecutor(cluster.scheduler_address, timeout_s=120, memory_mb=2048) as ex:
        yield ex


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Corpus reports and every generated bad input, in one folder.

    No two documents in it give the same recommendation for the same edition: where two do
    (a report's PDF and DOCX), ``v_latest_status`` and the views on it pick the one stored
    last (``load/views``: "then latest ingested"), and with two workers, local or not, which
    one arrives last is a matter of timing. So: the corpus PDFs but ITU's (the bad inputs
    hold a copy of it, ``leading_junk.pdf``); ``_assert_no_ties`` checks it."""
    folder = tmp_path_factory.mktemp("batch")
    for path in CORPUS.glob("*.pdf"):
        if not path.name.startswith("ITU"):
            shutil.copy2(path, folder / path.name)
    make_corpus.build(folder)
    return folder


@pytest.fixture(scope="module")
def local_run(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, RunSummary]:
    """The batch through the local worker pool (the reference): database URL, summary."""
    db = str(tmp_path_factory.mktemp("local") / "local.sqlite")
    summary = run([batch], RunConfig.build(db=db, workers=2, timeout_s=120))
    return db, summary


def _outcomes(summary: RunSummary) -> dict[str, tuple[str, int, str | None]]:
    names = [o.source_file for o in summary.outcomes]
    assert len(names) == len(set(names)), "a file was reported twice"
    return {o.source_file: (o.status, o.records, o.error) for o in summary.outcomes}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 9)
    return value


def _views(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every public view's rows, run-specific columns left out, in one sorted form."""
    engine = sa.create_engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for view in VIEWS:
                result = conn.execute(sa.text(f"SELECT * FROM {view}"))
                keep = [i for i, c in enumerate(result.keys()) if c not in RUN_SPECIFIC]
                rows = [tuple(_value(r[i]) for i in keep) for r in result]
                out[view] = sorted(rows, key=repr)
    finally:
        engine.dispose()
    return out


def _sqlite_url(path: str) -> str:
    return f"sqlite:///{path}"


TIES = """
SELECT d.agency, a.review_symbol, a.rec_number, COUNT(DISTINCT d.id)
FROM assessments AS a JOIN documents AS d ON d.id = a.document_id
GROUP BY d.agency, d.as_of, a.review_symbol, a.rec_number
HAVING COUNT(DISTINCT d.id) > 1
"""


def _assert_same_views(url: str, reference_db: str) -> None:
    got, expected = _views(url), _views(_sqlite_url(reference_db))
    assert expected["v_assessments"], "the reference run loaded nothing: this proves nothing"
    con = sqlite3.connect(reference_db)
    try:
        ties = con.execute(TIES).fetchall()
    finally:
        con.close()
    assert not ties, f"the batch has ties that arrival order breaks: {ties[:3]}"
    for view in VIEWS:
        assert got[view] == expected[view], view


@pytest.mark.slow
def test_corpus_and_bad_inputs_give_exactly_the_rows_of_a_local_run(
    batch: Path, local_run: tuple[str, RunSummary], executor: Any, tmp_path: Path
) -> None:
    db = str(tmp_path / "cluster.sqlite")
    summary = run([batch], RunConfig.build(db=db, timeout_s=120), executor=executor)
    local_db, local_summary = local_run
    assert _outcomes(summary) == _outcomes(local_summary)
    statuses = {status for status, _, _ in _outcomes(summary).values()}
    assert statuses == {"loaded", "failed"}  # good and bad files both went through
    _assert_same_views(_sqlite_url(db), local_db)


def _processes(pid: int) -> list[Any]:
    import psutil

    try:
        return [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_loads_nothing_twice(
    batch: Path,
    local_run: tuple[str, RunSummary],
    executor: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import load

    client = executor.client
    loads: list[str] = []
    real_load = load.load_document

    def counting_load(engine: sa.Engine, parsed: Any) -> int:
        loads.append(parsed.info.source_file)
        return real_load(engine, parsed)

    monkeypatch.setattr(load, "load_document", counting_load)
    killed: dict[str, Any] = {}

    def kill_a_busy_worker(outcome: FileOutcome, done: int, total: int) -> None:
        if killed or outcome.status == "skipped":
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                break
            time.sleep(0.05)
        assert busy, "no job in flight to lose"
        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        killed["tree"] = _processes(pid)  # the worker and the job's child
        killed["jobs"] = client.processing()[busy[0]]
        os.kill(pid, signal.SIGKILL)

    db = str(tmp_path / "killed.sqlite")
    summary = run(
        [batch],
        RunConfig.build(db=db, timeout_s=120),
        on_outcome=kill_a_busy_worker,
        executor=executor,
    )
    assert killed["jobs"], "the killed worker had no job in flight"
    local_db, local_summary = local_run
    assert _outcomes(summary) == _outcomes(local_summary)  # nothing lost, nothing failed anew
    assert sorted(loads) == sorted(set(loads)), "a document was loaded twice"
    loaded = [o.source_file for o in summary.outcomes if o.status == "loaded"]
    assert sorted(loads) == sorted(loaded)
    _assert_same_views(_sqlite_url(db), local_db)
    # The killed worker left no parser behind: the job's child died with it.
    deadline = time.monotonic() + 15
    while any(p.is_running() and p.status() != "zombie" for p in killed["tree"]):
        assert time.monotonic() < deadline, [p.cmdline()[:3] for p in killed["tree"]]
        time.sleep(0.2)


@pytest.mark.slow
def test_time_and_memory_caps_hold_in_a_child_the_dask_worker_survives(executor: Any) -> None:
    from rectrack.cluster import DaskExecutor
    from tests.rectrack.test_isolate import BAD, EXPECTED, MEMORY_MB, TIMEOUT_S, misbehave

    before = executor.client.run(os.getpid)
    names = ["good1", *BAD, "good2"]
    with DaskExecutor(executor.address, TIMEOUT_S, MEMORY_MB) as capped:
        jobs = deque(Path(f"/nowhere/{n}.pdf") for n in names)
        results = {job.stem: result for job, result in capped.run(misbehave, jobs)}
    assert set(results) == set(names)
    assert results["good1"] == "GOOD1" and results["good2"] == "GOOD2"
    for name in BAD:
        error = results[name]
        assert isinstance(error, RectrackError), name
        assert EXPECTED[name] in error.message, (name, error.message)
        assert error.file == f"{name}.pdf"
    assert executor.client.run(os.getpid) == before, "a bad job took a Dask worker down"


def kill_the_dask_worker(path: Path) -> str:
    """A job that takes down the Dask worker running it (not only its own process), as a
    machine lost would; any other job gives its name upper-cased."""
    if path.stem == "killer":
        worker = os.getppid()  # the job's child -> the Dask worker
        os.kill(worker, signal.SIGKILL)
        time.sleep(60)
    return path.stem.upper()


@pytest.mark.slow
def test_jobs_the_consumer_adds_while_iterating_run_too(executor: Any) -> None:
    jobs = deque(Path(f"/nowhere/{n}.pdf") for n in ("a", "b"))
    seen = []
    for job, result in executor.run(kill_the_dask_worker, jobs):
        seen.append(result)
        if job.stem == "a":
            jobs.appendleft(Path("/nowhere/a2.pdf"))  # a follow-up job, as a split PDF's
    assert sorted(seen) == ["A", "A2", "B"]


@pytest.mark.slow
def test_a_job_whose_workers_keep_dying_fails_its_file_alone(executor: Any) -> None:
    jobs = deque(Path(f"/nowhere/{n}.pdf") for n in ("good1", "killer", "good2"))
    results = {job.stem: result for job, result in executor.run(kill_the_dask_worker, jobs)}
    assert results["good1"] == "GOOD1" and results["good2"] == "GOOD2"
    error = results["killer"]
    assert isinstance(error, RectrackError)
    assert error.file == "killer.pdf"
    assert "Dask workers died while parsing it" in error.message
    executor.client.wait_for_workers(2, timeout=60)  # the nannies started new workers


@pytest.mark.postgres
@pytest.mark.slow
def test_the_run_into_postgresql_gives_the_views_of_sqlite(
    batch: Path, local_run: tuple[str, RunSummary], executor: Any
) -> None:
    from tests.load.conftest import fresh_pg_schema, pg_schema_url

    with fresh_pg_schema() as schema:
        url = pg_schema_url(schema)
        summary = run([batch], RunConfig.build(db=url, timeout_s=120), executor=executor)
        local_db, local_summary = local_run
        assert _outcomes(summary) == _outcomes(local_summary)
        _assert_same_views(url, local_db)


# --- a long PDF in page ranges across the cluster ----------------------------------------

LONG = CORPUS / "WO_PBC_34_6.pdf"  # 36 pages, tables running over page breaks
OTHER = CORPUS / "UNW_2021_SEA-SH_review_update.pdf"
SMALL_DOCX = CORPUS / "ITU_C22-61_JIU_system-wide_reports.docx"


def _split_config(**kw: Any) -> RunConfig:
    """Split anything over 4 pages into 5-page ranges: range ends fall inside tables."""
    return RunConfig.build(timeout_s=120, split_pages=4, chunk_pages=5, **kw)


class Watched:
    """The cluster executor, with each result shown to ``on_result`` (on the client) before
    the pipeline sees it; records the page ranges run."""

    remote = True

    def __init__(self, inner: Any, on_result: Callable[[Any, Any], None] | None = None):
        self.inner = inner
        self.on_result = on_result
        self.ranges: dict[str, list[tuple[int, int]]] = {}

    @property
    def slots(self) -> int:
        return int(self.inner.slots)

    def prepare(self, paths: Any) -> None:
        self.inner.prepare(paths)

    def run(self, fn: Any, jobs: deque[Any]) -> Iterator[tuple[Any, Any]]:
        for job, result in self.inner.run(fn, jobs):
            if job.kind == "pages" and isinstance(result, list):
                self.ranges.setdefault(job.name, []).append((job.pages.first, job.pages.last))
            if self.on_result:
                self.on_result(job, result)
            yield job, result


@pytest.mark.slow
def test_a_long_pdf_split_on_the_cluster_gives_the_records_of_a_whole_parse(
    executor: Any,
) -> None:
    from extract import pdf

    config = _split_config()
    watched = Watched(executor)
    split = dict(parse_many([LONG, OTHER], config, executor=watched))
    for path in (LONG, OTHER):
        whole = parse_file(path, config.extract)  # in this process, unsplit
        got = split[path]
        assert not isinstance(got, Exception), got
        assert whole.assessments, "a document without records proves nothing"
        assert got.assessments == whole.assessments
        assert got.unmapped == whole.unmapped
        assert got.raw_records == whole.raw_records
        assert got.info == whole.info
        # Really split, on the cluster: every page read once, by range jobs.
        pages = [p for a, b in sorted(watched.ranges[path.name]) for p in range(a, b + 1)]
        assert pages == list(range(1, pdf.page_count(path) + 1))
        assert len(watched.ranges[path.name]) > 1


def _append_to(target: Path) -> Callable[[Any, Any], None]:
    """Rewrite ``target`` (a few bytes appended: still a valid PDF) as soon as its plan
    arrives, so that its page ranges, sent after, meet another version."""

    def on_result(job: Any, result: Any) -> None:
        if job.path == target and isinstance(result, pipeline._Planned):
            with target.open("ab") as fh:
                fh.write(b"\n% rewritten during the run\n")

    return on_result


@pytest.mark.slow
def test_a_file_changed_between_plan_and_range_fails_alone_and_is_read_next_run(
    executor: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (LONG, OTHER, SMALL_DOCX):
        shutil.copy2(path, folder / path.name)
    changed = folder / LONG.name
    planned_sha = sha256_of(changed)
    db = tmp_path / "changed.sqlite"
    config = _split_config(db=str(db))
    watched = Watched(executor, _append_to(changed))
    summary = run([folder], config, executor=watched)

    outcomes = {o.source_file: o for o in summary.outcomes}
    assert len(summary.outcomes) == 3
    long = outcomes[LONG.name]
    assert long.status == "failed"
    assert long.error is not None
    assert long.error.startswith("pages "), long.error
    assert "the file changed during the run" in long.error
    assert outcomes[OTHER.name].status == "loaded" and outcomes[OTHER.name].records > 0
    assert outcomes[SMALL_DOCX.name].status == "loaded"
    assert OTHER.name in watched.ranges  # the other long PDF was split and went through
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "select sha256, status from documents where source_file = ?", (LONG.name,)
        ).fetchone()
        records = con.execute(
            "select count(*) from assessments a join documents d on d.id = a.document_id "
            "where d.source_file = ?",
            (LONG.name,),
        ).fetchone()[0]
    finally:
        con.close()
    # The failed row names the version planned, not the new one: the next run reads it.
    assert row == (planned_sha, "failed")
    assert records == 0  # nothing of either version was loaded

    again = run([folder], config, executor=Watched(executor))
    outcomes = {o.source_file: o for o in again.outcomes}
    assert outcomes[LONG.name].status == "loaded", outcomes[LONG.name].error
    assert outcomes[LONG.name].records == len(parse_file(LONG, config.extract).assessments)
    assert outcomes[OTHER.name].status == "skipped"


@dataclass
class Nap:
    """A job with a deadline on the client's clock, as a long PDF's page ranges carry."""

    name: str
    deadline: float | None = None


def nap(job: Nap) -> str:
    if job.name == "sleepy":
        time.sleep(60)
    return job.name


@pytest.mark.slow
def test_a_range_gets_only_what_is_left_of_its_files_time_on_the_cluster(executor: Any) -> None:
    start = time.monotonic()
    jobs = deque([Nap("sleepy", start + 3.0), Nap("quick", start + 3.0), Nap("free")])
    results = {job.name: result for job, result in executor.run(nap, jobs)}
    elapsed = time.monotonic() - start
    assert results["quick"] == "quick" and results["free"] == "free"
    error = results["sleepy"]
    assert isinstance(error, RectrackError)
    assert "(timeout)" in error.message
    assert elapsed < 30  # 3 s left of the file's budget, not the executor's 120 s


def test_a_deadline_travels_as_seconds_left_never_as_a_clock_value() -> None:
    from rectrack.cluster import _budget, _rebased

    now = time.monotonic()
    assert _budget(Nap("x")) is None
    assert 9.0 < (_budget(Nap("x", now + 10.0)) or 0.0) <= 10.0
    assert _budget(Nap("x", now - 5.0)) == 0.0  # spent: the job gives up at once
    # On the worker the client's value is dropped: only the seconds left count.
    job = _rebased(Nap("x", -1e9), 7.0)
    assert job.deadline is not None and 6.0 < job.deadline - time.monotonic() <= 7.0
    assert _rebased(Nap("x"), None) == Nap("x")


def test_workers_that_cannot_see_the_files_stop_the_run_before_it_starts(
    executor: Any, tmp_path: Path
) -> None:
    with pytest.raises(RectrackError, match=r"cannot see .*nowhere\.pdf.*same path"):
        executor.prepare([tmp_path / "gone" / "nowhere.pdf"])
    present = tmp_path / "here.pdf"
    present.write_bytes(b"%PDF-1.4\n%%EOF\n")
    executor.prepare([present])  # same machine: the workers see it


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    from rectrack.cluster import DaskExecutor

    with pytest.raises(RectrackError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", 10, 512, connect_timeout_s=1)


def _cli(*args: str) -> subprocess.Popen[str]:
    code = "import sys; from rectrack.cli import main; sys.argv[0] = 'rectrack'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _loaded(db: Path) -> int:
    """Documents stored whole (loaded now, or earlier and skipped as unchanged since)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            sql = "select count(*) from v_documents where status in ('loaded', 'skipped')"
            return int(con.execute(sql).fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_a_stopped_cluster_run_resumes_without_redoing_finished_files(
    cluster: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        for path in sorted(CORPUS.glob("*.docx")):
            shutil.copy2(path, folder / f"{i:02d}_{path.name}")
    total = len(list(folder.iterdir()))
    db = tmp_path / "resume.sqlite"
    args = (str(folder), "--db", str(db), "--cluster", cluster.scheduler_address)
    first = _cli(*args)
    deadline = time.monotonic() + 90
    while _loaded(db) < 3 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the run ended before it could be stopped: make it longer"
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert "Run interrupted (SIGINT)" in out
    stored = _loaded(db)
    assert 3 <= stored < total
    assert "files/s" in err and " left]" in err  # the progress lines: rate and time left

    second = _cli(*args)
    out, err = second.communicate(timeout=180)
    assert second.returncode == 0, err
    assert err.count("unchanged)") == stored  # finished files were not parsed again
    assert err.count("] loaded ") == total - stored
    assert f"{total} files: {total - stored} loaded, {stored} skipped, 0 failed" in out
    assert _loaded(db) == total
