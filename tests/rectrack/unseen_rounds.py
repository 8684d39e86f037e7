"""What every round of unseen reporting shapes shares (tests/rectrack/test_unseen*_shapes.py).

A round is a handful of documents written by hand after public reports
(tests/generate/unseen*.yaml), read end to end by ``rectrack run`` in the format each was written
for ("natural") and in the other one ("swapped"), and scored against a gold file written before
rectrack first read them (tests/gold_real.py). Each round's module keeps what is its own -- its
documents, gold, known misses and the tests of its shapes -- and asks this module for the rest,
so the rounds stay comparable: the same run, the same gold coverage, the same reading of known
misses.

Known misses are per format and per kind ("missing", "extra", "wrong"), each a set of gold_real
labels ("SOURCE REVIEW #N ..."). A test compares what was scored with them for equality, so a
miss fixed must leave the list and a new one is a regression. Not collected by pytest (no
``test_`` prefix); the functions return values and the tests assert, so pytest's assertion
messages show the differing sets.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectrack.cli import cli
from tests.generate.unseen import UnseenDoc
from tests.gold_real import Score, gold_rows, score

# format -> kind ("missing", "extra", "wrong") -> gold_real labels of the misses still known.
KnownMisses = dict[str, dict[str, set[str]]]


def in_format(doc: UnseenDoc, fmt: str) -> UnseenDoc:
    """The document as written ("natural") or rendered in the other format ("swapped")."""
    if fmt == "swapped":
        return replace(doc, fmt="docx" if doc.fmt == "pdf" else "pdf")
    return doc


def run_round(docs: Iterable[UnseenDoc], folder: Path, fmt: str) -> Path:
    """Build the round's documents in `fmt` into `folder`, run the pipeline on it; the database."""
    for doc in docs:
        in_format(doc, fmt).build(folder)
    db = folder / "rectrack.sqlite"
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output  # no document fails
    return db


def score_round(db: Path, sources: list[str], gold: Path, fields: tuple[str, ...]) -> Score:
    """The round's records scored against its gold; the table is printed for ``pytest -s``."""
    result = score(db, sources, gold_rows(gold), fields)
    print("\n" + result.table())
    return result


def gold_coverage_gaps(
    gold: Path, sources: Collection[str], least: int, lookalikes: Collection[str] = ()
) -> list[str]:
    """Why the gold does not cover every document but the look-alikes (which must give no
    record, so have no gold row) with at least `least` rows each; empty when it does."""
    per_source = Counter(g["source"] for g in gold_rows(gold))
    gaps = []
    if set(per_source) != set(sources) - set(lookalikes):
        gaps.append(f"gold sources {sorted(per_source)} != documents {sorted(sources)} "
                    f"but the look-alikes {sorted(lookalikes)}")
    if not set(sources) >= set(lookalikes):
        gaps.append(f"look-alikes {sorted(set(lookalikes) - set(sources))} are no document")
    gaps += [f"{s}: {n} gold rows, fewer than {least}" for s, n in per_source.items() if n < least]
    return gaps


def gold_agencies(gold: Path) -> dict[str, str]:
    """The agency the gold gives each document (file stem)."""
    return {g["source"]: g["agency"] for g in gold_rows(gold)}


def agencies_read(db: Path) -> dict[str, str]:
    """The agency each document (file stem) was read as."""
    con = sqlite3.connect(db)
    got = dict(con.execute("select distinct source_file, agency from v_assessments"))
    con.close()
    return {Path(f).stem: a for f, a in got.items()}


def files_read(db: Path) -> set[str]:
    """The documents (file stems) that gave at least one record."""
    con = sqlite3.connect(db)
    files = {Path(f).stem for (f,) in con.execute("select source_file from v_assessments")}
    con.close()
    return files


def known_for(
    misses: KnownMisses, request: pytest.FixtureRequest, fixture: str
) -> dict[str, set[str]]:
    """The known misses of the format the test runs in: the parameter of the round's database
    fixture named `fixture`."""
    return misses[request.node.callspec.params[fixture]]


def missed(result: Score, source: str) -> tuple[set[str], set[str]]:
    """The document's recommendations not found and its records found beyond the gold."""
    doc = result.docs[source]
    return set(doc.missing), set(doc.extra)


def known_missed(known: dict[str, set[str]], source: str) -> tuple[set[str], set[str]]:
    """The known misses of one format that are the document's, as `missed` gives them."""
    mine = {k: {m for m in known[k] if m.startswith(f"{source} ")} for k in ("missing", "extra")}
    return mine["missing"], mine["extra"]


def wrong_fields(result: Score) -> set[str]:
    """Every scored field read wrong, over all the round's documents."""
    return set(result.total().wrong)
