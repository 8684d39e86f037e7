"""The same batch through the local worker pool and through a two-worker Dask cluster, side
by side in one run.

    .venv/bin/python benchmarks/bench_cluster.py                      # real + wild, 3 reps
    .venv/bin/python benchmarks/bench_cluster.py --reps 1 --limit 20  # a quick look

The cluster is what ``rectrack run --cluster`` meets in use: ``dask scheduler`` and ``dask
worker --nworkers 2 --nthreads 1`` started as processes of their own, on this machine. Each
measured run is a fresh ``python`` subprocess (imports, warm-up and SQLite included, as a user
waits for them), local and cluster in turn within each repetition, so a change in the machine's
load hits both sides of a pair; ratios are per pair. Cluster rows come twice: with workers
restarted before the run (cold: each worker's fork server imports the parsers on its first
job) and with workers that already ran a batch (warm: a cluster in service); the local pool
comes twice too: as it runs by default (a long PDF split into page ranges over the workers)
and with one job per file, as on the cluster (``split_pages`` out of reach). Overhead per job
is measured apart, with jobs that do nothing, from a parent that imported what ``rectrack
run`` imports. Output: markdown on stdout, for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_CANDIDATES = [ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")]


# --- measured side (a subprocess per run) -------------------------------------------------


def _measure_run(files: list[Path], address: str | None, split: bool = True) -> dict[str, Any]:
    t0 = time.perf_counter()
    from rectrack.config import RunConfig
    from rectrack.pipeline import run

    executor = None
    if address:
        from rectrack.cluster import DaskExecutor

        executor = DaskExecutor(address, 300, 2048)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        whole = {} if split else {"split_pages": 10**9}  # as on a cluster: one job per file
        config = RunConfig.build(db=db, workers=2, **whole)
        summary = run(files, config, executor=executor)
    if executor:
        executor.close()
    wall = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall,
        "files": len(summary.outcomes),
        "loaded": sum(o.status == "loaded" for o in summary.outcomes),
        "failed": len(summary.failed),
        "records": sum(o.records for o in summary.outcomes),
        "client_cpu": own.ru_utime + own.ru_stime,
        "children_cpu": kids.ru_utime + kids.ru_stime,
    }


def _measure_overhead(address: str, n: int = 60) -> dict[str, Any]:
    """ms per job that does nothing: local pool vs cluster, 2 slots each, warm."""
    from collections import deque

    from rectrack.forkserver import ForkServer

    server = ForkServer.start()  # as `rectrack run` does, before the database layer
    import load  # noqa: F401  (what `rectrack run` imports)
    from rectrack.cluster import DaskExecutor
    from rectrack.executor import LocalPool

    probe = Path(__file__)
    out: dict[str, Any] = {}
    local = LocalPool(2, 60, 512, server)
    list(local.run(Path.exists, deque([probe])))  # waits for the fork server's warm-up
    with DaskExecutor(address, 60, 512) as cluster:
        cluster.prepare([probe])
        list(cluster.run(Path.exists, deque([probe] * 4)))  # the fork servers start
        for name, executor in (("local", local), ("cluster", cluster)):
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                list(executor.run(Path.exists, deque([probe] * n)))
                times.append((time.perf_counter() - t0) / n * 1000)
            out[f"{name}_ms"] = statistics.median(times)
    server.close()
    return out


def _measure_writer(copies: int, pg_url: str | None) -> dict[str, Any]:
    """The single writer's cost: CPU ms per document stored (``load.load_document``, one
    transaction each), for the corpus reports parsed once and stored ``copies`` times under
    new names, into SQLite and, when given, PostgreSQL (a scratch schema, dropped after)."""
    import dataclasses
    import uuid

    import sqlalchemy as sa

    import load
    from rectrack.pipeline import parse_file

    parsed = [parse_file(f) for f in sorted((ROOT / "corpus").glob("*.*"))]
    out: dict[str, Any] = {
        "records_per_document": sum(len(p.assessments) for p in parsed) / len(parsed)
    }
    targets = []
    tmp = tempfile.mkdtemp()
    targets.append(("sqlite", str(Path(tmp) / "writer.sqlite"), None))
    if pg_url:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(pg_url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        targets.append(("postgresql", f"{pg_url}?options=-csearch_path%3D{schema}", schema))
    for name, url, schema in targets:
        engine = load.open_db(url)
        t0, c0 = time.perf_counter(), time.process_time()
        n = 0
        for i in range(copies):
            for p in parsed:
                info = dataclasses.replace(p.info, source_file=f"{i:05d}_{p.info.source_file}")
                load.load_document(engine, dataclasses.replace(p, info=info))
                n += 1
        out[f"{name}_cpu_ms"] = (time.process_time() - c0) / n * 1000
        out[f"{name}_wall_ms"] = (time.perf_counter() - t0) / n * 1000
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    shutil.rmtree(tmp, ignore_errors=True)
    return out


# --- parent side ----------------------------------------------------------------------------


def _child(kind: str, files: list[Path], address: str | None) -> dict[str, Any]:
    listing = Path(tempfile.mkstemp(suffix=".txt")[1])
    listing.write_text("\n".join(str(f) for f in files))
    cmd = [sys.executable, __file__, "--measure", kind, "--files", str(listing)]
    if address:
        cmd += ["--address", address]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    finally:
        listing.unlink()
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class Cluster:
    """``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1``, as processes."""

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        python = [sys.executable, "-m"]  # `dask scheduler`, `dask worker`, this venv's
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (open while the cluster runs)
        common = {"stdout": self.log, "stderr": self.log, "cwd": ROOT, "start_new_session": True}
        scheduler = ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port)]
        self.scheduler = subprocess.Popen(  # type: ignore[call-overload]
            [*python, *scheduler, "--no-dashboard"], **common
        )
        workers = ["distributed.cli.dask_worker", self.address, "--nworkers", "2", "--nthreads"]
        self.workers = subprocess.Popen(  # type: ignore[call-overload]
            [*python, *workers, "1", "--no-dashboard", "--memory-limit", "4GiB"], **common
        )
        from distributed import Client

        self.client = Client(self.address, timeout=60)
        self.client.wait_for_workers(2, timeout=120)

    def restart(self) -> None:
        """New worker processes (cold fork servers), as after a deployment."""
        self.client.restart(wait_for_workers=True)

    def scheduler_cpu(self) -> float:
        import psutil

        t = psutil.Process(self.scheduler.pid).cpu_times()
        return float(t.user + t.system)

    def close(self) -> None:
        self.client.close()
        self.log.close()
        for proc in (self.workers, self.scheduler):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def batch(limit: int | None) -> list[Path]:
    shared = next((p for p in SHARED_CANDIDATES if (p / "wild").is_dir()), None)
    if shared is None:
        raise SystemExit("no ../shared/corpus/wild next to the project: nothing to measure")
    files = sorted((ROOT / "corpus" / "real").glob("*.pdf"))
    files += sorted((shared / "wild").glob("*.pdf"))
    return files[:limit] if limit else files


def _pages(files: list[Path]) -> int:
    code = "import sys, pypdfium2 as p; print(sum(len(p.PdfDocument(f)) for f in sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--writer", action="store_true", help="only the single writer's cost")
    ap.add_argument("--copies", type=int, default=20, help="--writer: stores of each report")
    ap.add_argument("--pg", default=None, help="--writer: also PostgreSQL at this URL")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    ap.add_argument("--address", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        files = [Path(p) for p in Path(args.files).read_text().splitlines() if p]
        if args.measure == "writer":
            print(json.dumps(_measure_writer(args.copies, args.pg)))
            return
        if args.measure == "overhead":
            print(json.dumps(_measure_overhead(args.address)))
        else:
            print(json.dumps(_measure_run(files, args.address, args.measure != "run-whole")))
        return

    if args.writer:
        cmd = [sys.executable, __file__, "--measure", "writer", "--files", os.devnull]
        cmd += ["--copies", str(args.copies)] + (["--pg", args.pg] if args.pg else [])
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"Single writer, {r['records_per_document']:.0f} records per document:")
        for name in ("sqlite", "postgresql"):
            if f"{name}_cpu_ms" in r:
                print(
                    f"- {name}: {r[name + '_cpu_ms']:.1f} ms CPU, "
                    f"{r[name + '_wall_ms']:.1f} ms wall per document"
                )
        return
    files = batch(args.limit or None)
    with tempfile.TemporaryDirectory() as tmp:  # copies: the workers read the same paths
        folder = Path(tmp)
        copies = []
        for f in files:
            shutil.copy2(f, folder / f.name)
            copies.append(folder / f.name)
        report(copies, _pages(copies), args.reps)


def report(files: list[Path], pages: int, reps: int) -> None:
    load = os.getloadavg()
    print(f"## Local pool vs two-worker Dask cluster: {len(files)} PDFs, {pages} pages\n")
    print(f"- load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)")
    cluster = Cluster()
    rows: dict[str, list[dict[str, Any]]] = {"local": [], "whole": [], "cold": [], "warm": []}
    sched: list[float] = []
    try:
        for rep in range(reps):
            rows["local"].append(_child("run", files, None))
            rows["whole"].append(_child("run-whole", files, None))
            cluster.restart()
            before = cluster.scheduler_cpu()
            rows["cold"].append(_child("run", files, cluster.address))
            sched.append(cluster.scheduler_cpu() - before)
            rows["warm"].append(_child("run", files, cluster.address))
            print(
                f"- rep {rep + 1}: local {rows['local'][-1]['wall']:.1f} s, local unsplit "
                f"{rows['whole'][-1]['wall']:.1f} s, cluster cold "
                f"{rows['cold'][-1]['wall']:.1f} s, warm {rows['warm'][-1]['wall']:.1f} s",
                flush=True,
            )
        overhead = _child("overhead", files[:1], cluster.address)
    finally:
        cluster.close()
    print(f"- load average at end: {os.getloadavg()[0]:.2f}\n")
    print(
        "| run | median wall s | files/s | pages/s | ratio to local (per pair: median, range) "
        "| `rectrack run` process CPU s | loaded / failed | records |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    local_walls = [r["wall"] for r in rows["local"]]
    names = {
        "local": "local pool, 2 workers",
        "whole": "local pool, 2 workers, long PDFs not split (one job per file)",
        "cold": "Dask, 2 workers, restarted before the run (cold)",
        "warm": "Dask, 2 workers, after a run (warm)",
    }
    for kind, runs in rows.items():
        walls = [r["wall"] for r in runs]
        wall = statistics.median(walls)
        ratios = [w / lw for w, lw in zip(walls, local_walls, strict=True)]
        ratio = (
            "1"
            if kind == "local"
            else f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
        )
        first = runs[0]
        print(
            f"| {names[kind]} | {wall:.1f} | {len(files) / wall:.2f} | {pages / wall:.1f} "
            f"| {ratio} | {statistics.median(r['client_cpu'] for r in runs):.1f} "
            f"| {first['loaded']} / {first['failed']} | {first['records']} |"
        )
    print(
        f"\nPer job that does nothing (2 slots, warm): local pool {overhead['local_ms']:.1f} ms, "
        f"cluster {overhead['cluster_ms']:.1f} ms. Scheduler CPU per cold cluster run: "
        f"{statistics.median(sched):.2f} s ({statistics.median(sched) / len(files) * 1000:.1f} "
        "ms per file)."
    )


if __name__ == "__main__":
    main()
