"""CPU time of reading chars (``extract.pdfium._chars``) and of the parse step, C loop vs ctypes.

    nice -n 10 .venv/bin/python benchmarks/chars_speed.py ../shared/corpus/wild              # ~40 s
    nice -n 10 .venv/bin/python benchmarks/chars_speed.py ../shared/corpus/wild --what parse # ~90 s
    nice -n 10 .venv/bin/python benchmarks/chars_speed.py DIR --files 30 --root /tmp/before

``--what chars`` (default): every page of the first ``--files`` PDFs of DIR (all by default),
each page read by ``_chars`` once per path, the paths alternating which goes first: ms of CPU
(``time.process_time``) per page. ``--what parse`` (``both``: after that):
``rectrack.pipeline.parse_file`` on each file, once per path, paths alternating, after
``rectrack.warm.warm_up()`` (as ``rectrack run`` does before forking): CPU seconds summed.
The paths: ``c``, the C loop of the optional extension ``extract._pdfium_chars``; ``ctypes``,
the fallback without it. ``--root``: import the code from another checkout (e.g. a worktree
of the code before the extension, ``git worktree add /tmp/before COMMIT``); a checkout
without the extension is timed as it is (one path, ``as is``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=None, help="the first N PDFs (default: all)")
    ap.add_argument("--what", choices=("chars", "parse", "both"), default="chars")
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout to import")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    import pypdfium2 as pdfium_lib

    from extract import pdfium

    files = sorted(args.folder.glob("*.pdf"))[: args.files]
    paths = _paths(pdfium)
    print(f"{pdfium.__file__}: paths {', '.join(paths)}; {len(files)} files")
    if args.what != "parse":
        pages, cpu = _time_chars(pdfium_lib, pdfium, files, paths)
        for name in paths:
            ms = 1000 * cpu[name] / pages
            print(f"_chars, {name:7}: {ms:6.2f} ms CPU a page ({pages} pages)")
    if args.what != "chars":
        seconds = _time_parse(files, paths, pdfium)
        for name in paths:
            print(f"parse step, {name:7}: {seconds[name]:6.2f} CPU s ({len(files)} files)")


def _paths(pdfium: Any) -> dict[str, Callable[[], Any]]:
    """Name -> a context manager that selects the path (``_native`` set or cleared)."""
    if not hasattr(pdfium, "_native"):
        return {"as is": _unchanged}
    native = pdfium._native
    paths: dict[str, Callable[[], Any]] = {}
    if native is not None:
        paths["c"] = lambda: _native_set(pdfium, native)
    paths["ctypes"] = lambda: _native_set(pdfium, None)
    return paths


@contextmanager
def _unchanged() -> Iterator[None]:
    yield


@contextmanager
def _native_set(pdfium: Any, value: Any) -> Iterator[None]:
    saved = pdfium._native
    pdfium._native = value
    try:
        yield
    finally:
        pdfium._native = saved


def _time_chars(
    pdfium_lib: Any, pdfium: Any, files: list[Path], paths: dict[str, Callable[[], Any]]
) -> tuple[int, dict[str, float]]:
    """Pages read and CPU seconds of ``_chars`` by path."""
    cpu = dict.fromkeys(paths, 0.0)
    names = list(paths)
    pages = 0
    for f in files:
        doc = pdfium_lib.PdfDocument(str(f))
        try:
            for i in range(len(doc)):
                page = doc[i]
                frame = pdfium._Frame(0, page.get_height())
                order = names if pages % 2 == 0 else names[::-1]
                for name in order:
                    with paths[name]():
                        start = time.process_time()
                        pdfium._chars(page, frame, i + 1)
                        cpu[name] += time.process_time() - start
                page.close()
                pages += 1
        finally:
            doc.close()
    return pages, cpu


def _time_parse(
    files: list[Path], paths: dict[str, Callable[[], Any]], pdfium: Any
) -> dict[str, float]:
    """CPU seconds of ``parse_file`` over ``files`` by path (files a reader refuses count)."""
    from core.errors import RectrackError
    from rectrack.pipeline import parse_file
    from rectrack.warm import warm_up

    warm_up()
    cpu = dict.fromkeys(paths, 0.0)
    names = list(paths)
    for k, f in enumerate(files):
        for name in names if k % 2 == 0 else names[::-1]:
            with paths[name]():
                start = time.process_time()
                with suppress(RectrackError):
                    parse_file(f)
                cpu[name] += time.process_time() - start
    return cpu


if __name__ == "__main__":
    main()
