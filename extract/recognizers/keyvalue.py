"""Key/value tables: one small table per recommendation, keys in the first column
("Recommendation 6 | text", "Acceptance | Accepted | Previously “in progress”", ...),
as in WIPO's progress reports."""

from __future__ import annotations

import re

from core.model import RawRecord, Row, Table

from .context import Context
from .vocab import Vocab, classify, fold

NAME = "keyvalue"


def _key(row: Row) -> str:
    first = row.cell_at(0)
    return fold(first.text) if first is not None and first.col_span == 1 else ""


def _value_and_note(row: Row) -> tuple[str, str]:
    """The value is the first cell after the key; anything further right is a note."""
    rest = sorted((c for c in row.cells if c.col >= 1), key=lambda c: c.col)
    if not rest:
        return "", ""
    value = rest[0].text.strip()
    note = "\n".join(c.text.strip() for c in rest[1:] if c.text.strip())
    return value, note


def matches(table: Table, vocab: Vocab) -> bool:
    keys = [_key(r) for r in table.rows]
    has_rec = any(vocab.recommendation_key.match(k) for k in keys)
    statuses = {classify(k, vocab.fields, vocab.fields_despaced) for k in keys if k}
    return has_rec and bool(statuses & {"acceptance", "implementation"})


def _split_previous(text: str, vocab: Vocab) -> tuple[str, str | None]:
    match = vocab.previous_status.search(text)
    if not match:
        return text, None
    return (text[: match.start()] + text[match.end() :]).strip(), fold(
        match.group(1) or match.group(2)
    )


def parse(table: Table, ctx: Context, vocab: Vocab) -> list[RawRecord]:
    records: list[RawRecord] = []
    current: RawRecord | None = None
    last_field: str | None = None
    for row in table.rows:
        key = _key(row)
        value, note = _value_and_note(row)
        rec = vocab.recommendation_key.match(key) if key else None
        if rec:
            current = RawRecord(
                recognizer=NAME,
                rec_number=int(rec.group(1)),
                rec_text=value,
                review_symbol=ctx.review_symbol,
                review_title=ctx.review_title,
                addressee_raw=ctx.addressee,
                table_index=table.index,
                prov=row.prov,
            )
            records.append(current)
            last_field = "rec_text"
            continue
        if current is None:
            continue
        field = classify(key, vocab.fields, vocab.fields_despaced) if key else last_field
        if field is None:
            continue
        last_field = field
        if field in ("acceptance", "implementation"):
            value, prev_in_value = _split_previous(value, vocab)
            _, prev_in_note = _split_previous(note, vocab)
            previous = prev_in_value or prev_in_note
            if previous and current.previous_raw is None:
                current.previous_raw = previous
        _assign(current, field, value, continued=not key)
    return records


_FIELD_ATTR = {
    "rec_text": "rec_text",
    "acceptance": "acceptance_raw",
    "acceptance_prose": "acceptance_prose",
    "implementation": "implementation_raw",
    "responsible": "responsible",
    "deadline": "deadline_raw",
    "comment": "comment",
    "addressee": "addressee_raw",
}


def _assign(record: RawRecord, field: str, value: str, *, continued: bool) -> None:
    if field == "review":
        return
    attr = _FIELD_ATTR.get(field)
    if attr is None or not value:
        return
    old = getattr(record, attr)
    if continued and old:
        setattr(record, attr, f"{old}\n{value}")
    elif field in ("acceptance", "implementation"):
        setattr(record, attr, re.sub(r"\s+", " ", value).strip())
    else:
        setattr(record, attr, value)
