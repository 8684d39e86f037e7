"""The rate views and deadlines on the real corpus (DOCX), checked against the hand-made gold
(tests/gold_visible.csv): the counts are worked out here in plain Python with the formulas of
load/views/README.md, not read back from the views."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest

from tests.gold import gold_rows

# load/views/README.md, "Rates"
DECIDED = {"accepted", "partially_accepted", "not_accepted", "noted"}
ACCEPTED = {"accepted", "partially_accepted"}
JIU_YEAR = re.compile(r"^JIU/[A-Z]+/(\d{4})/\d+$")
END_OF_YEAR = re.compile(r"\bby the end of (\d{4})\b", re.IGNORECASE)

Counts = tuple[int, int, int]  # recommendations, accepted, implemented


def _query(db: Path, sql: str) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql)]
    finally:
        con.close()


def _gold_latest() -> list[dict[str, str]]:
    """One row per (agency, review, number): the gold has one report per agency, so each
    recommendation's latest status is its only row (checked, not assumed)."""
    rows = gold_rows()
    keys = [(g["agency"], g["review"], g["number"]) for g in rows]
    assert len(set(keys)) == len(keys), "a recommendation in two gold reports: pick the newest"
    return rows


def _gold_counts(group: Callable[[dict[str, str]], Hashable]) -> dict[Any, Counts]:
    counts: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
    for g in _gold_latest():
        c = counts[group(g)]
        c[0] += g["acceptance"] in DECIDED
        c[1] += g["acceptance"] in ACCEPTED
        c[2] += g["acceptance"] in ACCEPTED and g["implementation"] == "implemented"
    return {k: (c[0], c[1], c[2]) for k, c in counts.items()}


def _review_year(symbol: str) -> int | None:
    match = JIU_YEAR.match(symbol.strip())
    return int(match.group(1)) if match else None


def _check_rates(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Hashable],
                 want: dict[Any, Counts]) -> None:  # fmt: skip
    got = {key(r): (r["recommendations"], r["accepted"], r["implemented"]) for r in rows}
    assert got == want
    for r in rows:
        recs, accepted, implemented = r["recommendations"], r["accepted"], r["implemented"]
        assert r["acceptance_rate"] == (pytest.approx(accepted / recs) if recs else None)
        assert r["implementation_rate"] == (
            pytest.approx(implemented / accepted) if accepted else None
        )


@pytest.fixture(scope="module")
def db(corpus_docx_run: tuple[Path, Path]) -> Path:
    return corpus_docx_run[1]


def test_rates_per_agency_match_the_gold(db: Path) -> None:
    want = _gold_counts(lambda g: g["agency"])
    _check_rates(_query(db, "SELECT * FROM v_rates"), lambda r: r["agency"], want)


def test_rates_per_addressee_match_the_gold(db: Path) -> None:
    want = _gold_counts(lambda g: (g["agency"], g["addressee"] or "unknown"))
    rows = _query(db, "SELECT * FROM v_rates_by_addressee")
    _check_rates(rows, lambda r: (r["agency"], r["addressee"]), want)


def test_rates_per_review_year_match_the_gold(db: Path) -> None:
    want = _gold_counts(lambda g: (g["agency"], _review_year(g["review"])))
    rows = _query(db, "SELECT * FROM v_rates_by_review_year")
    _check_rates(rows, lambda r: (r["agency"], r["review_year"]), want)


def test_deadlines_are_read_where_the_text_sets_one(db: Path) -> None:
    rows = _query(db, "SELECT * FROM v_assessments")
    (wipo,) = [
        r for r in rows
        if r["agency"] == "WIPO" and r["review_symbol"] == "JIU/REP/2021/5"
        and r["rec_number"] == 2
    ]  # fmt: skip
    assert "by the end of 2023" in " ".join(wipo["rec_text"].split())
    assert wipo["deadline"] == "2023-12-31"
    with_end_of = 0
    for r in rows:
        years = END_OF_YEAR.findall(" ".join(r["rec_text"].split()))
        if years:
            with_end_of += 1
            assert r["deadline"] in {f"{y}-12-31" for y in years}, r
    assert with_end_of >= 10  # the corpus has many; a reader that lost them fails here
