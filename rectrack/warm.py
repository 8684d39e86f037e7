"""Warming a process up before it forks parser workers.

Workers are forked (locally by ``rectrack.executor``, on a Dask worker by ``rectrack.cluster``)
from a process that has already imported the readers and built the stages' caches, so each
inherits them instead of paying about 2 s per file. Its own module so that the executors and
the pipeline can both use it without importing each other.
"""

from __future__ import annotations


def warm_up() -> None:
    """Import the readers and build the stage caches (catalog, vocabularies, spaCy matchers)
    in this process, so forked workers inherit them instead of paying ~2 s each per file."""
    import pypdfium2  # noqa: F401  (imported for the side effect)

    from core.model import RawRecord
    from extract import (  # noqa: F401
        docx,
        pdf,
        pdfium,
        safety,
    )
    from extract.identify import default_catalog
    from extract.recognizers import vocab
    from normalize import normalize

    default_catalog()
    vocab.load()
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
    normalize([stated, prose], None)
