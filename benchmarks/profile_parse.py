"""Where the parse step spends its time: cProfile over the first N PDFs of a folder.

    .venv/bin/python benchmarks/profile_parse.py ../shared/corpus/wild 40   # top 30 by cumulative
    .venv/bin/python benchmarks/profile_parse.py DIR N --sort tottime --top 40

One process, readers and vocabularies warmed up first (as ``rectrack run`` does before
forking), then ``rectrack.pipeline.parse_file`` on each file (check, read, identify,
recognize, normalize; no database). Prints pages, files refused, CPU seconds, and the
profile. cProfile slows Python-heavy code more than C calls: compare shares, not seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=40)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from core.errors import RectrackError
    from rectrack.pipeline import parse_file
    from rectrack.warm import warm_up

    warm_up()
    files = sorted(args.folder.glob("*.pdf"))[: args.n]
    profile = cProfile.Profile(time.process_time)  # CPU seconds: the machine may be busy
    pages = refused = 0
    cpu = time.process_time()
    profile.enable()
    for f in files:
        try:
            pages += parse_file(f).info.pages or 0
        except RectrackError:
            refused += 1
    profile.disable()
    cpu = time.process_time() - cpu
    print(f"{len(files)} files, {pages} pages, {refused} refused, {cpu:.1f} CPU s under cProfile")
    stats = pstats.Stats(profile)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
