"""The one document model that flows through every stage.

Readers (``extract.pdf``, ``extract.docx``) fill a :class:`Document`; recognizers turn its
tables into :class:`RawRecord`; the normalizer turns those into :class:`Assessment`; the
loader persists :class:`ParsedDocument`. Everything here is plain, picklable and
JSON-serialisable (``to_dict``/``from_dict``), so a stage can run in a worker process, be
tested alone, and be dumped to a golden file. No third-party imports: the loader must be
able to use these types without knowing any parsing library.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Format = Literal["pdf", "docx"]


@dataclass(frozen=True)
class BBox:
    """A box in PDF points, origin at the page's top-left corner (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class Prov:
    """Where an item came from. DOCX has no pages: ``page`` and ``bbox`` stay None there
    rather than being invented (Docling's rule)."""

    page: int | None = None  # 1-based
    bbox: BBox | None = None


@dataclass
class Cell:
    """One logical cell: a merged cell appears once, with its spans, never repeated."""

    text: str
    row: int  # index of the row within the table
    col: int  # index of the first grid column it covers
    row_span: int = 1
    col_span: int = 1
    is_header: bool = False
    prov: Prov = field(default_factory=Prov)


@dataclass
class Row:
    cells: list[Cell]
    is_header: bool = False
    prov: Prov = field(default_factory=Prov)

    def cell_at(self, col: int) -> Cell | None:
        """The cell covering grid column ``col`` (merged cells cover several)."""
        for cell in self.cells:
            if cell.col <= col < cell.col + cell.col_span:
                return cell
        return None

    def texts(self, n_cols: int) -> list[str]:
        """Text per grid column; a merged cell's text is given once, at its first column."""
        out = [""] * n_cols
        for cell in self.cells:
            if 0 <= cell.col < n_cols:
                out[cell.col] = cell.text
        return out


@dataclass
class Table:
    """A table in reading order. A table that runs over several pages is one table, with its
    repeated header rows dropped; ``prov`` has one entry per page fragment."""

    rows: list[Row]
    n_cols: int
    index: int = 0  # order among the document's tables
    header_rows: int = 0  # leading rows known to be headers (repeated or marked as such)
    columns: list[str] = field(default_factory=list)  # resolved column names, one per grid col
    prov: list[Prov] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return self.prov[0].page if self.prov else None

    def body(self) -> list[Row]:
        return self.rows[self.header_rows :]


@dataclass
class Block:
    """A paragraph or heading outside tables."""

    text: str
    prov: Prov = field(default_factory=Prov)
    style: str | None = None  # DOCX style name, where known
    bold: bool = False
    size: float | None = None  # font size in points, where known


Item = Block | Table


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float


@dataclass
class Origin:
    filename: str
    sha256: str
    format: Format
    size: int = 0


@dataclass
class Document:
    """A file as pages, and blocks and tables in reading order."""

    origin: Origin
    pages: list[Page] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    # running headers/footers left out of items, each once (style="furniture")
    furniture: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [i for i in self.items if isinstance(i, Table)]

    @property
    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]

    def text(self, max_pages: int | None = None) -> str:
        """Plain text of blocks (and table cells) in reading order, for identification."""
        parts: list[str] = []
        for item in self.items:
            page = item.prov.page if isinstance(item, Block) else item.page
            if max_pages is not None and page is not None and page > max_pages:
                break
            if isinstance(item, Block):
                parts.append(item.text)
            else:
                parts.extend(c.text for r in item.rows for c in r.cells)
        return "\n".join(parts)


@dataclass
class RawRecord:
    """One recommendation as a recognizer read it: labels as printed, nothing mapped yet."""

    recognizer: str
    rec_number: int | None  # leading number of rec_id, for sorting; None when unnumbered
    rec_text: str = ""
    rec_id: str | None = None  # as printed ('4', '3(a)', '1.2', '36'); None: str(rec_number)
    body: str | None = None  # issuing oversight body (scheme value) where the recognizer knows it
    status_prov: Prov | None = None  # where the status itself was read, if not at ``prov``
    review_symbol: str | None = None
    review_title: str | None = None
    addressee_raw: str | None = None  # what the document states (annex title, column), if any
    acceptance_raw: str | None = None  # label as printed; check-box: the ticked column heading
    acceptance_prose: str | None = None  # text to read acceptance from when no label is given
    implementation_raw: str | None = None
    previous_raw: str | None = None  # e.g. 'in progress' from Previously “in progress”
    responsible: str | None = None
    deadline_raw: str | None = None
    comment: str | None = None
    table_index: int = 0
    prov: Prov = field(default_factory=Prov)


@dataclass
class Assessment:
    """One recommendation in the common scheme (docs/status-scheme.md); raw labels kept beside."""

    review_symbol: str
    rec_number: int | None  # leading number of rec_id, for sorting; None when unnumbered
    review_title: str | None = None
    rec_text: str = ""  # as people read it: line breaks and hyphenation joined
    rec_id: str = ""  # as printed within its review: '4', '3(a)', '1.2', '36', '#1' if unnumbered
    rec_text_raw: str | None = None  # as printed, hard line breaks kept
    body: str = "other"  # issuing oversight body (docs/status-scheme.md)
    status_page: int | None = None  # page where the status was read (may differ from page)
    addressee: str = "unknown"
    acceptance: str = "unknown"
    acceptance_raw: str | None = None
    implementation: str = "unknown"
    implementation_raw: str | None = None
    previous_implementation: str | None = None
    completed_year: int | None = None
    deadline: str | None = None
    responsible: str | None = None
    comment: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    recognizer: str = ""


@dataclass
class Unmapped:
    """A raw label no rule maps: reported, never guessed."""

    field: str  # 'acceptance' | 'implementation' | 'previous_implementation' | 'addressee'
    label: str
    page: int | None = None


@dataclass
class DocumentInfo:
    source_file: str
    sha256: str
    format: Format
    pages: int | None = None
    agency: str | None = None
    agency_name: str | None = None
    document_symbol: str | None = None
    as_of: str | None = None  # ISO date
    size: int = 0


@dataclass
class ParsedDocument:
    """What a worker hands the (single) database writer for one file."""

    info: DocumentInfo
    assessments: list[Assessment] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    raw_records: list[RawRecord] = field(default_factory=list)  # kept for renormalize
    warnings: list[str] = field(default_factory=list)  # doubts met reading it, one line each
    note: str | None = None  # why a loaded document has no records


def to_dict(obj: Any) -> Any:
    """Dataclass tree to plain JSON-able values."""
    return dataclasses.asdict(obj)


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = {f.name: f.type for f in dataclasses.fields(tp)}
        kwargs = {k: _build(_resolve(hints[k]), v) for k, v in value.items() if k in hints}
        return tp(**kwargs)
    if isinstance(tp, tuple):  # union of dataclasses, e.g. Item
        kind = Table if "rows" in value else Block
        return _build(kind, value)
    if isinstance(tp, list) and tp:
        return [_build(tp[0], v) for v in value]
    return value


_TYPES: dict[str, Any] = {
    "BBox": BBox,
    "Prov": Prov,
    "Cell": Cell,
    "Row": Row,
    "Table": Table,
    "Block": Block,
    "Page": Page,
    "Origin": Origin,
    "Assessment": Assessment,
    "Unmapped": Unmapped,
    "DocumentInfo": DocumentInfo,
    "RawRecord": RawRecord,
}


def _resolve(annotation: Any) -> Any:
    """Map a string annotation ('list[Cell]', 'BBox | None', 'list[Item]') to a builder spec."""
    text = str(annotation).replace(" ", "")
    text = text.removesuffix("|None")
    if text.startswith("list[") and text.endswith("]"):
        inner = text[5:-1]
        return [(Table, Block) if inner == "Item" else _TYPES.get(inner)]
    return _TYPES.get(text)


def from_dict(tp: type, value: dict[str, Any]) -> Any:
    """Inverse of :func:`to_dict` for the model's dataclasses."""
    return _build(tp, value)
