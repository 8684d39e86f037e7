"""Warming a process up before it forks parser workers.

Workers are forked (locally by the fork server of ``rectrack.forkserver``, on a Dask worker by
``rectrack.cluster``) from a process that has already imported the readers and built the
stages' caches, so each inherits them instead of paying about 2 s per file. Its own module
so that the executors and the pipeline can both use it without importing each other.
"""

from __future__ import annotations

from pathlib import Path


def warm_up(vocabulary: Path | None = None) -> None:
    """Import the readers and build the stage caches (catalog, vocabularies, spaCy matchers)
    in this process, so forked workers inherit them instead of paying ~2 s each per file.
    ``vocabulary``: the run's own vocabulary file (``rectrack run --vocabulary``), built here
    instead of the package's."""
    import pypdfium2  # noqa: F401  (imported for the side effect)

    from core.model import RawRecord
    from extract import (  # noqa: F401
        docx,
        pdf,
        pdf_cues,
        pdfium,
        safety,
    )
    from extract.bodies import default_bodies
    from extract.identify import default_catalog, default_settings
    from extract.recognizers import cues, vocab
    from normalize import normalize
    from rectrack import work  # noqa: F401  (what a worker runs: unpickled by reference)

    # Every knowledge file a worker reads: one left out is parsed again in every worker, for
    # every file (tests/rectrack/test_warm.py checks that a parse after warm-up reads none).
    default_catalog()
    default_settings()
    default_bodies()
    vocab.load()
    cues.load()
    pdf_cues.load()
    stated = RawRecord(
        recognizer="warm-up",
        rec_number=1,
        addressee_raw="Executive heads",
        acceptance_raw="accepted",
        implementation_raw="implemented",
        deadline_raw="2021",
    )
    prose = RawRecord(  # no labels: acceptance and addressee read from prose (spaCy matchers)
        recognizer="warm-up",
        rec_number=2,
        # a word broken at a line end: normalize.text loads its English word list here
        rec_text="The executive heads should review the imple-\nmentation by the end of 2022.",
        acceptance_prose="The organization accepts this recommendation.",
    )
    from normalize import NormalizeConfig

    config = NormalizeConfig(vocabulary_path=vocabulary) if vocabulary else None
    normalize([stated, prose], None, config)
    freeze_heap()


def freeze_heap() -> None:
    """Keep forked workers from copying the warmed-up heap.

    A forked child shares its parent's memory until it writes to a page. CPython's cycle
    collector writes to the header of every object it traverses, so the first full collection
    in a child touched the ~150 MB the warm-up had built and copied it page by page: ~80 ms of
    a worker's time per file, 10 s of a 47 s run over 120 files (measured with
    ``rectrack run --workers 1`` on the 120 wild PDFs: 47.6 s before, 37.8 s after). Objects
    alive now are moved to a permanent generation the collector does not traverse
    (``gc.freeze``, meant for exactly this); they live as long as the process anyway."""
    import gc

    gc.collect()
    gc.freeze()
