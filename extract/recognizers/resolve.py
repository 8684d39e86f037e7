"""The resolver: one record per recommendation, from every statement of it.

Candidates with the same review and printed id are one recommendation. Per field the
strongest evidence wins (a label over a phrase over a count), among equals the later
statement (the closing verdict). Evidence naming the recommendation from elsewhere in the
document joins it; counts fill what nothing else says when their number covers exactly the
recommendations concerned. Two statements that disagree at the same strength keep the first
read and leave a warning; a recommendation is never dropped or doubled for it. Finally the
precision rule: a record only where a status or an acceptance was found."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from core.model import Prov, RawRecord

from .counts import CountStatement
from .cues import STATUS_FIELDS, Cues
from .cues import load as load_cues
from .evidence import COUNT, Ev
from .regions import Candidate, Mention, Walk
from .vocab import fold

_STATUS_KEYS = (*STATUS_FIELDS, "acceptance_prose")
_SHOULD = re.compile(r"\bshould\b", re.IGNORECASE)  # a recommendation's own words
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass
class _Rec:
    key: tuple[str, str]
    candidates: list[Candidate]
    evidence: list[Ev] = field(default_factory=list)

    @property
    def first(self) -> Candidate:
        return self.candidates[0]


def _review_key(c: Candidate, walk: Walk) -> str:
    return c.review_symbol or walk.fallback_review or c.review_title or walk.document_title or ""


def _best(evs: list[Ev]) -> Ev | None:
    return max(evs, key=lambda e: (e.strength, e.seq)) if evs else None


def resolve(
    walk: Walk, count_statements: list[CountStatement]
) -> tuple[list[RawRecord], list[str]]:
    warnings: list[str] = []
    recs: dict[tuple[str, str], _Rec] = {}
    for c in walk.candidates:
        key = (_review_key(c, walk), c.rec_id)
        rec = recs.setdefault(key, _Rec(key, []))
        rec.candidates.append(c)
        rec.evidence.extend(c.evidence)
    _disagreements(recs, warnings)
    for m in walk.mentions:
        _join_mention(recs, m, walk)
    _apply_counts(recs, [*walk.counts, *count_statements], walk)
    stated = {
        c.table_index
        for r in recs.values()
        if _has_status(r)
        for c in r.candidates
        if c.status_table
    }
    out: list[RawRecord] = []
    for rec in recs.values():
        # a row of a status table whose other rows state statuses: its blank is a statement
        # (a check-box row nobody ticked)
        in_status_table = any(c.status_table and c.table_index in stated for c in rec.candidates)
        if not _has_status(rec) and not in_status_table:
            continue
        out.append(_record(rec, walk))
    return out, warnings


def _has_status(rec: _Rec) -> bool:
    return any(e.field in _STATUS_KEYS for e in rec.evidence)


def _disagreements(recs: dict[tuple[str, str], _Rec], warnings: list[str]) -> None:
    for rec in recs.values():
        if len(rec.candidates) < 2:
            continue
        for fld in STATUS_FIELDS:
            tops = []
            for c in rec.candidates:
                best = _best([e for e in c.evidence if e.field == fld])
                if best is not None:
                    tops.append(best)
            strongest = max((e.strength for e in tops), default=0)
            labels = {fold(e.raw).lower(): e for e in tops if e.strength == strongest}
            if len(labels) > 1:
                kept = min(labels.values(), key=lambda e: e.seq)
                rec.evidence = [
                    e
                    for e in rec.evidence
                    if not (e.field == fld and e.strength == strongest and e is not kept)
                ]
                seen = "; ".join(f"'{e.raw}' (page {e.page})" for e in labels.values())
                review, rec_id = rec.key
                warnings.append(
                    f"recommendation {rec_id} of {review or 'the document'}: {fld} read "
                    f"differently ({seen}); kept '{kept.raw}'"
                )


def _join_mention(recs: dict[tuple[str, str], _Rec], m: Mention, walk: Walk) -> None:
    scope = m.review or walk.fallback_review
    for (review, rec_id), rec in recs.items():
        if rec_id != m.rec_id:
            continue
        if (
            scope is None
            or review == scope
            or (rec.first.review_symbol is None and m.review is None)
        ):
            rec.evidence.append(m.ev)


def _value(field: str, raw: str, cues: Cues) -> str:
    """The scheme value a label or phrase stands for, to compare statements."""
    text = fold(raw).lower()
    for value, pattern in cues.phrases.get(field, ()):
        if text == value.replace("_", " ") or pattern.search(text):
            return value
    return text


def _values(rec: _Rec, field: str, cues: Cues) -> set[str]:
    return {_value(field, e.raw, cues) for e in rec.evidence if e.field == field}


def _consistent(rec: _Rec, wanted: dict[str, str], cues: Cues) -> bool:
    """Nothing the record already says contradicts the statement."""
    return all(not (v := _values(rec, f, cues)) or wanted[f] in v for f in wanted)


def _lacking(rec: _Rec, wanted: dict[str, str]) -> list[str]:
    have = {e.field for e in rec.evidence}
    if "acceptance_prose" in have:
        have.add("acceptance")
    return [f for f in wanted if f not in have]


def _apply_counts(
    recs: dict[tuple[str, str], _Rec], counts: list[CountStatement], walk: Walk
) -> None:
    """'n recommendations of review R are S' fills S where nothing else says it, when n is
    all of R's recommendations, or (for a combined statement such as "accepted and
    implemented") exactly those that already show the other half of it."""
    cues = load_cues()
    by_review: dict[str, list[_Rec]] = defaultdict(list)
    for rec in recs.values():
        by_review[rec.key[0]].append(rec)
    for st in counts:
        group = by_review.get(st.review or walk.fallback_review or "", [])
        if not group:
            continue
        if set(st.fields) == {"addressee"}:
            lacking = [r for r in group if not _has_addressee(r)]
            if lacking and st.count == len(lacking):
                for r in lacking:
                    r.evidence.append(
                        Ev("addressee", st.fields["addressee"], COUNT, st.page, st.seq)
                    )
            continue
        wanted = {f: _value(f, raw, cues) for f, raw in st.fields.items()}
        fits = [_consistent(r, wanted, cues) for r in group]
        if st.count == len(group) and all(fits):
            targets = group
        elif len(wanted) > 1:
            targets = [
                r
                for r, fit in zip(group, fits, strict=True)
                if fit and any(wanted[f] in _values(r, f, cues) for f in wanted)
            ]
            if st.count != len(targets):
                continue
        else:
            continue
        for r in targets:
            for f in _lacking(r, wanted):
                r.evidence.append(Ev(f, st.fields[f], COUNT, st.page, st.seq))


def _has_addressee(rec: _Rec) -> bool:
    if any(e.field == "addressee" for e in rec.evidence):
        return True
    return any(c.addressee or _SHOULD.search(c.rec_text) for c in rec.candidates)


def _text(rec: _Rec) -> str:
    """The recommendation's own words: a statement with "should" if one has it."""
    for c in rec.candidates:
        if _SHOULD.search(c.rec_text):
            return c.rec_text
    return rec.first.rec_text


def _dated(rec: _Rec, best: Ev | None) -> Ev | None:
    """A completion stated without its year ("Completed to planned scope") and again with it
    elsewhere ("recommendations (a), (b) and (e) were completed to planned scope in 2023"):
    the dated statement is the label, so the year is not lost. Only where both say the same."""
    if best is None or _YEAR.search(best.raw):
        return best
    cues = load_cues()
    if _value("implementation", best.raw, cues) != "implemented":
        return best
    dated = [
        e
        for e in rec.evidence
        if e.field == "implementation"
        and _YEAR.search(e.raw)
        and _value("implementation", e.raw, cues) == "implemented"
    ]
    return max(dated, key=lambda e: (e.strength, e.seq)) if dated else best


def _record(rec: _Rec, walk: Walk) -> RawRecord:
    first = rec.first
    fields: dict[str, Ev | None] = {
        f: _best([e for e in rec.evidence if e.field == f])
        for f in (
            "acceptance",
            "implementation",
            "acceptance_prose",
            "addressee",
            "responsible",
            "deadline",
        )
    }
    fields["implementation"] = _dated(rec, fields["implementation"])
    status = fields["implementation"] or fields["acceptance"] or fields["acceptance_prose"]
    review_symbol = next((c.review_symbol for c in rec.candidates if c.review_symbol), None)
    review_symbol = review_symbol or walk.fallback_review
    title = next((c.review_title for c in rec.candidates if c.review_title), None)
    if review_symbol is None:
        title = title or walk.document_title
    acceptance = fields["acceptance"]
    prose = fields["acceptance_prose"]
    if acceptance is not None and prose is not None and prose.strength > acceptance.strength:
        acceptance = None
    return RawRecord(
        recognizer=first.recognizer,
        rec_number=first.rec_number,
        rec_id=first.rec_id,
        rec_text=_text(rec),
        review_symbol=review_symbol,
        review_title=title,
        addressee_raw=(fields["addressee"].raw if fields["addressee"] else None)
        or next((c.addressee for c in rec.candidates if c.addressee), None),
        acceptance_raw=acceptance.raw if acceptance else None,
        acceptance_prose=prose.raw if prose and acceptance is None else None,
        implementation_raw=fields["implementation"].raw if fields["implementation"] else None,
        previous_raw=next((c.previous_raw for c in rec.candidates if c.previous_raw), None),
        responsible=fields["responsible"].raw if fields["responsible"] else None,
        deadline_raw=fields["deadline"].raw if fields["deadline"] else None,
        comment=next((c.comment for c in rec.candidates if c.comment), None),
        table_index=first.table_index,
        prov=first.prov,
        status_prov=Prov(page=status.page) if status and status.page != first.prov.page else None,
    )
