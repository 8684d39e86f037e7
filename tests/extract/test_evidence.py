"""Recognition from evidence, on small documents built in the test: shapes nobody described to
rectrack (Board of Auditors follow-up blocks, a JIU annex with the status atop a remarks cell,
a management response with a key-action table, statuses stated in prose elsewhere), the
resolver's rules (one record per recommendation, a warning when statements disagree), and the
precision rule (a recommendation printed without a status gives nothing)."""

from __future__ import annotations

import pytest

from core.model import Block, Cell, Document, Origin, Prov, Row, Table
from extract.recognizers import NO_STATUS_NOTE, recognize_document
from extract.recognizers.cues import load as load_cues
from extract.recognizers.evidence import cell_label, phrase_hits
from normalize import normalize


def _table(rows: list[list[str | tuple[str, int]]], page: int = 1) -> Table:
    out: list[Row] = []
    n_cols = 0
    for r, texts in enumerate(rows):
        cells, col = [], 0
        for item in texts:
            text, span = item if isinstance(item, tuple) else (item, 1)
            cells.append(Cell(text=text, row=r, col=col, col_span=span, prov=Prov(page)))
            col += span
        n_cols = max(n_cols, col)
        out.append(Row(cells=cells, prov=Prov(page)))
    return Table(rows=out, n_cols=n_cols, prov=[Prov(page)])


def _doc(*items: Block | Table) -> Document:
    for i, t in enumerate(x for x in items if isinstance(x, Table)):
        t.index = i
    return Document(origin=Origin("t.pdf", "0" * 64, "pdf"), items=list(items))


def _b(text: str, page: int = 1, bold: bool = False) -> Block:
    return Block(text, prov=Prov(page), bold=bold)


def test_board_of_auditors_follow_up_blocks() -> None:
    doc = _doc(
        _b("1. The present report responds to the Board of Auditors' report (A/79/5/Add.11)."),
        _b("2. In paragraph 36, the Board recommended that UNOPS strengthen its oversight.", 2),
        _b(
            "Business unit responsible: Finance Group\nStatus: Under implementation\n"
            "Priority: High\nTarget date: Fourth quarter of 2025",
            2,
        ),
        _b(
            "3. In paragraph 41 of its report (A/79/5/Add.11), the Board recommended that UNOPS "
            "review its reserves.",
            3,
        ),
        _b("Department responsible: Treasury", 3),
        _b("Status: Closure requested", 3),
    )
    got = recognize_document(doc)
    assert [(r.rec_id, r.review_symbol) for r in got.records] == [
        ("36", "A/79/5/Add.11"),
        ("41", "A/79/5/Add.11"),
    ]
    first, second = got.records
    assert first.implementation_raw == "Under implementation"
    assert first.responsible == "Finance Group"
    assert first.deadline_raw == "Fourth quarter of 2025"
    assert (second.implementation_raw, second.responsible) == ("Closure requested", "Treasury")
    assessments, unmapped = normalize(got.records, "UNOPS")
    assert [a.implementation for a in assessments] == ["in_progress", "implemented"]
    assert unmapped == []


def test_jiu_annex_status_atop_the_remarks_cell() -> None:
    doc = _doc(
        _b("JIU/REP/2023/2: Review of something", bold=True),
        _table(
            [
                [
                    "Recommendation 4\nThe executive heads should do X.",
                    "Accepted and implemented\nThe organization has done X in 2024.",
                ],
                [
                    "Recommendation 5\nThe legislative bodies should do Y.",
                    "Under consideration\nThe Board will decide.",
                ],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [(r.rec_id, r.acceptance_raw, r.implementation_raw) for r in records] == [
        ("4", "Accepted", "implemented"),
        ("5", "Under consideration", None),
    ]
    assessments, _ = normalize(records, "UNDP")
    assert [(a.acceptance, a.implementation, a.addressee) for a in assessments] == [
        ("accepted", "implemented", "executive_head"),
        ("under_consideration", "not_applicable", "legislative_body"),
    ]


def test_management_response_with_key_action_table() -> None:
    doc = _doc(
        _b("Management response to the evaluation of something important", bold=True),
        _table(
            [
                [("Recommendation 1. Strengthen the thing.", 4)],
                [("Management response: The Entity partially agrees with this recommendation.", 4)],
                ["Key action(s)", "Time frame", "Responsible unit(s)", "Status"],
                ["Do it", "June 2025", "Policy Bureau", "Ongoing"],
                [("Recommendation 2. Improve the other thing.", 4)],
                [("Management response: Disagree.", 4)],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [r.rec_id for r in records] == ["1", "2"]
    one = records[0]
    assert (one.implementation_raw, one.responsible) == ("Ongoing", "Policy Bureau")
    assert one.review_title == "Evaluation of something important"
    assessments, _ = normalize(records, "UNDP")
    assert [(a.acceptance, a.implementation) for a in assessments] == [
        ("partially_accepted", "in_progress"),
        ("not_accepted", "not_applicable"),
    ]


def test_statuses_stated_in_prose_elsewhere() -> None:
    doc = _doc(
        _b("1. The note (JIU/NOTE/2022/1) proposed three recommendations:"),
        _b("(a) Recommendation 1: The executive heads should A."),
        _b("(b) Recommendation 2: The executive heads should B."),
        _b("(c) Recommendation 3: The executive heads should C."),
        _b(
            "2. Two recommendations were accepted and implemented. Recommendation 1 was "
            "implemented by training managers. Recommendation 3 was implemented in 2022. "
            "Recommendation 2 was accepted and its implementation is in progress."
        ),
    )
    records = recognize_document(doc).records
    assessments, _ = normalize(records, "UNICEF")
    assert [(a.rec_id, a.acceptance, a.implementation) for a in assessments] == [
        ("1", "accepted", "implemented"),
        ("2", "accepted", "in_progress"),
        ("3", "accepted", "implemented"),
    ]


def test_one_recommendation_seen_twice_is_one_record_and_a_warning() -> None:
    doc = _doc(
        _b("A. A review (JIU/REP/2024/1)", bold=True),
        _b(
            "5. Recommendation 2. The executive heads should X. UNDP does not accept this "
            "recommendation."
        ),
        _b("Annex", bold=True),
        _b("JIU/REP/2024/1", bold=True),
        _table(
            [
                [
                    "Recommendation 2\nThe executive heads should X.",
                    "UNDP considers this recommendation under consideration.",
                ]
            ],
            page=5,
        ),
    )
    got = recognize_document(doc)
    assert [r.rec_id for r in got.records] == ["2"]
    assert got.records[0].acceptance_raw == "does not accept"
    assert len(got.warnings) == 1 and "recommendation 2 of JIU/REP/2024/1" in got.warnings[0]


@pytest.mark.parametrize(
    "items",
    [
        # a table of contents
        [
            _b("Contents", bold=True),
            _b("Recommendation 1 .......... 4"),
            _b("Recommendation 2: implemented measures ..... 6"),
        ],
        # recommendations printed without any status, then narrative
        [
            _b("Recommendation 1: UNICEF should strengthen the plan."),
            _b("The programme is in progress in 12 countries and was implemented in 2023."),
        ],
        # a count table per review
        [
            _table(
                [
                    ["Report", "Total recommendations", "Accepted", "Implemented", "In progress"],
                    ["JIU/REP/2023/1", "6", "4", "3", "1"],
                    ["JIU/REP/2023/2", "5", "5", "5", "-"],
                ]
            )
        ],
        # an indicator table and a list of evaluations
        [
            _table(
                [
                    ["#", "Indicator", "2023", "2024", "Overall assessment"],
                    ["1", "Evaluation coverage", "80%", "90%", "Achieved"],
                    ["2", "Quality of evaluations", "70%", "72%", "On track"],
                ]
            ),
            _table(
                [
                    ["#", "Title", "Status", "Management response issued"],
                    ["1", "Evaluation of X", "Completed", "Yes"],
                    ["2", "Evaluation of Y", "On track", "Not yet"],
                ]
            ),
        ],
    ],
    ids=["contents", "no-status", "count-table", "indicators-and-evaluations"],
)
def test_no_status_no_record(items: list[Block | Table]) -> None:
    got = recognize_document(_doc(*items))
    assert got.records == []
    assert got.note == NO_STATUS_NOTE


def test_count_statement_fills_only_when_it_covers_every_recommendation() -> None:
    recs = [_b(f"{i}. Recommendation {i}. The Executive Boards should do {i}.") for i in (1, 2, 3)]
    doc = _doc(
        _b("B. A review of governance (JIU/REP/2023/7)", bold=True),
        _b("10. The 3 formal recommendations are under consideration by the Executive Board."),
        *recs,
        _b("C. Another review (JIU/REP/2023/8)", bold=True),
        _b("20. The 5 formal recommendations are under consideration."),
        _b("21. Recommendation 1. The executive heads should do it."),
    )
    records = recognize_document(doc).records
    assert [(r.review_symbol, r.rec_id, r.acceptance_raw) for r in records] == [
        ("JIU/REP/2023/7", "1", "under consideration"),
        ("JIU/REP/2023/7", "2", "under consideration"),
        ("JIU/REP/2023/7", "3", "under consideration"),
    ]


def test_status_phrases_and_labels() -> None:
    cues = load_cues()
    assert phrase_hits("This recommendation is fully accepted and in progress.", cues) == {
        "acceptance": "fully accepted",
        "implementation": "in progress",
    }
    assert phrase_hits("Bearing this in mind, UNDP does not accept this recommendation.", cues) == {
        "acceptance": "does not accept"
    }
    assert cell_label("Accepted and implemented", cues) == {
        "acceptance": "Accepted",
        "implementation": "implemented",
    }
    assert cell_label("Not\ninitiated", cues) == {"implementation": "Not initiated"}
    assert cell_label("Evaluation of X", cues) == {}
