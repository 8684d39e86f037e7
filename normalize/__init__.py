"""Normalize stage: raw records (labels as printed) into the common status scheme.

Takes :class:`core.model.RawRecord` values, the reporting agency and a
:class:`NormalizeConfig` (which vocabulary); gives :class:`core.model.Assessment` values in
the scheme (docs/status-scheme.md) with the raw labels kept beside, and every label no rule
mapped (:class:`core.model.Unmapped`), never a guess. Entry point: :func:`normalize`.
Knowledge lives in ``data/vocabulary.yaml``. Imports only ``core`` of the project: it knows
nothing of files, readers or databases.
"""

from __future__ import annotations

from core.model import Assessment, RawRecord, Unmapped
from normalize.config import NormalizeConfig
from normalize.errors import NormalizeError, RectrackError, VocabularyError
from normalize.record import normalize_record
from normalize.text import words
from normalize.vocabulary import Vocabulary, load_vocabulary


def normalize(
    records: list[RawRecord],
    agency: str | None,
    config: NormalizeConfig | None = None,
) -> tuple[list[Assessment], list[Unmapped]]:
    """Map ``records`` of one document of ``agency`` ("WIPO", "UN-Women", ...) onto the scheme.

    Returns the assessments in input order, and every unmapped label occurrence (field,
    label as printed, page) in the same order, for the pipeline to report. Raises
    :class:`VocabularyError` only when the vocabulary file itself is unusable.
    """
    config = config or NormalizeConfig()
    vocab = load_vocabulary(config.vocabulary_path)
    seen = words(r.rec_text for r in records)
    assessments: list[Assessment] = []
    unmapped: list[Unmapped] = []
    ordinal = 0
    for raw in records:
        assessment, missing = normalize_record(raw, agency, vocab, config, seen)
        if not assessment.rec_id:  # unnumbered: kept with an ordinal, never an invented number
            ordinal += 1
            assessment.rec_id = f"#{ordinal}"
        assessments.append(assessment)
        unmapped.extend(missing)
    return assessments, unmapped


__all__ = [
    "NormalizeConfig",
    "NormalizeError",
    "RectrackError",
    "Vocabulary",
    "VocabularyError",
    "load_vocabulary",
    "normalize",
    "normalize_record",
]
