"""Settings of the extract stage: one frozen value, built once by the caller and passed down.

Nothing in ``extract`` reads the environment: a forked worker gets its settings with the job
(inherited, not pickled), so what a run was told is what every reader in it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .pdf_config import PdfSettings
from .safety import DEFAULT_LIMITS, Limits

SPLIT_PAGES = 24  # with several workers, a PDF longer than this is read in page ranges
MIN_CHUNK_PAGES = 8  # fewer pages per range would cost more in forks than it saves


@dataclass(frozen=True)
class ExtractConfig:
    """What the readers are allowed to open (``limits``), how PDF pages are read (``pdf``,
    engine included), and when a long PDF is worth reading in page ranges by several workers
    (``split_pages``; ``chunk_pages`` per range, by default one range per worker)."""

    pdf: PdfSettings = field(default_factory=PdfSettings)
    limits: Limits = DEFAULT_LIMITS
    split_pages: int = SPLIT_PAGES
    chunk_pages: int | None = None

    def __post_init__(self) -> None:
        if self.split_pages < 1:
            raise ValueError("split_pages must be at least 1")
        if self.chunk_pages is not None and self.chunk_pages < 1:
            raise ValueError("chunk_pages must be at least 1 (or None: one range per worker)")

    @classmethod
    def with_engine(cls, engine: str | None, **kwargs: object) -> ExtractConfig:
        """Defaults, with PDF pages read by ``engine`` (None: the default engine)."""
        config = cls(**kwargs)  # type: ignore[arg-type]
        if engine is None:
            return config
        return replace(config, pdf=replace(config.pdf, engine=engine))
