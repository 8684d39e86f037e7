"""Lettered recommendations under a numbered lead-in (extract/recognizers/lettered.py), on
documents built in the test: one paragraph per item (as a DOCX gives them) or items cut and
run together (as a PDF reader may give them); statuses restated by letter in the section;
lettered lists that are not recommendations, and items without a status, give nothing; a
table repeating some of the recommendations without letters adds nothing."""

from __future__ import annotations

from core.model import Block, Cell, Document, Origin, Prov, Row, Table
from extract.recognizers import recognize


def _doc(*items: Block | Table) -> Document:
    for i, t in enumerate(x for x in items if isinstance(x, Table)):
        t.index = i
    return Document(origin=Origin("t.docx", "0" * 64, "docx"), items=list(items))


def _p(text: str, page: int = 1, bold: bool = False) -> Block:
    return Block(text, prov=Prov(page=page), bold=bold)


def _by_id(doc: Document) -> dict[str, tuple[str | None, str]]:
    return {r.rec_id or "": (r.implementation_raw, r.rec_text) for r in recognize(doc)}


def test_items_under_a_lead_in_one_paragraph_each_with_letters_restarting() -> None:
    doc = _doc(
        _p("A. Governance", bold=True),
        _p("4. The evaluation made two recommendations on governance:"),
        _p("(a) Clarify the roles of the board. Completed to planned scope in March 2022."),
        _p("(b) Publish the minutes of each meeting. On track for completion by mid-2026."),
        _p("5. The board met twice in 2023."),
        _p("B. Finance", bold=True),
        _p("9. The following recommendations concern finance:"),
        _p(
            "(a) Review the reserve policy. Recommendation not operationalized as the reserve "
            "was closed."
        ),
    )
    got = _by_id(doc)
    assert got == {
        "4(a)": ("Completed to planned scope in March 2022", "Clarify the roles of the board."),
        "4(b)": ("On track for completion by mid-2026", "Publish the minutes of each meeting."),
        "9(a)": (
            "Recommendation not operationalized as the reserve was closed",
            "Review the reserve policy.",
        ),
    }
    assert {r.rec_number for r in recognize(doc)} == {4, 9}


def test_items_cut_and_run_together_by_the_reader() -> None:
    """The first item in the lead-in's paragraph, two items in one block, an item's last line
    alone (bold), a running header between pages, a footnote between two items."""
    doc = _doc(
        _p("DP/XYZ/2025/1", page=1, bold=True),
        _p(
            "12. The review contained three recommendations on risk: (a) Make risk part of all "
            "decisions. Completed to",
            page=1,
        ),
        _p("planned scope in 2023. (b) Assess the portfolio.Completed to planned scope in", page=1),
        _p("June 2024.", page=1, bold=True),
        _p("7 See annex. 8 DP/XYZ/2024/2", page=1),
        _p("DP/XYZ/2025/1", page=2, bold=True),
        _p(
            "(c) Revise the policy (RMP) in line with (ISO) standards. Completed to planned scope.",
            page=2,
        ),
        _p(
            "13. As reported, recommendations (a) and (c) were completed to planned scope in 2023.",
            page=2,
        ),
        _p("DP/XYZ/2025/1", page=3, bold=True),
    )
    got = _by_id(doc)
    assert set(got) == {"12(a)", "12(b)", "12(c)"}
    assert got["12(a)"] == (
        "Completed to planned scope in 2023",
        "Make risk part of all decisions.",
    )
    assert got["12(b)"] == ("Completed to planned scope in June 2024", "Assess the portfolio.")
    # a completion without its year, restated in prose with it: the dated statement is kept
    assert got["12(c)"][0] == "completed to planned scope in 2023"


def test_restated_statuses_apply_to_the_section_they_stand_in() -> None:
    doc = _doc(
        _p("A. One", bold=True),
        _p("3. The review contained two recommendations on one:"),
        _p("(a) Do one thing. Completed to planned scope."),
        _p("(b) Do another. Completed to planned scope."),
        _p("4. Recommendation (b) was completed to planned scope in 2021."),
        _p("B. Two", bold=True),
        _p("6. The review contained one recommendation on two:"),
        _p("(a) Do a third thing. Completed to planned scope."),
        _p("7. Recommendation (a) was completed to planned scope in 2019."),
    )
    got = _by_id(doc)
    assert got["3(a)"][0] == "Completed to planned scope"
    assert got["3(b)"][0] == "completed to planned scope in 2021"
    assert got["6(a)"][0] == "completed to planned scope in 2019"


def test_lettered_lists_that_are_not_recommendations_give_nothing() -> None:
    doc = _doc(
        _p(
            "The Executive Board may wish to: (a) take note of the document; (b) release the "
            "tranche."
        ),
        _p("29. The key reforms being implemented are: (a) a portal hub; (b) a focal point."),
        _p("(a) Portal hub: The hub offers guidance. Completed in 2024."),
        _p("31. This transformation is progressing through several key initiatives:"),
        _p("(a) Measuring culture through a survey in 2024."),
        _p("(b) Ongoing implementation of a road map. Completed in 2024."),
        _p("2. UNOPS commissioned two reviews on: (a) oversight; and (b) internal controls."),
    )
    assert recognize(doc) == []


def test_items_without_a_status_sentence_give_nothing() -> None:
    doc = _doc(
        _p("8. The Inspectors made three recommendations to the executive heads:"),
        _p("(a) Executive heads should adopt a policy. Completed projects should be reviewed."),
        _p("(b) Executive heads should report annually."),
        _p("(c) Strengthen the ethics office. Completed to planned scope in 2022."),
    )
    got = _by_id(doc)
    assert list(got) == ["8(c)"]


def test_a_status_table_keyed_by_text_adds_no_record() -> None:
    def cell(text: str, r: int, c: int) -> Cell:
        return Cell(text=text, row=r, col=c, is_header=r == 0)

    rows = [
        Row(
            [
                cell("Work stream", 0, 0),
                cell("Completed recommendations", 0, 1),
                cell("Status", 0, 2),
            ],
            is_header=True,
        ),
        Row(
            [
                cell("Risk", 1, 0),
                cell("Make risk part of all decisions.", 1, 1),
                cell("Completed in June 2024", 1, 2),
            ]
        ),
    ]
    table = Table(rows=rows, n_cols=3, header_rows=1)
    doc = _doc(
        table,
        _p("12. The review contained one recommendation on risk:"),
        _p("(a) Make risk part of all decisions. Completed to planned scope in June 2024."),
    )
    assert list(_by_id(doc)) == ["12(a)"]


def test_items_marked_with_roman_numerals() -> None:
    doc = _doc(
        _p("15. The audit made the following three recommendations:"),
        _p("(i) Update the manual. Implemented."),
        _p("(ii) Train the staff. Under implementation."),
        _p("(iii) Close the old accounts. Not yet started."),
        _p("16. Recommendation (ii) is on track for completion by the end of 2025."),
    )
    got = _by_id(doc)
    assert {k: v[0] for k, v in got.items()} == {
        "15(i)": "Implemented",
        "15(ii)": "Under implementation",
        "15(iii)": "Not yet started",
    }


def test_a_status_restated_by_letter_gives_an_item_without_its_own_status_one() -> None:
    doc = _doc(
        _p("20. The review contained three recommendations on risk:"),
        _p("(a) Map the risks. Completed to planned scope in 2023."),
        _p("(b) Review the register annually."),
        _p("(c) Appoint a risk officer."),
        _p("21. Recommendation (b) is on track for completion by the end of 2025."),
    )
    got = _by_id(doc)
    assert {k: v[0] for k, v in got.items()} == {
        "20(a)": "Completed to planned scope in 2023",
        "20(b)": "on track for completion by the end of 2025",
    }
