"""Walk the stream: keep the context (review, addressee) the headings set, open a region at
each anchor, and gather the evidence in it.

A region is the anchor's row and the rows that continue it, or its paragraphs up to the next
anchor or section heading. Within it: ``key: value`` lines, cells typed by their column's
header (a sub-table of key actions under a management response), cells that are status words,
and status phrases in the prose. Sentences that name other recommendations by number
("Recommendations 1 and 4 were considered ...") are evidence for those, wherever they stand;
counts ("The 10 formal recommendations are under consideration", a count table's row for a
review) are kept for the resolver."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from core.model import Cell, Document, Prov, Row, Table

from . import anchors as anchor_mod
from . import context as context_mod
from .cues import STATUS_FIELDS, Cues
from .evidence import (
    LABEL,
    PHRASE,
    Ev,
    cell_label,
    key_values,
    phrase_hits,
    sentences,
    status_from_value,
)
from .stream import Unit
from .vocab import Vocab, classify, fold

_HEADING_MAX = 300
_NUMBERS = re.compile(r"\d{1,3}")


@dataclass
class Candidate:
    """One statement of a recommendation, with the evidence around it."""

    rec_id: str
    rec_number: int | None
    review_symbol: str | None
    review_title: str | None
    addressee: str | None  # from the headings above
    rec_text: str
    prov: Prov
    table_index: int
    recognizer: str = "evidence"
    evidence: list[Ev] = field(default_factory=list)
    previous_raw: str | None = None
    comment: str | None = None


@dataclass
class Mention:
    """Evidence for a recommendation named elsewhere (by number, within a review's scope)."""

    review: str | None
    rec_id: str
    ev: Ev


@dataclass
class CountStatement:
    """'All n recommendations of this review are S': applied by the resolver where n fits."""

    review: str | None
    count: int
    fields: dict[str, str]  # field -> label as printed ("Accepted" + "Implemented")
    page: int | None
    seq: float


@dataclass
class Walk:
    candidates: list[Candidate] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    counts: list[CountStatement] = field(default_factory=list)
    fallback_review: str | None = None
    document_title: str | None = None


# -- review symbols ------------------------------------------------------------------------


def review_symbols(text: str, vocab: Vocab, cues: Cues) -> list[str]:
    found = [m.group(1).upper() for m in vocab.review_symbol.finditer(text)]
    found += [re.sub(r"\s+", "", m.group(1)) for m in cues.other_review_symbols.finditer(text)]
    return list(dict.fromkeys(found))


def _fallback_review(doc: Document, units: list[Unit], vocab: Vocab, cues: Cues) -> str | None:
    """The review a document without review headings responds to: the oversight report it
    cites most, leaving out the document's own symbol (printed in its running headers)."""
    own = set()
    for block in doc.furniture:
        own.update(review_symbols(block.text, vocab, cues))
    counts: Counter[str] = Counter()
    for unit in units:
        for symbol in review_symbols(unit.text, vocab, cues):
            if symbol not in own:
                counts[symbol] += 1
    return counts.most_common(1)[0][0] if counts else None


def _document_title(units: list[Unit], cues: Cues) -> str | None:
    """The review named by the document's title ("Management response to the independent
    review of ..." -> "Independent review of ...")."""
    for unit in units[:40]:
        if unit.block is None or not context_mod.is_headingish(unit.block):
            continue
        text = cues.title_strip.sub("", fold(unit.text)).strip(" .:")
        if cues.title_generic.match(text) or not cues.title_must.match(text):
            continue
        return text[0].upper() + text[1:]
    return None


def _heading_review(unit: Unit, vocab: Vocab, cues: Cues) -> tuple[str, str | None] | None:
    """A heading (or full-width table row) naming exactly one review: "A. Flexible working
    arrangements ... (JIU/REP/2023/6)", "Detailed recommendations: (JIU/REP/2023/8)"."""
    text = fold(unit.text)
    if len(text) > _HEADING_MAX:
        return None
    plain = unit.block is not None and not context_mod.is_headingish(unit.block)
    # a plain paragraph names reviews in passing; only a short line standing alone counts
    if plain and (len(text) > 160 or re.match(r"^\d+\.\s", text)):
        return None
    symbols = review_symbols(text, vocab, cues)
    if len(symbols) != 1:
        return None
    symbol = symbols[0]
    title = re.sub(r"\(?\s*" + re.escape(symbol).replace("/", r"\s*/\s*") + r".*$", "", text)
    title = re.sub(r"^(?:[A-Z]|[IVX]+)\.\s+", "", title).strip(' -–—:;("“”')
    if re.match(r"^detailed recommendations?$", title, re.I):
        title = ""
    return symbol, title or None


# -- table headers -------------------------------------------------------------------------


def _header_fields(unit: Unit, vocab: Vocab) -> list[tuple[int, int, str]] | None:
    """A row naming fields in at least two of its cells ("Action | Responsible section(s) |
    Expected completion date | ...", "Status | Comments"): (first col, end col, field)."""
    typed: list[tuple[int, int, str]] = []
    for cell in unit.cells:
        text = fold(cell.text)
        if len(text) > 120:
            return None
        name = classify(text, vocab.fields, vocab.fields_despaced)
        if name:
            typed.append((cell.col, cell.col + cell.col_span, name))
    return typed if len(typed) >= 2 else None


def _field_of(cell: Cell, header: list[tuple[int, int, str]]) -> str | None:
    """The field of the narrowest header cell over this cell's columns."""
    lo, hi = cell.col, cell.col + cell.col_span
    over = [(b - a, f) for a, b, f in header if a < hi and lo < b]
    return min(over)[1] if over else None


# -- the walk ------------------------------------------------------------------------------


@dataclass
class _Action:
    """One row of a key-action sub-table, continued by the fragments below it."""

    values: dict[str, list[str]] = field(default_factory=dict)
    page: int | None = None


@dataclass
class _Region:
    candidate: Candidate
    texts: list[tuple[str, int | None, int]] = field(default_factory=list)  # prose, page, seq
    actions: list[_Action] = field(default_factory=list)


class _Walker:
    def __init__(self, doc: Document, units: list[Unit], vocab: Vocab, cues: Cues) -> None:
        self.vocab, self.cues, self.units = vocab, cues, units
        self.out = Walk()
        self.out.fallback_review = _fallback_review(doc, units, vocab, cues)
        self.out.document_title = _document_title(units, cues)
        self.ctx = context_mod.Context()
        self.review: tuple[str, str | None] | None = None
        self.region: _Region | None = None
        self.headers: dict[int, list[tuple[int, int, str]]] = {}

    # context
    def _scope(self) -> str | None:
        return self.review[0] if self.review else None

    def _heading(self, unit: Unit) -> bool:
        """Update the context from a heading; True when it closes the open region."""
        found = _heading_review(unit, self.vocab, self.cues)
        if found:
            self.review = found
            return True
        text = fold(unit.text)
        breaks = any(p.match(text) for p in self.cues.region_breaks)
        heading = unit.block is None or context_mod.is_headingish(unit.block)
        if len(text) <= _HEADING_MAX and breaks and heading:
            self.review = None
            self.ctx = context_mod.Context(document_title=self.ctx.document_title)
            return True
        if unit.block is not None:
            before = self.ctx.addressee
            self.ctx = context_mod.update(self.ctx, unit.block, self.vocab)
            if self.ctx.addressee != before:
                return True
        return False

    def _close(self) -> None:
        region, self.region = self.region, None
        if region is None:
            return
        cand = region.candidate
        self._prose_evidence(region)
        self._action_evidence(region)
        self.out.candidates.append(cand)

    def _open(self, anchor: anchor_mod.Anchor, unit: Unit, rec_text: str) -> None:
        review = self.review
        cand = Candidate(
            rec_id=anchor.rec_id,
            rec_number=anchor.rec_number,
            review_symbol=review[0] if review else None,
            review_title=review[1] if review else None,
            addressee=self.ctx.addressee,
            rec_text=rec_text,
            prov=unit.prov,
            table_index=unit.table.index if unit.table is not None else 0,
        )
        if anchor.addressee:
            cand.evidence.append(Ev("addressee", anchor.addressee, LABEL, unit.page, unit.seq))
        self.region = _Region(cand)

    def run(self) -> Walk:
        for unit in self.units:
            if unit.is_row:
                self._row(unit)
            else:
                self._text_unit(unit)
            self._mentions(unit)
            self._counts_in_prose(unit)
        self._close()
        return self.out

    def _text_unit(self, unit: Unit) -> None:
        anchor = anchor_mod.find(unit.text, self.cues)
        if anchor is not None:
            cur = self.region
            if (
                cur is not None
                and cur.candidate.rec_id == anchor.rec_id
                and (cur.candidate.review_symbol == self._scope())
            ):
                cur.texts.append((anchor.rest, unit.page, unit.seq))  # "Recommendation 1 reads ..."
                self._key_values(unit)
                return
            self._close()
            self._open(anchor, unit, anchor.rest)
            self.region.texts.append((anchor.rest, unit.page, unit.seq))  # type: ignore[union-attr]
            self._key_values(unit)
            return
        if self._heading(unit):
            self._close()
            return
        if self.region is not None:
            self.region.texts.append((unit.text, unit.page, unit.seq))
            self._key_values(unit)

    def _key_values(self, unit: Unit) -> None:
        assert self.region is not None
        for fld, value in key_values(unit.text, self.vocab):
            for f, raw, strength in status_from_value(fld, value, self.cues):
                if f in ("acceptance", "implementation", "acceptance_prose"):
                    self.region.candidate.evidence.append(Ev(f, raw, strength, unit.page, unit.seq))
                elif f in ("responsible", "deadline"):
                    self.region.candidate.evidence.append(
                        Ev(f, fold(raw), LABEL, unit.page, unit.seq)
                    )

    def _row(self, unit: Unit) -> None:
        assert unit.table is not None
        header = _header_fields(unit, self.vocab)
        if header is not None and anchor_mod.find(unit.cells[0].text, self.cues) is None:
            known = self.headers.get(unit.table.index)
            if known and self._last_was_header == unit.table.index:
                header = known + header  # a second header row ("Status | Comments")
            self.headers[unit.table.index] = header
            self._last_was_header = unit.table.index
            return
        self._last_was_header = -1
        anchor = anchor_mod.find(unit.cells[0].text, self.cues)
        if anchor is not None:
            self._close()
            self._open(anchor, unit, anchor.rest)
            for cell in unit.cells[1:]:
                self._cell(cell, unit)
            return
        if self.region is None:
            return
        columns = self.headers.get(unit.table.index)
        if columns and any(_field_of(c, columns) for c in unit.cells):
            self._action_row(unit, columns)
            return
        for cell in unit.cells:
            self._cell(cell, unit)

    _last_was_header = -1

    def _cell(self, cell: Cell, unit: Unit) -> None:
        assert self.region is not None and unit.table is not None
        columns = self.headers.get(unit.table.index) or []
        fld = _field_of(cell, columns) if columns else None
        cand = self.region.candidate
        label = cell_label(cell.text, self.cues)
        if fld in STATUS_FIELDS or fld == "acceptance_prose":
            for f, raw, strength in status_from_value(fld, cell.text, self.cues):
                cand.evidence.append(Ev(f, raw, strength, unit.page, unit.seq))
            if fld == "acceptance_prose":
                self.region.texts.append((cell.text, unit.page, unit.seq))
            return
        if not label:  # a status label heading a cell of prose ("Accepted and implemented\n...")
            label = cell_label(cell.text.strip().splitlines()[0], self.cues)
        if label:
            for f, raw in label.items():
                cand.evidence.append(Ev(f, raw, LABEL, unit.page, unit.seq))
            if "\n" not in cell.text.strip():
                return
        if fld in ("responsible", "deadline"):
            cand.evidence.append(Ev(fld, fold(cell.text), LABEL, unit.page, unit.seq))
            return
        if fld in (None, "comment", "rec_text"):
            self.region.texts.append((cell.text, unit.page, unit.seq))
            for kf, value in key_values(cell.text, self.vocab):
                for f, raw, strength in status_from_value(kf, value, self.cues):
                    if f in ("acceptance", "implementation", "acceptance_prose"):
                        cand.evidence.append(Ev(f, raw, strength, unit.page, unit.seq))

    def _action_row(self, unit: Unit, columns: list[tuple[int, int, str]]) -> None:
        assert self.region is not None
        typed = [(c, _field_of(c, columns)) for c in unit.cells]
        first_col = min(a for a, _, _ in columns)
        starts = any(c.col <= first_col < c.col + c.col_span for c, _ in typed)
        if (starts and sum(1 for _, f in typed if f) >= 2) or not self.region.actions:
            self.region.actions.append(_Action(page=unit.page))
        action = self.region.actions[-1]
        for cell, fld in typed:
            if fld:
                action.values.setdefault(fld, []).append(fold(cell.text))

    # evidence from prose and action tables, when a region closes
    def _prose_evidence(self, region: _Region) -> None:
        cand = region.candidate
        for text, page, seq in region.texts:
            for i, sentence in enumerate(sentences(text)):
                if self._not_about_this(sentence):
                    continue
                for f, raw in phrase_hits(sentence, self.cues).items():
                    cand.evidence.append(Ev(f, raw, PHRASE, page, seq + i / 1000))

    def _not_about_this(self, sentence: str) -> bool:
        c = self.cues
        if c.recommendation_sentence.search(sentence) or not c.self_reference.search(sentence):
            return True
        if c.numbered_mention.search(sentence):
            return True  # names recommendations by number: evidence for those (mentions)
        return bool(c.plural_without_numbers.search(sentence))

    def _action_evidence(self, region: _Region) -> None:
        cand = region.candidate
        if not region.actions:
            return
        per_action: list[dict[str, str]] = [
            {f: " ".join(v).strip() for f, v in a.values.items()} for a in region.actions
        ]
        statuses = [a.get("implementation", "") for a in per_action]
        status = next((s for s in statuses if s), "")
        page = next((a.page for a, s in zip(region.actions, statuses, strict=True) if s), None)
        if status:
            for f, raw, strength in status_from_value("implementation", status, self.cues):
                cand.evidence.append(Ev(f, raw, strength, page, 0))
        if len(per_action) == 1:  # several actions: each has its own unit and date
            only = per_action[0]
            for f in ("responsible", "deadline"):
                if only.get(f):
                    cand.evidence.append(Ev(f, only[f], LABEL, region.actions[0].page, 0))

    # evidence about recommendations named by number
    def _mentions(self, unit: Unit) -> None:
        c = self.cues
        scope = self._scope()
        own = self.region.candidate.rec_id if self.region else None
        for sentence in sentences(unit.text):
            if c.recommendation_sentence.search(sentence):
                continue
            matches = list(c.numbered_mention.finditer(sentence))
            if not matches:
                continue
            for i, m in enumerate(matches):
                end = matches[i + 1].start() if i + 1 < len(matches) else len(sentence)
                clause = sentence[m.start() : end]
                ids = _NUMBERS.findall(m.group("ids"))
                hits = phrase_hits(clause, c)
                who = c.addressee_phrase.search(clause)
                for rec_id in ids:
                    if anchor_mod.find(unit.text, c) is not None and rec_id == own and i == 0:
                        continue  # the anchor itself: its region reads it
                    for f, raw in hits.items():
                        self.out.mentions.append(
                            Mention(scope, rec_id, Ev(f, raw, PHRASE, unit.page, unit.seq))
                        )
                    if who:
                        self.out.mentions.append(
                            Mention(
                                scope,
                                rec_id,
                                Ev("addressee", who.group(0), PHRASE, unit.page, unit.seq),
                            )
                        )

    def _counts_in_prose(self, unit: Unit) -> None:
        c = self.cues
        for sentence in sentences(unit.text):
            for m in c.status_count.finditer(sentence):
                n = c.count(m.group("count"))
                if not n:
                    continue
                rest = sentence[m.start() :]
                rest = re.split(r"[;]|\(\d", rest)[0]
                hits = phrase_hits(rest, c)
                if hits:
                    self.out.counts.append(
                        CountStatement(self._scope(), n, hits, unit.page, unit.seq)
                    )
            for m in c.addressee_count.finditer(sentence):
                n = c.count(m.group("count"))
                if n:
                    raw = "addressed to the " + m.group("who")
                    self.out.counts.append(
                        CountStatement(self._scope(), n, {"addressee": raw}, unit.page, unit.seq)
                    )


def walk(doc: Document, units: list[Unit], vocab: Vocab, cues: Cues) -> Walk:
    return _Walker(doc, units, vocab, cues).run()


# -- count tables --------------------------------------------------------------------------

_COUNT_CELL = re.compile(r"^\s*(?:\d{1,4}|[-–—])\s*(?:\(\d{1,3}\s*%?\)|\d{1,3}\s*%)?\s*$")


def count_table(table: Table, vocab: Vocab, cues: Cues) -> list[CountStatement]:
    """Rows keyed by a review symbol whose other cells are counts under status headings
    ("Under consideration", "Accepted / Implemented"): one statement per non-zero count.
    Such a table never gives records itself."""
    rows = table.rows
    first_data = None
    for i, row in enumerate(rows):
        cells = [c for c in row.cells if c.text.strip()]
        if not cells or not review_symbols(cells[0].text, vocab, cues):
            continue
        numeric = [c for c in cells[1:] if _COUNT_CELL.match(c.text)]
        if len(numeric) >= 2:
            first_data = i
            break
    if first_data is None:
        return []
    header_rows = rows[:first_data]
    out: list[CountStatement] = []
    for row in rows[first_data:]:
        cells = [c for c in row.cells if c.text.strip()]
        if not cells:
            continue
        symbols = review_symbols(cells[0].text, vocab, cues)
        if not symbols:
            continue
        for cell in cells[1:]:
            m = re.match(r"^\s*(\d{1,4})", cell.text)
            if not m or not _COUNT_CELL.match(cell.text) or int(m.group(1)) == 0:
                continue
            labels = _count_header(cell, header_rows, cues)
            if labels:
                out.append(CountStatement(symbols[0], int(m.group(1)), labels, row.prov.page, 0))
    return out


def _count_header(cell: Cell, header_rows: list[Row], cues: Cues) -> dict[str, str]:
    lo, hi = cell.col, cell.col + cell.col_span
    narrow: list[str] = []
    wide: list[str] = []
    for row in header_rows:
        for h in row.cells:
            a, b = h.col, h.col + h.col_span
            if not h.text.strip() or not (a < hi and lo < b):
                continue
            if lo <= a and b <= hi:
                narrow.append(fold(h.text))
            elif a <= lo and hi <= b and h.col_span <= 3 * cell.col_span:
                wide.append(fold(h.text))
    out: dict[str, str] = {}
    for text in [" ".join(narrow), *wide]:
        for f, v in cell_label(text, cues).items():
            out.setdefault(f, v)
    return out
