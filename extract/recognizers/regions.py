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

from core.model import Cell, Document, Prov, Table

from . import anchors as anchor_mod
from . import context as context_mod
from . import lettered as lettered_mod
from .counts import CountStatement, review_symbols
from .cues import STATUS_FIELDS, Cues
from .dated import HISTORY, PREVIOUS, dated_status_columns
from .evidence import (
    LABEL,
    PHRASE,
    Ev,
    cell_label,
    first_sentence,
    key_values,
    phrase_hits,
    sentences,
    status_from_value,
)
from .grouped import GroupColumn
from .stream import Unit
from .vocab import Vocab, classify, fold, is_tick

_HEADING_MAX = 300
_NOTE_MAX = 120
_KEY_MAX = 120  # a header cell is shorter (_header_fields): a longer value is prose
_LETTERS = re.compile(r"[^\W\d_]{2}")
_NUMBERS = re.compile(r"\d{1,3}")
_LETTER_IDS = re.compile(r"\(([a-z]{1,5})\)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


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
    status_table: bool = False  # stated in a row of a table with status columns


@dataclass
class Mention:
    """Evidence for a recommendation named elsewhere (by number, within a review's scope)."""

    review: str | None
    rec_id: str
    ev: Ev


@dataclass
class Walk:
    candidates: list[Candidate] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    counts: list[CountStatement] = field(default_factory=list)
    fallback_review: str | None = None
    document_title: str | None = None


# -- review symbols ------------------------------------------------------------------------


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
    symbols = review_symbols(text, vocab, cues)
    leads = bool(symbols) and text.lstrip(" -–—•·*▪").upper().startswith(symbols[0])
    # a plain paragraph names reviews in passing; a short line standing alone, or one that
    # begins with the symbol ("JIU/REP/2020/1 “Review of ...” LINK"), is a heading
    if plain and not leads and (len(text) > 160 or re.match(r"^\d+\.\s", text)):
        return None
    # an evaluation or audit named by a heading, or by a row across its table ("Internal Audit
    # of the Madagascar Country Office (2019/12)" above that audit's rows)
    across = unit.block is not None or unit.table is not None
    if not symbols and not plain and across and cues.title_heading.match(text):
        named = cues.title_strip.sub("", text).strip(" .:")
        return "", named[:1].upper() + named[1:]
    if len(symbols) != 1:
        return None
    symbol = symbols[0]
    title = re.sub(
        r"\(?\s*(?:document\s+)?" + re.escape(symbol).replace("/", r"\s*/\s*") + r".*$", "", text
    )  # "... organizations (document JIU/REP/2018/4)": "document" is no part of the title
    title = re.sub(r"^(?:(?:[A-Z]|[IVX]+)\.|\d{1,2}(?:\.\d{1,2})+\.?)\s+", "", title)  # "2.1 "
    title = title.strip(' -–—:;("“”')
    if re.match(r"^detailed recommendations?$", title, re.I):
        title = ""
    if not title and leads:  # "JIU/REP/2023/4 “Review of something important” LINK"
        at = text.upper().find(symbol)
        title = context_mod.title_after(at + len(symbol), text) or ""
    return symbol, title or None


# -- table headers -------------------------------------------------------------------------


def _header_fields(unit: Unit, vocab: Vocab) -> list[tuple[int, int, str]] | None:
    """A row naming fields in at least two of its cells ("Action | Responsible section(s) |
    Expected completion date | ...", "Status | Comments"): (first col, end col, field)."""
    typed: list[tuple[int, int, str, str]] = []
    for cell in unit.cells:
        text = fold(cell.text)
        if len(text) > 120:
            return None
        name = classify(text, vocab.fields, vocab.fields_despaced)
        if name:
            typed.append((cell.col, cell.col + cell.col_span, name, text))
    return dated_status_columns(typed) if len(typed) >= 2 else None


def _field_of(cell: Cell, header: list[tuple[int, int, str]]) -> str | None:
    """The field of the header over this cell: the narrowest one over its first column (a
    text spanning check-box groups belongs to the first), else the narrowest it touches."""
    lo, hi = cell.col, cell.col + cell.col_span
    at_start = [(b - a, f) for a, b, f in header if a <= lo < b]
    over = at_start or [(b - a, f) for a, b, f in header if a < hi and lo < b]
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
    in_row: bool = False  # anchored in a table row: the rows below continue it
    text_follows: bool = False  # the anchor announced the text ("reads as follows:")
    texts: list[tuple[str, int | None, int]] = field(default_factory=list)  # prose, page, seq
    # the response cells of the recommendation's own row (and the rows continuing it): they
    # speak of that one recommendation, named or not (read in _prose_evidence)
    answers: list[tuple[str, int | None, int]] = field(default_factory=list)
    status_columns: bool = False  # its table has a column typed as a status (by its header)
    actions: list[_Action] = field(default_factory=list)


def _says_something(text: str) -> bool:
    """Whether a cell holds a value at all: a dash or a dot ("—", "-", "…") under a
    "Responsible unit" or a date column says there is none, and is no unit's name."""
    return any(ch.isalnum() for ch in text)


def _own_symbol_line(unit: Unit, own_symbol: str | None) -> bool:
    """A line that is nothing but the document's own symbol (its masthead, or its running head
    printed once at the top of a page): page furniture, never a review heading."""
    if own_symbol is None or unit.is_row:
        return False
    squeeze = re.compile(r"\s+")
    return squeeze.sub("", fold(unit.text)).upper() == squeeze.sub("", own_symbol).upper()


class _Walker:
    def __init__(
        self,
        doc: Document,
        units: list[Unit],
        vocab: Vocab,
        cues: Cues,
        own_symbol: str | None = None,
    ) -> None:
        self.vocab, self.cues, self.units = vocab, cues, units
        self.own_symbol = own_symbol
        self.out = Walk()
        self.out.fallback_review = _fallback_review(doc, units, vocab, cues)
        self.out.document_title = _document_title(units, cues)
        self.ctx = context_mod.Context()
        self.review: tuple[str, str | None] | None = None
        self.region: _Region | None = None
        self.headers: dict[int, list[tuple[int, int, str]]] = {}
        self._cue_cache: dict[int, bool] = {}
        self._anchored: dict[int, bool] = {}
        self.header_texts: dict[int, list[tuple[int, int, str]]] = {}
        self._last_heading = ""
        self.lettered_section: int | None = None  # lead-in number of the lettered list above
        self._unnumbered = 0
        self._groups = GroupColumn()  # a responsible written once over its rows (grouped.py)

    # context
    def _scope(self) -> str | None:
        return self.review[0] if self.review else None

    def _heading(self, unit: Unit) -> bool:
        """Update the context from a heading; True when it closes the open region."""
        found = _heading_review(unit, self.vocab, self.cues)
        if found:
            self.review = found
            self.lettered_section = None
            return True
        text = fold(unit.text)
        breaks = any(p.match(text) for p in self.cues.region_breaks)
        heading = unit.block is None or context_mod.is_headingish(unit.block)
        if len(text) <= _HEADING_MAX and breaks and heading:
            self.review = None  # a new section; the addressee stands until a heading changes it
            self.lettered_section = None
            if unit.block is not None:  # "ANNEX II RECOMMENDATIONS ADDRESSED TO THE ..."
                self.ctx = context_mod.update(self.ctx, unit.block, self.vocab)
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
        if not anchor.rec_id:  # unnumbered: an ordinal within the document, never a number
            self._unnumbered += 1
            anchor = anchor_mod.Anchor(f"#{self._unnumbered}", None, anchor.rest, anchor.addressee)
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
        typed = False
        if unit.is_row and unit.table is not None:
            cand.status_table = self._status_columns(unit.table)
            typed = bool(self._typed_status(unit.table))
        self.region = _Region(cand, in_row=unit.is_row, status_columns=typed)

    def _typed_status(self, table: Table) -> set[str]:
        """The status fields the table's header gives a column."""
        fields = {f for _, _, f in self.headers.get(table.index, [])}
        return fields & {"acceptance", "implementation", "acceptance_prose"}

    def _status_columns(self, table: Table) -> bool:
        """The table has a status column (by header), or check-box columns for a status."""
        if self._typed_status(table):
            return True
        return any(
            classify(t, self.vocab.tick_groups, self.vocab.tick_groups_despaced)
            in ("acceptance", "implementation")
            for _, _, t in self.header_texts.get(table.index, [])
        )

    def run(self) -> Walk:
        i = 0
        while i < len(self.units):
            unit = self.units[i]
            if _own_symbol_line(unit, self.own_symbol):
                i += 1
                continue
            if not unit.is_row:
                listed = lettered_mod.read(self.units, i, self.cues, self._is_anchor)
                if listed is not None:
                    self._lettered(listed)
                    i = listed.end
                    continue
            if unit.is_row:
                self._row(unit)
            else:
                self._text_unit(unit)
            said = sentences(unit.text)  # once for both readers of the unit's sentences
            self._mentions(unit, said)
            self._counts_in_prose(unit, said)
            i += 1
        self._close()
        return self.out

    def _is_anchor(self, unit: Unit) -> bool:
        return anchor_mod.find(unit.text, self.cues) is not None

    def _lettered(self, listed: lettered_mod.LetteredList) -> None:
        """One candidate per lettered item with a status: '8(a)' under paragraph 8."""
        self._close()
        self.lettered_section = listed.number
        review = self.review
        for item in listed.items:
            cand = Candidate(
                rec_id=f"{listed.number}({item.letter})",
                rec_number=listed.number,
                review_symbol=review[0] if review else None,
                review_title=review[1] if review else None,
                addressee=self.ctx.addressee,
                rec_text=item.text,
                prov=item.unit.prov,
                table_index=0,
            )
            for k, (fld, raw, where) in enumerate(item.statuses):
                cand.evidence.append(Ev(fld, raw, LABEL, where.page, where.seq + k / 1000))
            self.out.candidates.append(cand)

    def _text_unit(self, unit: Unit) -> None:
        if unit.block is not None and context_mod.is_headingish(unit.block):
            self._last_heading = fold(unit.text)
        anchor = anchor_mod.find(unit.text, self.cues)
        if anchor is not None:
            cur = self.region
            if (
                cur is not None
                and cur.candidate.rec_id == anchor.rec_id
                and (cur.candidate.review_symbol == self._scope())
            ):
                cur.texts.append((anchor.rest, unit.page, unit.seq))  # "Recommendation 1 reads ..."
                if anchor.rest.rstrip().endswith(":"):  # "... reads as follows:"
                    cur.text_follows = True
                self._key_values(unit)
                return
            self._close()
            self._open(anchor, unit, anchor.rest)
            self.region.texts.append((anchor.rest, unit.page, unit.seq))  # type: ignore[union-attr]
            self._key_values(unit)
            return
        if self.region is not None and self._note(unit):
            return
        if self._heading(unit):
            self._close()
            return
        if self.region is not None:
            self._take_text(unit)
            self.region.texts.append((unit.text, unit.page, unit.seq))
            self._key_values(unit)
            # a paragraph that is, or opens with, a status word ("Agreed", "Not agreed. The ...")
            for f, raw in cell_label(first_sentence(unit.text), self.cues).items():
                self.region.candidate.evidence.append(Ev(f, raw, LABEL, unit.page, unit.seq))

    def _take_text(self, unit: Unit) -> None:
        """The recommendation's words when the anchor held none ("Recommendation 1." alone
        on its line) or announced them ("Recommendation 1 reads as follows:")."""
        assert self.region is not None
        cand = self.region.candidate
        wanted = not cand.rec_text.strip() or self.region.text_follows
        if wanted and not key_values(unit.text, self.vocab):
            cand.rec_text = unit.text
            self.region.text_follows = False

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
        if self.region is not None and self._row_anchor(unit) is None and self._key_value_row(unit):
            return
        if not self._anchored.get(unit.table.index):
            self.header_texts.setdefault(unit.table.index, []).extend(
                (c.col, c.col + c.col_span, fold(c.text)) for c in unit.cells
            )
        header = _header_fields(unit, self.vocab)
        if header is not None and anchor_mod.find(unit.cells[0].text, self.cues) is None:
            known = self.headers.get(unit.table.index)
            if known and self._last_was_header == unit.table.index:
                header = known + header  # a second header row ("Status | Comments")
            self.headers[unit.table.index] = header
            self._last_was_header = unit.table.index
            return
        self._last_was_header = -1
        found = self._row_anchor(unit)
        if found is not None:
            anchor, review, used = found
            self._anchored[unit.table.index] = True
            if not anchor.rest:  # "Recommendation 6 | The text ..." (a key/value table)
                rest = self._text_cell(unit, tuple(c for c in unit.cells if c not in used))
                if rest is not None:
                    anchor = anchor_mod.Anchor(anchor.rec_id, anchor.rec_number, rest.text)
                    used = (*used, rest)
            self._close()
            self._open(anchor, unit, anchor.rest)
            if review is not None and self.region is not None:
                self.region.candidate.review_symbol = review
                self.region.candidate.review_title = None
            for cell in unit.cells:
                if cell not in used:
                    self._cell(cell, unit)
            group = self._groups.value(
                unit.table.index, self.headers.get(unit.table.index) or [], unit.cells
            )
            if group and self.region is not None:
                self.region.candidate.evidence.append(
                    Ev("responsible", group, LABEL, unit.page, unit.seq)
                )
            return
        if self.region is None:
            return
        columns = self.headers.get(unit.table.index)
        in_row = self.region.in_row and self.region.candidate.table_index == unit.table.index
        if columns and not in_row and any(_field_of(c, columns) for c in unit.cells):
            self._action_row(unit, columns)
            return
        for cell in unit.cells:
            self._cell(cell, unit)

    _last_was_header = -1

    def _row_anchor(
        self, unit: Unit
    ) -> tuple[anchor_mod.Anchor, str | None, tuple[Cell, ...]] | None:
        """Where a row states a recommendation: a cell beginning "Recommendation N"; a review
        symbol followed by a bare number ("JIU/REP/2021/5 | 3 | text | ..."), whatever the
        columns' headers; or a bare number leading a row of a table that speaks of
        recommendations (in its header, its cells or the heading above it)."""
        assert unit.table is not None
        cells = unit.cells
        anchor = anchor_mod.find(cells[0].text, self.cues)
        if anchor is not None:
            return anchor, None, (cells[0],)
        # a key/value box's number row ("AMA | 2", "Recommendation no. | 4"), its text below
        number = self.vocab.bare_number.match(fold(cells[-1].text)) if len(cells) == 2 else None
        if number and classify(fold(cells[0].text), self.vocab.fields) == "rec_number":
            return anchor_mod.Anchor(number.group(1), int(number.group(1)), ""), None, cells
        columns = self.headers.get(unit.table.index) or []
        symbol_cell = next(
            (
                c
                for c in cells
                if (found := review_symbols(fold(c.text)[:60], self.vocab, self.cues))
                and fold(c.text).upper().startswith(found[0][:3])
            ),
            None,
        )
        by_header = [c for c in cells if columns and _field_of(c, columns) == "rec_number"]
        number_cell = next(
            (c for c in by_header or cells if self.vocab.bare_number.match(fold(c.text))), None
        )
        if number_cell is None and symbol_cell is not None:  # "JIU/REP/2010/10 Rec. 5"
            cited = anchor_mod.reference_paragraph(symbol_cell.text, self.cues)
            number_cell = symbol_cell if cited else None
        if number_cell is None or not (symbol_cell is not None or self._cued(unit.table)):
            return None
        if symbol_cell is None and number_cell is not cells[0] and not by_header:
            return None  # a number inside a row is a count, unless it leads or is headed so
        rest = self._text_cell(unit, tuple(c for c in cells if c not in (symbol_cell, number_cell)))
        # a status table keyed by the numbers of a list printed before it ("No. | Status |
        # Remarks"): a row with a status and no text of its own joins that number's record
        if rest is None and not (by_header and any(cell_label(c.text, self.cues) for c in cells)):
            return None
        number = self.vocab.bare_number.match(fold(number_cell.text))
        n = int(number.group(1)) if number else 0
        review = None
        if symbol_cell is not None:
            review = review_symbols(fold(symbol_cell.text)[:60], self.vocab, self.cues)[0]
            n = anchor_mod.reference_paragraph(symbol_cell.text, self.cues) or n
        used = tuple({c.col: c for c in (symbol_cell, number_cell, rest) if c is not None}.values())
        return anchor_mod.Anchor(str(n), n, rest.text if rest else ""), review, used

    def _text_cell(self, unit: Unit, cells: tuple[Cell, ...]) -> Cell | None:
        """The cell holding the recommendation's words: the one under a recommendation
        header, else the first with words that is not a status, a tick or a number."""
        assert unit.table is not None
        columns = self.headers.get(unit.table.index) or []
        for cell in cells:
            if columns and _field_of(cell, columns) == "rec_text":
                return cell
        for cell in cells:
            text = fold(cell.text)
            if columns and _field_of(cell, columns) not in (None, "rec_text"):
                continue
            if (
                _LETTERS.search(text)
                and not is_tick(text, self.vocab)
                and not cell_label(text, self.cues)
            ):
                return cell
        return None

    def _note(self, unit: Unit) -> bool:
        """A short note under a recommendation ('Previously “in progress”') gives the status
        before this edition."""
        assert self.region is not None
        text = unit.text.strip()
        match = self.vocab.previous_status.search(text)
        if len(text) > _NOTE_MAX or not match or text[: match.start()].strip():
            return False
        cand = self.region.candidate
        if cand.previous_raw is None:
            cand.previous_raw = fold(match.group(1) or match.group(2))
        return True

    def _key_value_row(self, unit: Unit) -> bool:
        """A row "Acceptance | Accepted | Previously “in progress”" in the region of a
        recommendation: the first cell names a field, the next holds its value, anything
        further right is a note."""
        assert self.region is not None
        cells = unit.cells
        if len(cells) < 2:
            return False
        key = fold(cells[0].text)
        if len(key) > 60 or anchor_mod.find(key, self.cues) is not None:
            return False
        if cell_label(key, self.cues) or is_tick(key, self.vocab):
            return False  # "Accepted | ...": a value leading its row, not a key
        fld = classify(key, self.vocab.fields, self.vocab.fields_despaced)
        if fld is None:
            return False
        value_field = classify(fold(cells[1].text), self.vocab.fields, self.vocab.fields_despaced)
        if value_field not in (None, fld) and len(fold(cells[1].text)) <= _KEY_MAX:
            return False  # "Status | Comments": a header row (a long value is prose)
        named = [c for c in cells[1:] if not cell_label(c.text, self.cues)]
        if sum(bool(classify(fold(c.text), self.vocab.fields)) for c in named) >= 2:
            return False  # "No. | Recommendation ... | Status as at ... | Comments": a header row
        cand = self.region.candidate
        value = cells[1].text
        for cell in cells[1:]:
            previous = self.vocab.previous_status.search(cell.text)
            if previous and cand.previous_raw is None:
                cand.previous_raw = fold(previous.group(1) or previous.group(2))
                if cell is cells[1]:
                    value = value[: previous.start()] + value[previous.end() :]
        if fld in ("acceptance", "implementation", "acceptance_prose"):
            for f, raw, strength in status_from_value(fld, value, self.cues):
                cand.evidence.append(Ev(f, raw, strength, unit.page, unit.seq))
        elif fld in ("responsible", "deadline", "addressee"):
            if _says_something(value):
                cand.evidence.append(Ev(fld, fold(value), LABEL, unit.page, unit.seq))
        elif fld == "comment":
            cand.comment = value.strip()
        elif fld == "rec_text" and not cand.rec_text.strip():  # "Agreed Management Action | ..."
            cand.rec_text = value
        return True

    def _ticked(self, cell: Cell, table: Table) -> tuple[str, str] | None:
        """A tick mark: the field its column's heading names and the column's own label
        ("Acceptance / Accepted" -> acceptance, "Accepted")."""
        lo, hi = cell.col, cell.col + cell.col_span
        over = [
            (a, b, t)
            for a, b, t in self.header_texts.get(table.index, [])
            if t and a < hi and lo < b
        ]
        if not over:
            return None
        leaf = min(over, key=lambda h: h[1] - h[0])[2]
        name = " / ".join(t for _, _, t in over)
        group = classify(name, self.vocab.tick_groups, self.vocab.tick_groups_despaced)
        return (group, leaf) if group else None

    def _cued(self, table: Table) -> bool:
        """The table speaks of recommendations: in its first rows or the heading above it."""
        cached = self._cue_cache.get(table.index)
        if cached is None:
            head = " ".join(c.text for r in table.rows[:3] for c in r.cells)
            cached = bool(self.vocab.recommendation_cue.search(f"{head} {self._last_heading}"))
            self._cue_cache[table.index] = cached
        return cached

    def _cell(self, cell: Cell, unit: Unit) -> None:
        assert self.region is not None and unit.table is not None
        columns = self.headers.get(unit.table.index) or []
        fld = _field_of(cell, columns) if columns else None
        cand = self.region.candidate
        if is_tick(cell.text, self.vocab):
            ticked = self._ticked(cell, unit.table)
            if ticked:
                cand.evidence.append(Ev(ticked[0], ticked[1], LABEL, unit.page, unit.seq))
            return
        if fld in (PREVIOUS, HISTORY):  # an earlier year's status column (dated.py)
            if fld == PREVIOUS and cand.previous_raw is None and fold(cell.text):
                cand.previous_raw = fold(cell.text)
            return
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
        if fld in ("responsible", "deadline", "addressee"):
            if _says_something(cell.text):
                cand.evidence.append(Ev(fld, fold(cell.text), LABEL, unit.page, unit.seq))
            return
        continues = fld == "rec_text" and fold(cell.text) not in fold(cand.rec_text)
        if continues and fold(cell.text):  # the recommendation's text, continued below
            cand.rec_text = f"{cand.rec_text}\n{cell.text}".strip()
        if fld in (None, "comment", "rec_text"):
            own_row = self.region.in_row and cand.table_index == unit.table.index
            answers = self.region.answers if own_row and fld == "comment" else self.region.texts
            answers.append((cell.text, unit.page, unit.seq))
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
        texts = [(t, page, seq, False) for t, page, seq in region.texts]
        texts += [(t, page, seq, True) for t, page, seq in region.answers]
        for text, page, seq, own_row in texts:
            for i, sentence in enumerate(sentences(text)):
                if self._not_about_this(sentence, own_row):
                    continue
                unnamed = not self.cues.self_reference.search(sentence)
                for f, raw in phrase_hits(sentence, self.cues).items():
                    # beside status columns the status is theirs: an unnamed sentence in the
                    # response cell only dates it ("Closed in 2022." by "Implemented")
                    if unnamed and region.status_columns and not _YEAR.search(raw):
                        continue
                    cand.evidence.append(Ev(f, raw, PHRASE, page, seq + i / 1000))

    def _not_about_this(self, sentence: str, own_row: bool = False) -> bool:
        """A sentence that is no statement of this recommendation's status: one stating a
        recommendation, or naming others (by number, or several unnumbered), or, outside the
        recommendation's own response cell (``own_row``), not speaking of a recommendation."""
        c = self.cues
        if c.recommendation_sentence.search(sentence):
            return True
        if not own_row and not c.self_reference.search(sentence):
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
        else:  # the units of several actions, each once ("PMU; PMU and UNDP")
            units = dict.fromkeys(a["responsible"] for a in per_action if a.get("responsible"))
            if units:
                page = region.actions[0].page
                cand.evidence.append(Ev("responsible", "; ".join(units), LABEL, page, 0))

    # evidence about recommendations named by number
    def _mentions(self, unit: Unit, said: list[str]) -> None:
        """Evidence for recommendations the unit's sentences (``said``) name by number."""
        c = self.cues
        scope = self._scope()
        own = self.region.candidate.rec_id if self.region else None
        for sentence in said:
            if c.recommendation_sentence.search(sentence):
                continue
            self._lettered_mentions(sentence, unit)
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

    def _lettered_mentions(self, sentence: str, unit: Unit) -> None:
        """'recommendations (b), (c) and (g) were completed ...': evidence for those letters
        of the lettered list whose section the sentence stands in."""
        if self.lettered_section is None:
            return
        c = self.cues
        matches = list(c.lettered_mention.finditer(sentence))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(sentence)
            hits = phrase_hits(sentence[m.start() : end], c)
            for letter in _LETTER_IDS.findall(m.group("ids")):
                rec_id = f"{self.lettered_section}({letter})"
                for f, raw in hits.items():
                    self.out.mentions.append(
                        Mention(self._scope(), rec_id, Ev(f, raw, PHRASE, unit.page, unit.seq))
                    )

    def _counts_in_prose(self, unit: Unit, said: list[str]) -> None:
        """Count statements in the unit's sentences (``said``)."""
        c = self.cues
        for sentence in said:
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


def walk(
    doc: Document, units: list[Unit], vocab: Vocab, cues: Cues, own_symbol: str | None = None
) -> Walk:
    """The walk over ``units``; ``own_symbol`` is the document's symbol (extract.identify),
    whose lines are furniture."""
    return _Walker(doc, units, vocab, cues, own_symbol).run()
