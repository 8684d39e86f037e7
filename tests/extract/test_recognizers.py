"""Recognition on documents built from the model, for the table shapes of the corpus (key/value
tables, check-box matrices, header-driven rows in any column order, a management response
column): one mechanism reads them all (extract/recognizers/__init__.py); the context comes
from headings; tables that are not status tables give nothing."""

from __future__ import annotations

import itertools

import pytest

from core.model import Block, Cell, Document, Origin, Row, Table
from extract.recognizers import recognize
from extract.recognizers.vocab import load
from extract.tables import column_names


def _table(rows: list[list[str | tuple[str, int]]], header_rows: int = 1) -> Table:
    """Rows of texts; a (text, span) tuple is a horizontally merged cell."""
    out: list[Row] = []
    n_cols = 0
    for r, texts in enumerate(rows):
        cells, col = [], 0
        for item in texts:
            text, span = item if isinstance(item, tuple) else (item, 1)
            cells.append(Cell(text=text, row=r, col=col, col_span=span, is_header=r < header_rows))
            col += span
        n_cols = max(n_cols, col)
        out.append(Row(cells=cells, is_header=r < header_rows))
    table = Table(rows=out, n_cols=n_cols, header_rows=header_rows)
    table.columns = column_names(out, header_rows, n_cols)
    return table


def _doc(*items: Block | Table) -> Document:
    for i, t in enumerate(x for x in items if isinstance(x, Table)):
        t.index = i
    return Document(origin=Origin("t.pdf", "0" * 64, "pdf"), items=list(items))


def test_key_value_tables_take_review_and_addressee_from_headings() -> None:
    doc = _doc(
        Block(
            "RECOMMENDATIONS ADDRESSED TO THE EXECUTIVE HEAD – STATUS AS AT 31 MARCH 2024",
            bold=True,
        ),
        Block("JIU/REP/2023/4 “Review of something important” LINK"),
        _table(
            [
                ["Recommendation 3", "The executive heads should do X.", ""],
                ["Management/Focal Point Assessment", "Done in part.", ""],
                ["Acceptance", "Accepted", "Previously “under consideration”"],
                ["Implementation", "In progress", ""],
                ["Responsible Officer", "CIO", ""],
            ],
            header_rows=0,
        ),
    )
    (rec,) = recognize(doc)
    assert rec.recognizer == "evidence"
    assert (rec.review_symbol, rec.review_title, rec.rec_number) == (
        "JIU/REP/2023/4",
        "Review of something important",
        3,
    )
    assert rec.acceptance_raw == "Accepted"
    assert rec.implementation_raw == "In progress"
    assert rec.previous_raw == "under consideration"
    assert rec.responsible == "CIO"
    assert rec.comment == "Done in part."
    assert rec.addressee_raw is not None and "executive head" in rec.addressee_raw.lower()


@pytest.mark.parametrize("mark", ["X", "x", "✓", "✔", "☒", "☑", "√", "■"])
def test_check_box_matrix_any_mark(mark: str) -> None:
    header = [
        ("Recommendation", 1),
        ("Acceptance", 3),
        ("Implementation status", 3),
    ]
    sub = [
        "",
        "Accepted",
        "Not accepted",
        "Under consideration",
        "Not started",
        "In progress",
        "Implemented",
    ]
    table = _table(
        [
            header,
            sub,
            ["Recommendation 1: The executive heads should A.", mark, "", "", "", mark, ""],
            ["Recommendation 2: The legislative bodies should B.", "", "", "", "", "", ""],
            ["Recommendation 4: The executive heads should C.", "", mark, "", "", "", ""],
        ],
        header_rows=2,
    )
    recs = recognize(_doc(Block("JIU/REP/2022/1 A review"), table))
    assert [r.rec_number for r in recs] == [1, 2, 4]
    assert [(r.acceptance_raw, r.implementation_raw) for r in recs] == [
        ("Accepted", "In progress"),
        (None, None),
        ("Not accepted", None),
    ]
    assert all(r.review_symbol == "JIU/REP/2022/1" for r in recs)


COLUMNS = {
    "JIU report": ["JIU/REP/2021/1", "JIU/REP/2021/1", "JIU/REP/2019/7"],
    "Rec. no.": ["1", "2", "5"],
    "Recommendation": ["Executive heads should a.", "Legislative bodies should b.", "c."],
    "Status of acceptance": ["Agreed", "Partially agreed", "Not agreed"],
    "Status of implementation": ["Ongoing", "Implemented (2021)", ""],
    "Target date": ["2024", "", ""],
    "Focal point": ["HRMD", "OICT", ""],
}


@pytest.mark.parametrize(
    "order", list(itertools.islice(itertools.permutations(COLUMNS), 0, 5040, 997))
)
def test_header_driven_table_in_any_column_order(order: tuple[str, ...]) -> None:
    rows: list[list[str | tuple[str, int]]] = [list(order)]
    for i in range(3):
        rows.append([COLUMNS[name][i] for name in order])
    recs = recognize(_doc(_table(rows)))
    got = {(r.review_symbol, r.rec_number): r for r in recs}
    assert set(got) == {("JIU/REP/2021/1", 1), ("JIU/REP/2021/1", 2), ("JIU/REP/2019/7", 5)}
    one = got[("JIU/REP/2021/1", 2)]
    assert one.acceptance_raw == "Partially agreed"
    assert one.implementation_raw == "Implemented (2021)"
    assert one.responsible == "OICT"
    assert got[("JIU/REP/2021/1", 1)].deadline_raw == "2024"


def test_number_column_without_header_and_prose_acceptance() -> None:
    table = _table(
        [
            ["", "Recommendations", "Management response", "Status"],
            [
                "1",
                "Clarify roles",
                "The Entity accepts this recommendation and will act.",
                "Completed in 2020.",
            ],
            ["", "(continued text of recommendation 1)", "", ""],
            ["2", "Train staff", "Accepted", "Ongoing"],
        ]
    )
    recs = recognize(_doc(Block("Independent review of the Entity's policies", bold=True), table))
    assert [r.rec_number for r in recs] == [1, 2]
    # the management response's decision is its earliest status phrase, kept as printed
    assert recs[0].acceptance_raw == "accepts"
    assert "continued text" in recs[0].rec_text
    assert recs[1].acceptance_raw == "Accepted"
    assert recs[0].review_symbol is None
    assert recs[0].review_title == "Independent review of the Entity's policies"


@pytest.mark.parametrize(
    "rows",
    [
        [
            ["Programme", "2022 budget", "2023 budget"],
            ["Programme 1", "1,200", "1,300"],
            ["Programme 2", "800", "900"],
        ],
        [
            ["Name", "Organization", "Title"],
            ["Ms. A", "UNDP", "Director"],
            ["Mr. B", "WFP", "Chief"],
        ],
        [
            ["I", "Introduction", "3"],
            ["II", "Future of the workforce", "3"],
            ["III", "Return to office", "6"],
        ],
        [
            ["REPORT NUMBER", "REPORT TITLE", "FOCAL POINT"],
            ["JIU/REP/2021/3", "Cybersecurity", "Mr. A"],
        ],
    ],
)
def test_tables_that_are_not_status_tables_give_nothing(
    rows: list[list[str | tuple[str, int]]],
) -> None:
    assert recognize(_doc(_table(rows))) == []


def test_vocabulary_patterns_compile_and_marks_are_single_tokens() -> None:
    vocab = load()
    assert vocab.fields and vocab.tick_groups
    assert all(" " not in m for m in vocab.tick_marks)
    assert vocab.review_symbol.search("see JIU/REP/2020/8.").group(1) == "JIU/REP/2020/8"
