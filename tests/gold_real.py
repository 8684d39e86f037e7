"""Score parsed real documents against the hand-made gold (tests/gold_real_visible.csv).

Matching is on (source, review, recommendation number). A gold review that is a symbol
("JIU/REP/2023/6") must equal the record's review symbol; a gold review that is a title
(the document gives no symbol) matches a record without a symbol, case and spacing aside.
An empty gold cell means "not stated": acceptance and implementation then expect `unknown`,
addressee `unknown`, responsible and previous_implementation nothing. Responsible is compared
without spaces (the PDF text layer drops some: "Supportand", "IEO,with").

Shared by tests/rectrack/test_real_accuracy.py and ``python -m tests.gold_real DB``.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold_real_visible.csv"
FIELDS = ("acceptance", "implementation", "addressee", "responsible", "previous_implementation")
_SYMBOL = re.compile(r"^[A-Z]+(?:\.\d+)?/")


def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _norm(value: object, name: str) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if name == "responsible":
        text = text.replace(" ", "")
    return text or None


def _want(g: dict[str, str], name: str) -> str | None:
    value = _norm(g[name], name)
    if value is None and name in ("acceptance", "implementation", "addressee"):
        return "unknown"
    return value


@dataclass
class DocScore:
    expected: int = 0
    found: int = 0
    extra: list[str] = field(default_factory=list)
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class Score:
    docs: dict[str, DocScore] = field(default_factory=dict)

    def total(self) -> DocScore:
        out = DocScore()
        for d in self.docs.values():
            out.expected += d.expected
            out.found += d.found
            out.extra += d.extra
            out.missing += d.missing
            out.wrong += d.wrong
            for f in FIELDS:
                out.correct[f] += d.correct[f]
        return out

    def rate(self, name: str, doc: DocScore | None = None) -> float:
        d = doc or self.total()
        if not d.expected:
            return 1.0
        if name == "recall":
            return d.found / d.expected
        return d.correct[name] / d.expected

    def table(self) -> str:
        head = ["document", "gold", "found", "extra", "recall", *FIELDS]
        lines = [" | ".join(head)]
        for name, d in [*sorted(self.docs.items()), ("ALL", self.total())]:
            cells = [name, str(d.expected), str(d.found), str(len(d.extra))]
            cells += [f"{self.rate(n, d):.0%}" for n in ("recall", *FIELDS)]
            lines.append(" | ".join(cells))
        return "\n".join(lines)


def _review_matches(gold_review: str, row: dict[str, object]) -> bool:
    symbol = str(row.get("review_symbol") or "")
    if _SYMBOL.match(gold_review):
        return symbol.upper() == gold_review.upper()
    title = " ".join(str(row.get("review_title") or "").split()).lower()
    return title == " ".join(gold_review.split()).lower() or not _SYMBOL.match(symbol)


def score(db: Path, sources: list[str], gold: list[dict[str, str]] | None = None) -> Score:
    """``sources``: the file names (without suffix) that were run; each gets a row."""
    gold = gold if gold is not None else gold_rows()
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("select * from v_assessments")]
    con.close()
    by_source: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_source[Path(str(r["source_file"])).stem].append(r)
    out = Score()
    for source in sources:
        doc = out.docs.setdefault(source, DocScore())
        have = by_source.get(source, [])
        used: set[int] = set()
        for g in (g for g in gold if g["source"] == source):
            doc.expected += 1
            number = int(g["number"])
            hit = next(
                (
                    i
                    for i, r in enumerate(have)
                    if i not in used
                    and r["rec_number"] == number
                    and _review_matches(g["review"], r)
                ),
                None,
            )
            if hit is None:
                doc.missing.append(f"{source} {g['review']} #{number}")
                continue
            used.add(hit)
            doc.found += 1
            for name in FIELDS:
                want, got = _want(g, name), _norm(have[hit].get(name), name)
                if want == got:
                    doc.correct[name] += 1
                else:
                    doc.wrong.append(
                        f"{source} {g['review']} #{number} {name}: {got!r} != {want!r}"
                    )
        doc.extra = [
            f"{source} {r['review_symbol']} #{r['rec_number']}"
            for i, r in enumerate(have)
            if i not in used
        ]
    return out


if __name__ == "__main__":  # python -m tests.gold_real DB SOURCE...
    result = score(Path(sys.argv[1]), sys.argv[2:])
    print(result.table())
    total = result.total()
    for line in total.missing + total.extra + total.wrong:
        print(" ", line)
