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
        # numbered recommendations whose status column is narrative without a status word
        [
            _b("Open recommendations older than 18 months", bold=True),
            _table(
                [
                    ["No.", "Recommendation", "Current status"],
                    [
                        "1",
                        "Strengthen the oversight of partners.",
                        "The office has begun a review of its partner agreements and expects to "
                        "report to the committee next year.",
                    ],
                ]
            ),
        ],
    ],
    ids=["contents", "no-status", "count-table", "indicators-and-evaluations", "narrative"],
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


def test_rows_under_a_review_symbol_column_whatever_the_headers() -> None:
    doc = _doc(
        _table(
            [
                ["Ref.", "No.", "What was asked", "Where we are", "Note"],
                ["JIU/REP/2021/5", "3", "The executive heads should do X.", "Implemented", ""],
                ["JIU/REP/2022/2", "1", "The legislative bodies should do Y.", "Ongoing", "n/a"],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [(r.review_symbol, r.rec_id, r.implementation_raw) for r in records] == [
        ("JIU/REP/2021/5", "3", "Implemented"),
        ("JIU/REP/2022/2", "1", "Ongoing"),
    ]


def test_numbered_rows_count_only_in_a_table_about_recommendations() -> None:
    rows = [
        ["#", "Text", "Where we are"],
        ["1", "Strengthen the oversight of partners.", "Under implementation"],
        ["2", "Review the reserve policy in 2025.", "Completed"],
    ]
    about = _doc(_b("Table 3. Status of the audit recommendations", bold=True), _table(rows))
    other = _doc(_b("Table 3. Status of planned evaluations", bold=True), _table(rows))
    assert [r.rec_id for r in recognize_document(about).records] == ["1", "2"]
    assert recognize_document(other).records == []


@pytest.mark.parametrize(
    ("sentence", "field", "value"),
    [
        (
            "UNDP is compliant with this recommendation and considers it implemented.",
            "implementation",
            "implemented",
        ),
        ("UNDP considers the recommendation to be implemented.", "implementation", "implemented"),
        (
            "UNDP will consider this recommendation in its next policy.",
            "acceptance",
            "under_consideration",
        ),
        (
            "UNDP notes that this recommendation is under consideration.",
            "acceptance",
            "under_consideration",
        ),
        (
            "Bearing this in mind, UNDP does not accept this recommendation.",
            "acceptance",
            "not_accepted",
        ),
        ("UNDP does not consider the recommendation relevant.", "acceptance", "not_relevant"),
        ("This recommendation is fully accepted and in progress.", "acceptance", "accepted"),
        (
            "This recommendation is fully accepted and actively implemented.",
            "implementation",
            "in_progress",
        ),
        (
            "UNFPA fully accepts this recommendation and has made significant progress.",
            "implementation",
            "in_progress",
        ),
        (
            "This recommendation is accepted, and implementation is underway.",
            "implementation",
            "in_progress",
        ),
        ("UNDP partially agrees with this recommendation.", "acceptance", "partially_accepted"),
        ("UNDP welcomes and agrees with the recommendation.", "acceptance", "accepted"),
        ("UNDP disagrees with this recommendation.", "acceptance", "not_accepted"),
        ("OIOS considers this recommendation implemented.", "implementation", "implemented"),
        (
            "Recommendation 6 was accepted and its implementation is in progress.",
            "implementation",
            "in_progress",
        ),
        # shapes met in tests/generate/unseen.yaml (Board of Auditors, OIOS, UNHCR)
        (
            "UNDP agreed with the Board's recommendation that it review the obligations.",
            "acceptance",
            "accepted",
        ),
        (
            "UNICEF agreed with the Board’s recommendations that it: (a) do X; and (b) do Y.",
            "acceptance",
            "accepted",
        ),
        ("UNDP did not accept this recommendation, as it already does so.", "acceptance",
         "not_accepted"),
        (
            "This recommendation is being addressed through the upgraded system.",
            "implementation",
            "in_progress",
        ),
        ("Recommendation 1 remains open pending receipt of the plan.", "implementation",
         "in_progress"),
        ("Based on the action taken, recommendation 5 has been closed.", "implementation",
         "implemented"),
        # shapes met in tests/generate/unseen3.yaml (ILO's progress in prose)
        ("The Office has completed this recommendation.", "implementation", "implemented"),
        ("Work on this recommendation is under way.", "implementation", "in_progress"),
        ("The Office partially implemented this recommendation: two of four were covered.",
         "implementation", "in_progress"),
        # shapes met in tests/generate/unseen.yaml and unseen4.yaml (a row's response cell)
        ("The review of the procedures at the seven warehouses is under way.",
         "implementation", "in_progress"),
        ("Closed in 2022.", "implementation", "implemented"),
        ("Implemented in March 2021.", "implementation", "implemented"),
    ],
)
def test_status_phrases_found_in_prose_map_to_the_scheme(
    sentence: str, field: str, value: str
) -> None:
    """What evidence.yaml finds, normalize/data/vocabulary.yaml maps: the two files agree."""
    from normalize.labels import match_label
    from normalize.vocabulary import load_vocabulary

    raw = phrase_hits(sentence, load_cues())[field]
    found = match_label(raw, load_vocabulary().tables_for(field))
    assert found is not None and found.value == value, raw


def test_unnumbered_recommendations_get_an_ordinal_never_a_number() -> None:
    doc = _doc(
        _b("Management response to the evaluation of the country programme", bold=True),
        _b("Recommendation: The office should focus its portfolio."),
        _b("Management response: Agreed."),
        _b("Recommendation: The office should strengthen monitoring."),
        _b("Management response: Partially agreed. Monitoring is being reviewed."),
        _b("Recommendation: The office should publish its data."),
    )
    records = recognize_document(doc).records
    assert [(r.rec_id, r.rec_number, r.acceptance_raw) for r in records] == [
        ("#1", None, "Agreed"),
        ("#2", None, "Partially agreed"),
    ]
    assessments, _ = normalize(records, "UNDP")
    assert [(a.rec_id, a.acceptance) for a in assessments] == [
        ("#1", "accepted"),
        ("#2", "partially_accepted"),
    ]


def test_a_long_register_keeps_every_row_numbered_past_999() -> None:
    """A register of 1,200 recommendations under a 'No.' column: no row is dropped because its
    number has four digits (issue 15: rows numbered 1000 and above vanished silently)."""
    header = ["No.", "Recommendation", "Status"]
    rows: list[list[str | tuple[str, int]]] = [header]
    rows += [[str(n), f"The secretariat should review policy {n}.", "Implemented"]
             for n in range(1, 1201)]  # fmt: skip
    result = recognize_document(_doc(_b("Status of implementation of recommendations"),
                                     _table(rows)))  # fmt: skip
    assert [r.rec_number for r in result.records] == list(range(1, 1201))
    assert all(r.implementation_raw == "Implemented" for r in result.records)


# -- reporting shapes nobody tuned rectrack to (tests/generate/unseen.yaml, end to end in
# tests/rectrack/test_unseen_shapes.py) ------------------------------------------------------


def test_board_status_annex_row_is_the_paragraph_of_the_report_it_cites() -> None:
    """The Board's annex: "No." counts rows; "A/69/5/Add.6, chap. II, para. 29" names the
    recommendation (report and paragraph), and a tick under a status heading gives it."""
    doc = _doc(
        _b("Status of implementation of recommendations up to the year ended 31 December 2015"),
        _table(
            [
                ["No.", "Audit report year", "Report reference", "Recommendation of the Board",
                 ("Status after verification", 2)],
                ["", "", "", "", "Implemented", "Under implementation"],
                ["1", "2013", "A/69/5/Add.6, chap. II, para. 29",
                 "The Board recommends that UNHCR reconcile the asset register.", "X", ""],
                ["2", "2014", "A/70/5/Add.6, para. 23",
                 "The Board recommends that UNHCR develop a strategy.", "", "X"],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [(r.review_symbol, r.rec_id, r.implementation_raw) for r in records] == [
        ("A/69/5/Add.6", "29", "Implemented"),
        ("A/70/5/Add.6", "23", "Under implementation"),
    ]


def test_secretary_general_report_paragraph_agreed_with_the_board() -> None:
    doc = _doc(
        _b("A. Implementation of the recommendations contained in the report of the Board of "
           "Auditors for the biennium ended 31 December 2009 (A/65/5/Add.1)", bold=True),
        _b("2. In paragraph 34, UNDP agreed with the Board's recommendation that it review the "
           "unliquidated obligations at year-end."),
        _b("Department responsible: Office of Finance and Administration"),
        _b("Status: In progress"),
        _b("Priority: High"),
        _b("3. In paragraph 96, the Board recommended that UNDP establish a register. UNDP did "
           "not accept this recommendation."),
    )
    records = recognize_document(doc).records
    assert [(r.review_symbol, r.rec_id) for r in records] == [
        ("A/65/5/Add.1", "34"),
        ("A/65/5/Add.1", "96"),
    ]
    assessments, unmapped = normalize(records, "UNDP")
    assert [(a.acceptance, a.implementation, a.responsible) for a in assessments] == [
        ("accepted", "in_progress", "Office of Finance and Administration"),
        ("not_accepted", "not_applicable", None),
    ]
    assert unmapped == []


def test_oios_annex_closed_open_and_appendix_accepted_yes_no() -> None:
    """OIOS: "C/ O3" (C = closed, O = open) is the status, "Implementation date4" a date, and
    Appendix I's "Accepted? (Yes/No)" and responsible individual join the same records."""
    annex = _table(
        [
            ["Recom. no.", "Recommendation", "Critical1/ Important2", "C/ O3",
             "Actions needed to close recommendation", "Implementation date4"],
            ["1", "The Representation should plan its monitoring.", "Important", "O",
             "Submission of the plan.", "31 March 2017"],
            ["2", "The Representation should sell the vehicles.", "Important", "C",
             "Action completed.", "31 October 2016"],
        ]
    )
    appendix = _table(
        [
            ["Rec. no.", "Recommendation", "Accepted? (Yes/No)", "Title of responsible individual",
             "Implementation date"],
            ["1", "The Representation should plan its monitoring.", "Yes", "Programme Officer",
             "31 March 2017"],
            ["2", "The Representation should sell the vehicles.", "Yes", "Admin Officer",
             "31 October 2016"],
        ]
    )
    got = recognize_document(_doc(_b("STATUS OF AUDIT RECOMMENDATIONS", bold=True), annex,
                                  _b("Management Response", bold=True), appendix))
    assert got.warnings == []
    assessments, unmapped = normalize(got.records, "UNHCR")
    assert [(a.rec_id, a.acceptance, a.implementation, a.responsible) for a in assessments] == [
        ("1", "accepted", "in_progress", "Programme Officer"),
        ("2", "accepted", "implemented", "Admin Officer"),
    ]
    assert unmapped == []


def test_audit_report_cited_by_a_governing_body_symbol_is_the_review() -> None:
    """WFP's table: a row naming the External Auditor's report by its Executive Board symbol
    sets the review; the status opens the "WFP response/action" cell; "Owner(s)" is
    responsible. The report *on* the recommendations, cited the same way, is not a review."""
    doc = _doc(
        _b("The Board takes note of “Report on the implementation of the External Auditor "
           "recommendations” (WFP/EB.A/2019/6-H/1)."),
        _table(
            [
                ["Recommendation", "Owner(s)", "WFP response/action", "Timeframe"],
                [("Report of the External Auditor on losses (WFP/EB.A/2018/6-G/1)", 4)],
                ["Recommendation 2: The External Auditor recommends that WFP record losses.",
                 "Supply Chain Division", "In progress. The module is being tested.", "2019"],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [(r.review_symbol, r.rec_id, r.implementation_raw, r.responsible) for r in records] == [
        ("WFP/EB.A/2018/6-G/1", "2", "In progress", "Supply Chain Division")
    ]
    from extract.recognizers.counts import review_symbols
    from extract.recognizers.vocab import load as load_vocab

    cited = [b.text for b in doc.items if isinstance(b, Block)]
    cited += ["2016 audited annual accounts (WFP/EB.A/2017/6-A/1)",
              "the report of the United Nations Board of Auditors (FCCC/SBI/2008/13) and the "
              "financial statements for the biennium 2006–2007 (FCCC/SBI/2008/13/Add.2)"]
    assert [review_symbols(t, load_vocab(), load_cues()) for t in cited] == [
        [], ["WFP/EB.A/2017/6-A/1"], ["FCCC/SBI/2008/13"]
    ]



# -- shapes of the second unseen round (tests/generate/unseen2.yaml) ----------------------------


def test_external_auditor_recommendation_identified_by_the_paragraph_it_cites() -> None:
    """FAO's progress table: "I recommend that ... [paragraph 18]" (after a bold sub-title) is
    recommendation 18 of the long-form report; its status is the "Status:" line of the action
    cell; the auditor agreeing to close it is not the organization accepting it."""
    doc = _doc(
        _table(
            [
                ["External Auditor's Recommendation", "Priority",
                 "Action taken, status and time-frame for implementation",
                 "External Auditor's Comments"],
                ["Rounding Policy\nI recommend that a note on the rounding policy be included "
                 "in the financial statements. [paragraph 18]", "Merits attention",
                 "The note is now in the accounts. Status: Implemented", ""],
                ["I recommend that the Organization critically review the chart of accounts "
                 "(See paragraph 12).", "Fundamental",
                 "A procedure was issued and the review is under way in the Finance Division. "
                 "Status: In course of implementation. Expected completion: On-going",
                 "The External Auditor agrees to close the recommendation when it is done."],
            ]
        ),
    )
    records = recognize_document(doc).records
    assert [(r.rec_id, r.implementation_raw) for r in records] == [
        ("18", "Implemented"),
        ("12", "In course of implementation"),
    ]
    assert records[0].rec_text.startswith("I recommend that a note")
    assessments, _ = normalize(records, "FAO")
    assert [(a.acceptance, a.implementation) for a in assessments] == [
        ("unknown", "implemented"),
        ("unknown", "in_progress"),
    ]


def test_erc_management_response_stamps_and_agreement_on_its_own_line() -> None:
    """UNDP's Evaluation Resource Centre: "Management Response: [Added: ...]" holds no answer;
    the agreement is the next paragraph; several key actions give their units once each."""
    doc = _doc(
        _b("Evaluation recommendation 1. Partners should complete the remaining tasks."),
        _b("Management Response: [Added: 2021/11/27]"),
        _b("Agreed"),
        _table(
            [
                ["Key Action", "Responsible", "DueDate", "Status", "Comments"],
                ["1.1 Undertake the remaining activities [Added: 2021/11/27]", "PMU",
                 "2022/12", "Initiated", "History"],
                ["1.2 Prepare the 2022 AWP [Added: 2021/11/27]", "PMU and UNDP", "2021/12",
                 "Completed", "Action completed"],
                ["1.3 Organize the PSC meeting", "PMU", "2022/07", "Initiated", ""],
            ]
        ),
        _b("Evaluation recommendation 2. UNDP should extend the project by 24 months."),
        _b("Management Response: [Added: 2021/11/27] [Last Updated: 2022/01/10]"),
        _b("Not agreed. No additional resources have been allocated."),
    )
    records = recognize_document(doc).records
    assert [(r.rec_id, r.acceptance_raw, r.responsible) for r in records] == [
        ("1", "Agreed", "PMU; PMU and UNDP"),
        ("2", "Not agreed", None),
    ]
    assessments, _ = normalize(records, "UNDP")
    assert [(a.acceptance, a.implementation) for a in assessments] == [
        ("accepted", "in_progress"),
        ("not_accepted", "not_applicable"),
    ]


def test_evaluations_named_by_headings_are_separate_reviews() -> None:
    """IFAD's PRISMA: one table per evaluation under a heading naming it, no symbol; the same
    numbers under two headings are two reviews' recommendations."""
    header = ["No.", "Recommendation", "Follow-up action taken", "Follow-up status"]
    doc = _doc(
        _b("Republic of Kenya: Country strategy and programme evaluation (2018)", bold=True),
        _table([header, ["1", "Strengthen the targeting.", "Done in 2017.", "Full follow-up"],
                ["2", "Build county capacity.", "Training started.", "Ongoing"]]),
        _b("Nepal: Project performance evaluation of the Forestry Programme (2017)", bold=True),
        _table([header, ["1", "Secure the tenure.", "Regulations amended.", "Full follow-up"],
                ["2", "Extend the programme.", "The programme closed.", "Not applicable"]]),
    )
    records = recognize_document(doc).records
    assert [(r.review_title, r.rec_id) for r in records] == [
        ("Republic of Kenya: Country strategy and programme evaluation (2018)", "1"),
        ("Republic of Kenya: Country strategy and programme evaluation (2018)", "2"),
        ("Nepal: Project performance evaluation of the Forestry Programme (2017)", "1"),
        ("Nepal: Project performance evaluation of the Forestry Programme (2017)", "2"),
    ]
    assessments, _ = normalize(records, "IFAD")
    assert [a.implementation for a in assessments] == [
        "implemented", "in_progress", "implemented", "closed_unimplemented",
    ]


@pytest.mark.parametrize(
    ("label", "want"),
    [
        (
            "Accepted, not yet started",
            {"acceptance": "Accepted", "implementation": "not yet started"},
        ),
        ("Accepted and in progress", {"acceptance": "Accepted", "implementation": "in progress"}),
        ("Not agreed", {"acceptance": "Not agreed"}),
    ],
)
def test_combined_and_short_labels(label: str, want: dict[str, str]) -> None:
    assert cell_label(label, load_cues()) == want


def test_status_codes_read_through_the_documents_legend() -> None:
    """A tracker printing "I", "IP", "W" in its status column and explaining the codes in a
    legend table: the codes are read as the legend's words; the same codes without a legend
    stay as printed (the normalizer reports them unmapped, never guesses)."""
    legend = _table([["Code", "Status of the agreed action"],
                     ["I", "Implemented: OIAI has validated the evidence"],
                     ["IP", "In progress: implementation has started"],
                     ["W", "Withdrawn: the action is no longer relevant"]])
    tracker = _table([["Ref.", "Agreed action", "Responsible", "Status"],
                      ["Rec. 1 (2019/12)", "The office should plan its assurance.", "Rep.", "I"],
                      ["Rec. 3 (2019/12)", "The office should review the committee.", "Rep.", "IP"],
                      ["Rec. 4 (2019/12)", "The office should count its assets.", "Rep.", "W"]])
    records = recognize_document(_doc(legend, tracker)).records
    assert [(r.rec_id, r.implementation_raw) for r in records] == [
        ("1", "Implemented"), ("3", "In progress"), ("4", "Withdrawn"),
    ]
    assessments, _ = normalize(records, "UNICEF")
    assert [a.implementation for a in assessments] == [
        "implemented", "in_progress", "closed_unimplemented",
    ]
    bare = recognize_document(_doc(tracker)).records
    assert [r.implementation_raw for r in bare] == ["I", "IP", "W"]
    prose = _b("Status codes: I = Implemented; PI = Partially implemented; NI = Not implemented")
    coded = _table([["No.", "Recommendation", "Status"],
                    ["1", "The office should plan.", "PI"], ["2", "The office should act.", "NI"]])
    got = recognize_document(_doc(prose, coded)).records
    assert [r.implementation_raw for r in got] == ["Partially implemented", "Not implemented"]


def test_audits_and_evaluations_named_by_rows_across_the_table() -> None:
    """Group rows naming an audit ("Internal Audit of ... (2019/12)") or an evaluation office's
    report ("Annual Performance Report 2012") separate the reviews of the rows below them; a
    numbered governing-body decision ("1. The Council requests ...") is the recommendation, and
    the oversight office's rating, not management's, is its status."""
    header = ["GEF Council decision", "Management action", "Management rating", "GEF IEO rating"]
    doc = _doc(_table([
        header,
        [("Joint Evaluation of the GEF Small Grants Programme", 4)],
        ["1. The Council requests the Secretariat to prepare a policy.", "Done.", "High", "High"],
        ["2. The Council requests UNDP to strengthen its system.", "Begun.", "High",
         "Substantial"],
        [("Annual Performance Report 2012", 4)],
        ["1. The Council requests the Secretariat to revise guidelines.", "Issued.", "Medium",
         "Negligible"],
    ]))
    records = recognize_document(doc).records
    assert [(r.review_title, r.rec_id, r.implementation_raw) for r in records] == [
        ("Joint Evaluation of the GEF Small Grants Programme", "1", "High"),
        ("Joint Evaluation of the GEF Small Grants Programme", "2", "Substantial"),
        ("Annual Performance Report 2012", "1", "Negligible"),
    ]
    assessments, _ = normalize(records, "GEF")
    assert [a.implementation for a in assessments] == ["implemented", "in_progress", "not_started"]


def test_a_completion_planned_or_of_a_step_is_no_completion() -> None:
    """"will be completed in 2025" is a plan, "A review ... was completed in June 2008" a step:
    no implemented phrase, no year."""
    cues = load_cues()
    plans_and_steps = (
        "The work will be completed in 2025.",
        "It is to be implemented in 2024.",
        "A review of all receivables was completed in June 2008.",  # a step, not the whole
    )
    for sentence in plans_and_steps:
        assert "implementation" not in phrase_hits(sentence, cues), sentence


def _matrix(response: str) -> Document:
    return _doc(
        _b("Follow-up to the recommendations of the Board of Auditors (A/72/5/Add.6)", bold=True),
        _table(
            [
                ["Para.", "Recommendation", "Estimated time for completion", "Action taken"],
                ["32", "The Board recommends that UNHCR review the procedures.",
                 "4th quarter 2017", response],
            ]
        ),
    )


def test_a_row_response_cell_needs_no_mention_of_its_recommendation() -> None:
    """The response cell of a recommendation's own row speaks of that one recommendation:
    its status sentence need not name it. Prose outside a row still must."""
    got = recognize_document(_matrix("UNHCR shared the observations. The review is under way."))
    assert [(r.rec_id, r.implementation_raw) for r in got.records] == [("32", "under way")]
    prose = _doc(
        _b("2. In paragraph 32, the Board recommended that UNHCR review the procedures."),
        _b("The review of the warehouses is under way."),
    )
    assert recognize_document(prose).records == []


def test_a_dated_completion_in_the_comment_gives_the_year() -> None:
    """"Implemented" in the status column, "Closed in 2022." in the comment of the same row:
    the dated statement is the label, so the completion year is kept."""
    doc = _doc(
        _b("Report of the External Auditor on the 2020 financial statements", bold=True),
        _table(
            [
                ["No.", "Recommendation", "Status", "Comments"],
                ["3", "We recommend that ICAO reconcile the accounts.", "Implemented",
                 "Closed in 2022."],
                ["4", "We recommend that ICAO review its reserves.", "Implemented",
                 "The reserves will be reviewed again in 2025."],
            ]
        ),
    )
    assessments, _ = normalize(recognize_document(doc).records, "ICAO")
    assert [(a.rec_id, a.implementation, a.completed_year) for a in assessments] == [
        ("3", "implemented", 2022),
        ("4", "implemented", None),
    ]


def test_a_line_holding_only_the_documents_own_symbol_is_no_review() -> None:
    """The document's own symbol printed once as a page's running head is furniture: the
    review stays the one the headings named."""
    doc = _doc(
        _b("A. Recommendations in the report of the Board of Auditors (A/65/5/Add.1)", bold=True),
        _b("2. In paragraph 34, UNDP agreed with the Board's recommendation that it do X."),
        _b("Status: Implemented"),
        _b("A/65/296/Add.1", 2),
        _b("3. In paragraph 96, the Board recommended that UNDP establish a centre.", 2),
        _b("Status: In progress", 2),
    )
    mine = recognize_document(doc, own_symbol="A/65/296/Add.1").records
    assert [(r.rec_id, r.review_symbol) for r in mine] == [
        ("34", "A/65/5/Add.1"),
        ("96", "A/65/5/Add.1"),
    ]
    unknown = recognize_document(doc).records  # not told its symbol: a heading like any other
    assert [(r.rec_id, r.review_symbol) for r in unknown] == [
        ("34", "A/65/5/Add.1"),
        ("96", "A/65/296/Add.1"),
    ]
