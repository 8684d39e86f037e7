"""Header-driven tables: one row per recommendation, columns found by header synonyms in any
order, check-box columns found by their contents (ITU's matrices, UN-Women's management
response, and the ordinary tables of agencies never seen before)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.model import RawRecord, Row, Table
from extract.tables import COLUMN_JOINER as JOINER
from extract.tables import column_names

from .context import Context
from .vocab import Vocab, classify, fold, is_tick, review_symbol

NAME = "columns"
_MAX_HEADER_ROWS = 3
_SHORT_LABEL_WORDS = 6
_DIGITS = re.compile(r"\b(\d{1,3})\b")


@dataclass
class Layout:
    header_rows: int
    names: list[str]
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> columns
    ticks: dict[str, list[int]] = field(default_factory=dict)  # group -> tick columns


def _own_cell_text(row: Row, col: int) -> str | None:
    """Text of the cell that starts at ``col`` and spans only it; None if merged across."""
    cell = row.cell_at(col)
    if cell is None:
        return ""
    if cell.col != col or cell.col_span != 1:
        return None
    return cell.text


def _looks_like_data(row: Row, vocab: Vocab) -> bool:
    texts = [fold(c.text) for c in row.cells]
    if any(t in vocab.tick_marks for t in texts):
        return True
    first = next((t for t in texts if t), "")
    return bool(vocab.bare_number.match(first) or vocab.number_in_text.match(first))


def _header_rows(table: Table, vocab: Vocab) -> int:
    if table.header_rows:
        # The reader may count a bold full-width section row ("JIU/REP/2021/9: Title")
        # under the header as header too: the header ends before it.
        for i, row in enumerate(table.rows[1 : table.header_rows], start=1):
            if _full_width(row, table.n_cols) is not None or _looks_like_data(row, vocab):
                return i
        return table.header_rows
    n = 0
    for row in table.rows[:_MAX_HEADER_ROWS]:
        if _looks_like_data(row, vocab):
            break
        n += 1
    return max(n, 1) if n < len(table.rows) else 1


def _tick_columns(body: list[Row], n_cols: int, vocab: Vocab) -> list[int]:
    """Columns holding only tick marks or nothing. Where some column has ticks, its empty
    siblings are check-box columns too (nobody ticked "Not accepted" in this table)."""
    ticked: list[int] = []
    empty: list[int] = []
    for c in range(n_cols):
        texts = [_own_cell_text(r, c) for r in body]
        own = [fold(t) for t in texts if t is not None]
        if not own or not all(not t or t in vocab.tick_marks for t in own):
            continue
        (ticked if any(own) else empty).append(c)
    return sorted(ticked + empty) if ticked else []


def _number_column(body: list[Row], n_cols: int, exclude: set[int], vocab: Vocab) -> int | None:
    for c in range(n_cols):
        if c in exclude:
            continue
        texts = [fold(t) for t in (_own_cell_text(r, c) for r in body) if t]
        numbers = [t for t in texts if vocab.bare_number.match(t)]
        if numbers and len(numbers) >= 0.6 * len(texts) and _ascending(numbers, vocab):
            return c
    return None


def _ascending(numbers: list[str], vocab: Vocab) -> bool:
    """Recommendation numbers run upwards (counts and amounts repeat and jump about)."""
    values = [int(m.group(1)) for t in numbers if (m := vocab.bare_number.match(t))]
    return len(set(values)) == len(values) and values == sorted(values)


def layout(table: Table, vocab: Vocab) -> Layout | None:
    """Which column holds what, or None when this is not a recommendation-status table."""
    n_cols = table.n_cols
    header_rows = _header_rows(table, vocab)
    names = (
        table.columns
        if header_rows == table.header_rows and len(table.columns) == n_cols
        else column_names(table.rows, header_rows, n_cols)
    )
    body = table.rows[header_rows:]
    if not body:
        return None
    out = Layout(header_rows=header_rows, names=names)
    tick_cols = _tick_columns(body, n_cols, vocab)
    for c in tick_cols:
        group = classify(names[c], vocab.tick_groups, vocab.tick_groups_despaced)
        if group:
            out.ticks.setdefault(group, []).append(c)
    for c in range(n_cols):
        if c in tick_cols:
            continue
        name = classify(names[c], vocab.fields, vocab.fields_despaced)
        if name:
            out.fields.setdefault(name, []).append(c)
    if "rec_number" not in out.fields:
        number_col = _number_column(body, n_cols, set(tick_cols), vocab)
        if number_col is not None:
            out.fields["rec_number"] = [number_col]
    has_id = "rec_number" in out.fields or any(
        vocab.number_in_text.match(fold(_text(r, c)))
        for r in body
        for c in out.fields.get("rec_text", [])
    )
    statuses = {"acceptance", "implementation", "acceptance_prose"}
    has_status = bool(statuses & out.fields.keys()) or bool(
        {"acceptance", "implementation"} & out.ticks.keys()
    )
    cue = any(vocab.recommendation_cue.search(fold(n)) for n in names) or any(
        vocab.recommendation_cue.search(fold(_text(r, c)))
        for r in body
        for c in out.fields.get("rec_text", [])
    )
    return out if has_id and has_status and cue else None


def _text(row: Row, col: int) -> str:
    cell = row.cell_at(col)
    return cell.text.strip() if cell is not None else ""


def _first(row: Row, cols: list[int]) -> str:
    for c in cols:
        text = _text(row, c)
        if text:
            return text
    return ""


def _leaf(name: str) -> str:
    return fold(name.split(JOINER)[-1])


def _ticked(row: Row, cols: list[int], names: list[str], vocab: Vocab) -> str | None:
    labels = [_leaf(names[c]) for c in cols if is_tick(_own_cell_text(row, c) or "", vocab)]
    if labels:
        return "; ".join(labels)
    # A cell spanning the tick columns with words in it ("For information only ...").
    for c in cols:
        cell = row.cell_at(c)
        if cell is not None and cell.col_span > 1 and fold(cell.text) and cell.col == c:
            return fold(cell.text)
    return None


def _full_width(row: Row, n_cols: int, vocab: Vocab | None = None) -> str | None:
    """A section row: one text across (nearly) the whole table, or across several columns
    when it names a review ("organizations (JIU/REP/2023/8)")."""
    nonempty = [c for c in row.cells if fold(c.text)]
    if len(nonempty) != 1:
        return None
    cell = nonempty[0]
    if cell.col_span >= max(2, n_cols - 1):
        return cell.text
    if vocab is not None and cell.col_span >= 2 and review_symbol(cell.text, vocab):
        return cell.text
    return None


def parse(table: Table, ctx: Context, vocab: Vocab) -> list[RawRecord]:
    lay = layout(table, vocab)
    if lay is None:
        return []
    f = lay.fields
    records: list[RawRecord] = []
    review, title = ctx.review_symbol, ctx.review_title
    addressee = ctx.addressee
    for row in table.rows[lay.header_rows :]:
        section = _full_width(row, table.n_cols, vocab)
        if section is not None:
            symbol = review_symbol(section, vocab)
            if symbol:
                review, title = symbol, fold(section.split(symbol, 1)[-1]).strip(' -–—:"“”') or None
            heading = vocab.addressee_heading.search(fold(section))
            if heading:
                addressee = fold(heading.group(0))
            continue
        rec_text = _first(row, f.get("rec_text", []))
        number = None
        if "rec_number" in f:
            num_text = fold(_first(row, f["rec_number"]))
            m = vocab.bare_number.match(num_text) or vocab.number_in_text.match(num_text)
            m = m or _DIGITS.search(num_text)
            number = int(m.group(1)) if m else None
        in_text = vocab.number_in_text.match(rec_text)
        if in_text:
            number = number if number is not None else int(in_text.group(1))
            rec_text = rec_text[in_text.end() :]
        if number is None:
            _continue(records, row, f)
            continue
        if "review" in f:
            cell = _first(row, f["review"])
            symbol = review_symbol(cell, vocab)
            if symbol:
                review = symbol
                rest = fold(cell.split(symbol, 1)[-1]).strip(' -–—:"“”')
                title = rest or (title if symbol == ctx.review_symbol else None)
        record = RawRecord(
            recognizer=NAME,
            rec_number=number,
            rec_text=rec_text.strip(),
            review_symbol=review,
            review_title=title or (ctx.document_title if review is None else None),
            addressee_raw=addressee,
            table_index=table.index,
            prov=row.prov,
        )
        _fill(record, row, lay, vocab)
        records.append(record)
    return records


def _fill(record: RawRecord, row: Row, lay: Layout, vocab: Vocab) -> None:
    f = lay.fields
    if "acceptance" in lay.ticks:
        record.acceptance_raw = _ticked(row, lay.ticks["acceptance"], lay.names, vocab)
    if "implementation" in lay.ticks:
        record.implementation_raw = _ticked(row, lay.ticks["implementation"], lay.names, vocab)
    if "addressee" in lay.ticks:
        record.addressee_raw = _ticked(row, lay.ticks["addressee"], lay.names, vocab) or (
            record.addressee_raw
        )
    if "acceptance" in f and record.acceptance_raw is None:
        record.acceptance_raw = fold(_first(row, f["acceptance"])) or None
    prose = _first(row, f.get("acceptance_prose", []))
    if prose and record.acceptance_raw is None:
        if len(prose.split()) <= _SHORT_LABEL_WORDS:
            record.acceptance_raw = fold(prose)
        else:
            record.acceptance_prose = prose
    if "implementation" in f and record.implementation_raw is None:
        text = _first(row, f["implementation"])
        previous = vocab.previous_status.search(text)
        if previous:
            record.previous_raw = fold(previous.group(1) or previous.group(2))
            text = text[: previous.start()] + text[previous.end() :]
        record.implementation_raw = fold(text) or None
    if "addressee" in f:
        record.addressee_raw = fold(_first(row, f["addressee"])) or record.addressee_raw
    record.responsible = _first(row, f.get("responsible", [])) or None
    record.deadline_raw = fold(_first(row, f.get("deadline", []))) or None
    comments = [_text(row, c) for c in f.get("comment", [])]
    if prose:
        comments.insert(0, prose)
    record.comment = "\n\n".join(c for c in comments if c) or None


def _continue(records: list[RawRecord], row: Row, f: dict[str, list[int]]) -> None:
    """A row with no number continues the previous recommendation's text."""
    if not records:
        return
    last = records[-1]
    extra = _first(row, f.get("rec_text", []))
    if extra:
        last.rec_text = f"{last.rec_text}\n{extra}".strip()
