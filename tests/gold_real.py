"""Score parsed real documents against the hand-made gold (tests/gold_real_visible.csv).

Matching is on (source, review, recommendation number). A gold review that is a symbol
("JIU/REP/2023/6") must equal the record's review symbol; a gold review that is a title
(the document gives no symbol) matches a record without a symbol, case and spacing aside.
An empty gold cell means "not stated": acceptance and implementation then expect `unknown`,
addressee `unknown`, responsible and previous_implementation nothing. Responsible is compared
without spaces (the PDF text layer drops some: "Supportand", "IEO,with").

A gold file may also carry a ``rec_id`` column (tests/gold_holdout.csv: lettered
recommendations "(a)" that restart in every numbered paragraph, written "8(a)"). Where a gold
row's rec_id is filled, matching is on it instead of the number: the record's rec_id must equal
it, case, spaces and parentheses aside ("8(a)" = "8 (a)" = "8a"). Extra fields beyond FIELDS
(``completed_year``, ``body``, ``text_start`` -- the first 50 characters of the record's
rec_text) can be scored by passing ``fields``.

Shared by tests/rectrack/test_real_accuracy.py, tests/rectrack/test_holdout_accuracy.py and
``python -m tests.gold_real DB [--gold FILE] [--fields a,b] SOURCE...``.
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
EXTRA_FIELDS = ("completed_year", "body", "text_start")
_SYMBOL = re.compile(r"^[A-Z]+(?:\.\d+)?/")


def gold_rows(path: Path = GOLD) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _rec_id_key(value: object) -> str:
    """'8(a)', '8 (a)' and '8a' are one identifier; '1.2' keeps its dot."""
    return re.sub(r"[\s()]", "", str(value or "")).lower()


def _label(g: dict[str, str]) -> str:
    rec_id = (g.get("rec_id") or "").strip()
    return f"{g['source']} {g['review']} " + (rec_id if rec_id else f"#{g['number']}")


def _got(row: dict[str, object], name: str) -> str | None:
    if name == "text_start":
        text = " ".join(str(row.get("rec_text") or "").split())
        return text[:50].rstrip() or None
    return _norm(row.get(name), name)


def _norm(value: object, name: str) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if name == "responsible":
        text = text.replace(" ", "")
    return text or None


def _want(g: dict[str, str], name: str) -> str | None:
    value = _norm(g.get(name), name)
    if name == "text_start" and value:
        value = value.rstrip()
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
    fields: tuple[str, ...] = FIELDS

    def total(self) -> DocScore:
        out = DocScore()
        for d in self.docs.values():
            out.expected += d.expected
            out.found += d.found
            out.extra += d.extra
            out.missing += d.missing
            out.wrong += d.wrong
            for f in self.fields:
                out.correct[f] = out.correct.get(f, 0) + d.correct.get(f, 0)
        return out

    def rate(self, name: str, doc: DocScore | None = None) -> float:
        d = doc or self.total()
        if not d.expected:
            return 1.0
        if name == "recall":
            return d.found / d.expected
        return d.correct.get(name, 0) / d.expected

    def table(self) -> str:
        head = ["document", "gold", "found", "extra", "recall", *self.fields]
        lines = [" | ".join(head)]
        for name, d in [*sorted(self.docs.items()), ("ALL", self.total())]:
            cells = [name, str(d.expected), str(d.found), str(len(d.extra))]
            cells += [f"{self.rate(n, d):.0%}" for n in ("recall", *self.fields)]
            lines.append(" | ".join(cells))
        return "\n".join(lines)


def _review_matches(gold_review: str, row: dict[str, object]) -> bool:
    symbol = str(row.get("review_symbol") or "")
    if _SYMBOL.match(gold_review):
        return symbol.upper() == gold_review.upper()
    title = " ".join(str(row.get("review_title") or "").split()).lower()
    return title == " ".join(gold_review.split()).lower() or not _SYMBOL.match(symbol)


def _matches(g: dict[str, str], row: dict[str, object]) -> bool:
    if not _review_matches(g["review"], row):
        return False
    rec_id = (g.get("rec_id") or "").strip()
    if rec_id:
        return _rec_id_key(row.get("rec_id")) == _rec_id_key(rec_id)
    return row["rec_number"] == int(g["number"])


def score(
    db: Path,
    sources: list[str],
    gold: list[dict[str, str]] | None = None,
    fields: tuple[str, ...] = FIELDS,
) -> Score:
    """``sources``: the file names (without suffix) that were run; each gets a row."""
    gold = gold if gold is not None else gold_rows()
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("select * from v_assessments")]
    con.close()
    by_source: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_source[Path(str(r["source_file"])).stem].append(r)
    out = Score(fields=fields)
    for source in sources:
        doc = out.docs.setdefault(source, DocScore(correct=dict.fromkeys(fields, 0)))
        have = by_source.get(source, [])
        used: set[int] = set()
        for g in (g for g in gold if g["source"] == source):
            doc.expected += 1
            hit = next(
                (i for i, r in enumerate(have) if i not in used and _matches(g, r)),
                None,
            )
            if hit is None:
                doc.missing.append(_label(g))
                continue
            used.add(hit)
            doc.found += 1
            for name in fields:
                want, got = _want(g, name), _got(have[hit], name)
                if want == got:
                    doc.correct[name] += 1
                else:
                    doc.wrong.append(f"{_label(g)} {name}: {got!r} != {want!r}")
        doc.extra = [
            f"{source} {r['review_symbol']} #{r['rec_number']} ({r['rec_id']})"
            for i, r in enumerate(have)
            if i not in used
        ]
    return out


def _main(argv: list[str]) -> Score:
    """``DB [--gold FILE] [--fields a,b,...] SOURCE...``"""
    args, gold = list(argv[1:]), None
    fields: tuple[str, ...] = FIELDS
    if "--gold" in args:
        at = args.index("--gold")
        gold = gold_rows(Path(args[at + 1]))
        del args[at : at + 2]
    if "--fields" in args:
        at = args.index("--fields")
        fields = tuple(f for f in args[at + 1].split(",") if f)
        del args[at : at + 2]
    return score(Path(argv[0]), args, gold, fields)


if __name__ == "__main__":  # python -m tests.gold_real DB [--gold FILE] [--fields a,b] SOURCE...
    result = _main(sys.argv[1:])
    print(result.table())
    total = result.total()
    for line in total.missing + total.extra + total.wrong:
        print(" ", line)
