"""What a parser worker's peak memory is made of, job by job, in a real `rectrack run`.

    .venv/bin/python benchmarks/worker_memory.py ../shared/corpus/wild            # workers=1
    .venv/bin/python benchmarks/worker_memory.py ../shared/corpus/wild -j 2 --top 5
    .venv/bin/python benchmarks/worker_memory.py ../shared/corpus/wild --tree /tmp/before

Runs ``rectrack run FOLDER --db <temporary> --workers N`` in a subprocess whose workers log,
for each job: the RSS of the process they were forked from (read from ``/proc/<ppid>`` as the
job starts), their own RSS then (what they inherited), and their RSS high-water mark
(``VmHWM``) when the job ends, and the modules it imported; so peak = start + growth while
parsing. The run process reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` when it ends: the
figure ``benchmarks/bench.py`` printed as "largest worker" while workers were forked by the
run process (the kernel's high-water mark of every descendant reaped, a forked worker's
counted from its RSS at fork; with a fork server it includes the server, a child of the run
process too). Also the run's wall time, its CPU time (the run process and every descendant)
and the run process's own peak. ``--tree DIR`` runs the rectrack of another checkout (``git
archive COMMIT | tar -x -C DIR``: before/after in one session). The workers are instrumented
by replacing ``rectrack.isolate._call`` before the CLI starts: workers (and a fork server)
inherit the replacement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_WRAPPER = """
import json, os, resource, sys, time
log = sys.argv.pop(1)
main_pid = os.getpid()

def status(pid="self"):
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out

from rectrack import isolate
real = isolate._call

def traced(fn, item, memory_mb):
    if os.getpid() == main_pid:  # workers=0: in this process
        return real(fn, item, memory_mb)
    forked_from = status(os.getppid())["VmRSS"]
    before = set(sys.modules)
    start = status()
    t0 = time.monotonic()
    try:
        return real(fn, item, memory_mb)
    finally:
        end = status()
        row = {"file": getattr(item, "name", str(item)), "kind": getattr(item, "kind", "?"),
               "forked_from": forked_from, "start": start["VmRSS"], "peak": end["VmHWM"],
               "seconds": time.monotonic() - t0,
               "sqlalchemy": "sqlalchemy" in sys.modules,
               "imported": sorted(set(sys.modules) - before)}
        with open(log, "a") as fh:
            fh.write(json.dumps(row) + "\\n")

isolate._call = traced
from rectrack.cli import main
sys.argv[0] = "rectrack"
t0 = time.monotonic()
try:
    main()
finally:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu = sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage,
              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
    with open(log, "a") as fh:
        fh.write(json.dumps({"run": True, "children_maxrss": kids, "cpu": cpu,
                             "own_peak": status()["VmHWM"],
                             "inner_wall": time.monotonic() - t0}) + "\\n")
"""


def measure(
    folder: Path, workers: int, nice: int, tree: Path | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One instrumented run: the workers' rows and the run's own row (plus outer wall)."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "log.jsonl"
        db = Path(tmp) / "x.sqlite"
        cmd = ["nice", "-n", str(nice), sys.executable, "-c", _WRAPPER, str(log)]
        cmd += ["run", str(folder), "--db", str(db), "--workers", str(workers), "-q"]
        t0 = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(tree)} if tree else None
        done = subprocess.run(
            cmd, cwd=tree or ROOT, env=env, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - t0
        rows = [json.loads(line) for line in log.read_text().splitlines()]
    run = next(r for r in rows if r.get("run"))
    run["wall"] = wall
    run["exit"] = done.returncode
    run["stdout_tail"] = done.stdout.strip().splitlines()[-1:] or done.stderr[-300:]
    return [r for r in rows if not r.get("run")], run


def report(jobs: list[dict[str, Any]], run: dict[str, Any], top: int) -> None:
    growth = [j["peak"] - j["start"] for j in jobs]
    print(
        f"run: wall {run['wall']:.1f} s, CPU {run['cpu']:.1f} s (exit {run['exit']}), "
        f"run process peak "
        f"{run['own_peak']:.0f} MB, largest worker (RUSAGE_CHILDREN ru_maxrss) "
        f"{run['children_maxrss']:.0f} MB; {run['stdout_tail']}"
    )
    if not jobs:
        return
    print(
        f"jobs: {len(jobs)}; forked from a process of {min(j['forked_from'] for j in jobs):.0f}-"
        f"{max(j['forked_from'] for j in jobs):.0f} MB; worker RSS at start "
        f"{min(j['start'] for j in jobs):.0f}-{max(j['start'] for j in jobs):.0f} MB; "
        f"growth while parsing median {statistics.median(growth):.1f}, max {max(growth):.1f} MB; "
        f"peak median {statistics.median(j['peak'] for j in jobs):.0f}, "
        f"max {max(j['peak'] for j in jobs):.0f} MB; "
        f"workers with sqlalchemy loaded: {sum(j['sqlalchemy'] for j in jobs)}"
    )
    for j in sorted(jobs, key=lambda j: -j["peak"])[:top]:
        print(
            f"  {j['file']} ({j['kind']}): start {j['start']:.0f} + {j['peak'] - j['start']:.0f}"
            f" = peak {j['peak']:.0f} MB, {j['seconds']:.2f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("-j", "--workers", type=int, default=1)
    ap.add_argument("--top", type=int, default=3, help="largest jobs to list")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--nice", type=int, default=10)
    ap.add_argument("--tree", type=Path, default=None, help="another checkout's rectrack")
    args = ap.parse_args()
    for _ in range(args.repeat):
        report(*measure(args.folder.resolve(), args.workers, args.nice, args.tree), args.top)


if __name__ == "__main__":
    main()
