"""What a generated document must yield, independent of how it is laid out.

A :class:`DocSpec` holds the expected records; a layout (``layouts.py``) decides how they are
printed and a :class:`~tests.generate.variant.Variant` how that layout is rendered. Expected
values are given twice: as printed (``*_label``) and in scheme terms (docs/status-scheme.md), so a
test can compare ``v_assessments``-like output field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExpectedRecord:
    """One recommendation as the pipeline should report it."""

    rec_number: int
    rec_text: str  # full text as expected in ``rec_text`` (a bold title, if any, comes first)
    review_symbol: str | None = None  # None: a non-JIU review, the parser picks a slug
    review_title: str | None = None
    rec_title: str | None = None  # bold heading printed before the text (response matrix)
    # scheme values
    addressee: str = "unknown"
    acceptance: str = "unknown"
    implementation: str = "unknown"
    previous_implementation: str | None = None
    completed_year: int | None = None
    deadline: str | None = None  # ISO date the text sets itself ("By the end of 2023")
    # as printed
    addressee_label: str | None = None  # None: not stated, inferred from the wording
    acceptance_label: str | None = None  # check-box layouts: the ticked column's heading
    implementation_label: str | None = None
    previous_label: str | None = None  # e.g. 'in progress' from Previously “in progress”
    responsible: str | None = None
    comment: str | None = None
    target: str | None = None  # agency's own target/expected-completion date, as printed
    priority: str | None = None

    @property
    def key(self) -> tuple[str | None, int]:
        """How the end-to-end test pairs expected with extracted records."""
        return (self.review_symbol, self.rec_number)


@dataclass(frozen=True)
class DocSpec:
    """One document: who reports, under which layout, and the records it must yield."""

    name: str  # file stem, unique among sample specs
    agency: str
    agency_name: str
    document_symbol: str | None
    as_of: str | None  # ISO date the statuses are stated "as at", printed when set
    layout: str
    records: tuple[ExpectedRecord, ...] = ()
    title: str = "Progress report on the implementation of the recommendations of the JIU"
    body: str | None = None  # the governing body the document goes to
    session: str | None = None
    date: str = "2022-05-02"  # date printed in the title block
    extra: dict[str, str] = field(default_factory=dict)  # layout-specific wording

    @property
    def reviews(self) -> list[tuple[str | None, str | None]]:
        """(symbol, title) of each review, in the order records give them."""
        seen: dict[tuple[str | None, str | None], None] = {}
        for rec in self.records:
            seen.setdefault((rec.review_symbol, rec.review_title), None)
        return list(seen)
