"""One run's configuration, built once (by the CLI or a library caller) and passed down.

Each stage keeps its own settings (``extract.ExtractConfig``, ``load.LoadConfig``); this value
holds them with what belongs to the run itself (workers and their limits, what to re-parse).
Nothing below the CLI reads the environment: what a run was told travels with it, into forked
workers too. Values are checked when built, so a bad setting stops the run before it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.config import ExtractConfig
from load.config import LoadConfig
from normalize.config import NormalizeConfig
from rectrack.limits import DEFAULT_MEMORY_MB as DEFAULT_MEMORY_MB
from rectrack.limits import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from rectrack.limits import WorkerLimits as WorkerLimits
from rectrack.limits import check_memory_mb as check_memory_mb
from rectrack.limits import check_timeout as check_timeout


@dataclass(frozen=True)
class RunConfig:
    """Everything ``rectrack.pipeline.run`` needs besides the paths.

    ``workers``: parser processes (None: the machine's cores; 0: parse in this process, for
    debugging). ``force``: parse even unchanged files. ``retry_failed``: parse again files
    whose last parse failed."""

    extract: ExtractConfig = field(default_factory=ExtractConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    load: LoadConfig = field(default_factory=LoadConfig)
    limits: WorkerLimits = field(default_factory=WorkerLimits)
    workers: int | None = None
    force: bool = False
    retry_failed: bool = False

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 0:
            raise ValueError(f"workers cannot be negative, not {self.workers}")

    @classmethod
    def build(
        cls,
        *,
        db: str | None = None,
        workers: int | None = None,
        force: bool = False,
        retry_failed: bool = False,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        memory_mb: int = DEFAULT_MEMORY_MB,
        pdf_engine: str | None = None,
        vocabulary: Path | None = None,
        **extract: object,
    ) -> RunConfig:
        """The configuration from flat settings, as the CLI's options name them; other
        keywords go to :class:`ExtractConfig` (``split_pages``, ``chunk_pages``, ...).
        Raises ValueError naming a bad value."""
        return cls(
            extract=ExtractConfig.with_engine(pdf_engine, **extract),
            normalize=NormalizeConfig(vocabulary) if vocabulary else NormalizeConfig(),
            load=LoadConfig(db),
            limits=WorkerLimits(timeout_s, memory_mb),
            workers=workers,
            force=force,
            retry_failed=retry_failed,
        )
