"""Compare a database's v_assessments with the hand-checked gold (tests/gold_visible.csv)."""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold_visible.csv"
FIELDS = ("acceptance", "implementation", "addressee", "responsible", "previous_implementation")


def _fold(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Accuracy:
    expected: int = 0
    missing: list[tuple[str, str, int]] = field(default_factory=list)
    extra: list[tuple[str, str, int]] = field(default_factory=list)
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong: dict[str, list[str]] = field(default_factory=lambda: {f: [] for f in FIELDS})

    def rate(self, name: str) -> float:
        return self.correct[name] / self.expected if self.expected else 0.0

    def summary(self) -> str:
        parts = [f"{n}={self.rate(n):.1%}" for n in FIELDS]
        return (
            f"{self.expected} expected, {len(self.missing)} missing, {len(self.extra)} extra; "
            + ", ".join(parts)
        )


def compare(db: Path, gold: list[dict[str, str]] | None = None) -> Accuracy:
    """Match on (agency, review, number); a gold row with no review matches on
    (agency, number) alone (its review has no symbol: the parser picks a slug)."""
    gold = gold if gold is not None else gold_rows()
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("select * from v_assessments")]
    con.close()
    acc = Accuracy(expected=len(gold))
    used: set[int] = set()
    for g in gold:
        number = int(g["number"])
        candidates = [
            i
            for i, r in enumerate(rows)
            if i not in used
            and r["agency"] == g["agency"]
            and r["rec_number"] == number
            and (not g["review"] or r["review_symbol"] == g["review"])
        ]
        if not candidates:
            acc.missing.append((g["agency"], g["review"], number))
            continue
        i = candidates[0]
        used.add(i)
        got = rows[i]
        for name in FIELDS:
            want = _fold(g[name])
            have = _fold(got[name])
            if name == "addressee" and want is None:
                want = "unknown"
            if want == have:
                acc.correct[name] += 1
            else:
                acc.wrong[name].append(
                    f"{g['agency']} {g['review']} #{number}: {have!r} != {want!r}"
                )
    acc.extra = [
        (r["agency"], r["review_symbol"], r["rec_number"])
        for i, r in enumerate(rows)
        if i not in used
    ]
    return acc
