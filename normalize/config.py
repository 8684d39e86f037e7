"""Settings of the normalize stage, with defaults that need no configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VOCABULARY = Path(__file__).parent / "data" / "vocabulary.yaml"


@dataclass(frozen=True)
class NormalizeConfig:
    """Where the vocabulary lives and how review keys are built.

    ``slug_words`` bounds the review key made from a title when a document gives no review
    symbol (see :func:`normalize.review.review_key`), so keys stay short and stable.
    """

    vocabulary_path: Path = field(default=DEFAULT_VOCABULARY)
    slug_words: int = 6

    def __post_init__(self) -> None:
        if self.slug_words < 1:
            raise ValueError(f"slug_words must be at least 1, got {self.slug_words}")
