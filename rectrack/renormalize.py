"""The analyst's loop: map the stored raw records again, without reading a single file.

``rectrack labels`` lists what no rule maps; the analyst adds those labels to the vocabulary;
``rectrack renormalize`` applies the vocabulary and the rules again to the raw records the
loader stored for every loaded document (``raw_records``), and swaps each document's
assessments and unmapped labels in one transaction. No reader or recognizer runs: the stored
raw records are what the recognizers read last time, so this takes seconds where a new
``rectrack run --force`` parses every PDF again.

The application layer joins the stages here: records come out of ``load``, through
``normalize``, back into ``load`` (``load`` itself never imports ``normalize``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import RectrackError

if TYPE_CHECKING:
    from normalize import NormalizeConfig


@dataclass
class RenormalizeSummary:
    documents: int = 0  # documents mapped again
    records: int = 0  # their records now
    unmapped_before: int = 0  # unmapped label occurrences in those documents, before
    unmapped_after: int = 0  # and after
    without_raw: list[str] = field(default_factory=list)  # loaded before raw records were kept


def existing_database(db: str | None) -> str:
    """The database to work on, which must exist: renormalizing never creates one."""
    from load.db import DEFAULT_PATH

    text = db if db is not None else str(DEFAULT_PATH)
    if "://" not in text and not Path(text).is_file():
        raise RectrackError(
            f"no database at {text}; build it first with `rectrack run corpus/ --db {text}`"
        )
    return text


def renormalize(db: str | None, config: NormalizeConfig | None = None) -> RenormalizeSummary:
    """Map every loaded document's stored raw records again with ``config``'s vocabulary.

    Documents loaded before the raw records were kept (revision 0005) hold records but no raw
    records: they are left as they are and named in ``without_raw`` (``rectrack run --force``
    reads them again)."""
    import load
    from normalize import normalize

    engine = load.open_db(existing_database(db))
    summary = RenormalizeSummary()
    try:
        before = _unmapped_per_file(load.unmapped_labels(engine))
        for stored in load.stored_raw_records(engine):
            if not stored.raw_records:
                if stored.records:
                    summary.without_raw.append(stored.source_file)
                continue
            assessments, unmapped = normalize(stored.raw_records, stored.agency, config)
            summary.records += load.replace_assessments(
                engine, stored.source_file, assessments, unmapped, stored.read_warnings
            )
            summary.documents += 1
            summary.unmapped_before += before.get(stored.source_file, 0)
            summary.unmapped_after += len(unmapped)
    finally:
        engine.dispose()
    return summary


def _unmapped_per_file(rows: list[dict[str, object]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        name = str(row["file"])
        out[name] = out.get(name, 0) + 1
    return out
