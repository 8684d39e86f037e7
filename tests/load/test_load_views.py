"""The public views (docs/database.md), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from load import load_document
from tests.load.load_builders import info, parsed, rec, rows

ASSESSMENT_COLUMNS = [
    "agency", "document_symbol", "as_of", "source_file", "page", "body", "review_symbol",
    "review_title", "rec_id", "rec_number", "rec_text", "rec_text_raw", "addressee",
    "acceptance", "acceptance_raw", "implementation", "implementation_raw",
    "previous_implementation", "completed_year", "deadline", "responsible", "comment",
    "status_page", "recognizer",
]  # fmt: skip
CONTRACT = {
    "v_assessments": ASSESSMENT_COLUMNS,
    "v_latest_status": ASSESSMENT_COLUMNS,
    "v_status_changes": [
        "agency", "review_symbol", "rec_id", "rec_number", "from_document", "to_document",
        "from_acceptance", "to_acceptance", "from_implementation", "to_implementation",
    ],
    "v_rates": [
        "agency", "body", "recommendations", "accepted", "acceptance_rate", "implemented",
        "implementation_rate",
    ],
    "v_documents": [
        "source_file", "sha256", "agency", "document_symbol", "as_of", "format", "pages",
        "status", "error", "records", "warnings", "note", "ingested_at", "checked_at",
    ],
}  # fmt: skip
DATABASE_MD = Path(__file__).resolve().parents[2] / "docs" / "database.md"


def _documented_columns() -> dict[str, list[str]]:
    """The columns docs/database.md gives each contract view, in order: the table under
    v_assessments, the backquoted list under the others ("the columns of v_assessments" for
    v_latest_status)."""
    out: dict[str, list[str]] = {}
    for section in DATABASE_MD.read_text(encoding="utf-8").split("\n### ")[1:]:
        name = re.match(r"`(v_\w+)`", section)
        assert name, section[:60]
        table = re.findall(r"^\| `(\w+)` \|", section, re.M)
        listed = re.search(r"^`(\w+(?:, \w+)+)`", section.replace(",\n", ", "), re.M)
        if table:
            out[name.group(1)] = table
        elif listed:
            out[name.group(1)] = listed.group(1).split(", ")
        elif "The columns of `v_assessments`" in section:
            out[name.group(1)] = out["v_assessments"]
    return out


def test_the_contract_lists_here_are_those_of_docs_database_md() -> None:
    assert _documented_columns() == CONTRACT


@pytest.mark.parametrize("view", sorted(CONTRACT))
def test_contract_views_have_the_documented_columns_in_order(db: sa.Engine, view: str) -> None:
    with db.connect() as conn:
        assert list(conn.execute(sa.text(f"SELECT * FROM {view}")).keys()) == CONTRACT[view]


def _editions(db: sa.Engine) -> None:
    """Three WIPO editions ingested out of date order, and one ITU document."""
    load_document(
        db,
        parsed(
            info("new.pdf", "b", as_of="2022-06-30"),
            rec(number=1, acceptance="accepted", implementation="implemented",
                previous_implementation="not_started"),
            rec(number=2, acceptance="accepted", implementation="not_started",
                previous_implementation="not_started"),
            rec(number=3, acceptance="accepted", implementation="in_progress"),
        ),
    )  # fmt: skip
    load_document(
        db,
        parsed(
            info("old.pdf", "a", as_of="2021-06-30"),
            rec(number=1, acceptance="accepted", implementation="in_progress"),
            rec(number=2, acceptance="accepted", implementation="not_started"),
            rec(number=3, acceptance="under_consideration", implementation="not_applicable"),
        ),
    )
    load_document(
        db,
        parsed(
            info("undated.pdf", "c", as_of=None),
            rec(number=1, acceptance="accepted", implementation="not_started"),
            rec(number=4, acceptance="accepted", implementation="in_progress"),
        ),
    )
    load_document(
        db,
        parsed(
            info("itu.pdf", "d", agency="ITU", as_of="2020-01-01"),
            rec(number=1, acceptance="not_accepted", implementation="not_applicable"),
        ),
    )


def test_latest_status_takes_the_newest_edition_of_each_agency(db: sa.Engine) -> None:
    _editions(db)
    latest = rows(
        db,
        "SELECT agency, rec_number, source_file, implementation FROM v_latest_status "
        "ORDER BY agency, rec_number",
    )
    assert latest == [
        {"agency": "ITU", "rec_number": 1, "source_file": "itu.pdf",
         "implementation": "not_applicable"},
        {"agency": "WIPO", "rec_number": 1, "source_file": "new.pdf",
         "implementation": "implemented"},
        {"agency": "WIPO", "rec_number": 2, "source_file": "new.pdf",
         "implementation": "not_started"},
        {"agency": "WIPO", "rec_number": 3, "source_file": "new.pdf",
         "implementation": "in_progress"},
        {"agency": "WIPO", "rec_number": 4, "source_file": "undated.pdf",
         "implementation": "in_progress"},
    ]  # fmt: skip


@pytest.mark.parametrize("order", [("r.pdf", "r.docx"), ("r.docx", "r.pdf")])
def test_latest_status_reads_one_edition_from_its_pdf_whichever_came_first(
    db: sa.Engine, order: tuple[str, str]
) -> None:
    """A report's PDF and DOCX are one edition: the rows come from the PDF (they carry pages),
    not from whichever file a run with several workers happened to store last."""
    for i, name in enumerate(order):
        status = "noted" if name.endswith(".pdf") else "accepted"
        doc = info(name, "ab"[i], as_of="2022-01-01", document_symbol="WO/PBC/34/6")
        load_document(db, parsed(doc, rec(acceptance=status)))
    (row,) = rows(db, "SELECT source_file, acceptance FROM v_latest_status")
    assert row == {"source_file": "r.pdf", "acceptance": "noted"}


def test_latest_status_breaks_a_tie_on_as_of_by_ingestion_order(db: sa.Engine) -> None:
    """Two reports (two symbols) with the same as_of: the later ingested is the newer."""
    first = info("first.pdf", "a", as_of="2022-01-01", document_symbol="A/1")
    load_document(db, parsed(first, rec(acceptance="noted")))
    second = info("second.docx", "b", as_of="2022-01-01", document_symbol="A/2")
    load_document(db, parsed(second, rec()))
    (row,) = rows(db, "SELECT source_file FROM v_latest_status")
    assert row["source_file"] == "second.docx"


def test_status_changes_list_differences_between_consecutive_editions(db: sa.Engine) -> None:
    _editions(db)
    changes = rows(
        db,
        "SELECT * FROM v_status_changes ORDER BY rec_number, from_document",
    )
    assert changes == [
        {"agency": "WIPO", "review_symbol": "JIU/REP/2020/8", "rec_id": "1", "rec_number": 1,
         "from_document": "old.pdf", "to_document": "new.pdf",
         "from_acceptance": "accepted", "to_acceptance": "accepted",
         "from_implementation": "in_progress", "to_implementation": "implemented"},
        {"agency": "WIPO", "review_symbol": "JIU/REP/2020/8", "rec_id": "1", "rec_number": 1,
         "from_document": "undated.pdf", "to_document": "old.pdf",
         "from_acceptance": "accepted", "to_acceptance": "accepted",
         "from_implementation": "not_started", "to_implementation": "in_progress"},
        {"agency": "WIPO", "review_symbol": "JIU/REP/2020/8", "rec_id": "3", "rec_number": 3,
         "from_document": "old.pdf", "to_document": "new.pdf",
         "from_acceptance": "under_consideration", "to_acceptance": "accepted",
         "from_implementation": "not_applicable", "to_implementation": "in_progress"},
    ]  # fmt: skip


def test_previous_disagreements_compare_with_the_earlier_edition(db: sa.Engine) -> None:
    _editions(db)
    (row,) = rows(db, "SELECT * FROM v_previous_disagreements")
    assert (row["rec_number"], row["document"], row["earlier_document"]) == (
        1,
        "new.pdf",
        "old.pdf",
    )
    assert (row["stated_previous_implementation"], row["earlier_implementation"]) == (
        "not_started",
        "in_progress",
    )


def _rates_document(db: sa.Engine) -> None:
    """One of each acceptance value; counts below are worked out by hand."""
    load_document(
        db,
        parsed(
            info("rates.pdf", as_of="2023-03-31"),
            rec("JIU/REP/2019/3", 1, acceptance="accepted", implementation="implemented",
                addressee="executive_head"),
            rec("JIU/REP/2019/3", 2, acceptance="accepted", implementation="implemented",
                addressee="legislative_body"),
            rec("JIU/REP/2019/3", 3, acceptance="accepted", implementation="in_progress",
                addressee="executive_head"),
            rec("JIU/REP/2021/1", 1, acceptance="partially_accepted",
                implementation="implemented", addressee="executive_head"),
            rec("JIU/REP/2021/1", 2, acceptance="not_accepted", implementation="not_applicable",
                addressee="executive_head"),
            rec("JIU/REP/2021/1", 3, acceptance="noted", implementation="not_applicable",
                addressee="legislative_body"),
            rec("JIU/REP/2021/1", 4, acceptance="under_consideration",
                implementation="not_applicable", addressee="legislative_body"),
            rec("JIU/REP/2021/1", 5, acceptance="not_relevant", implementation="not_applicable",
                addressee="executive_head"),
            rec("JIU/REP/2021/1", 6, acceptance="not_applicable", implementation="not_applicable",
                addressee="other"),
            rec("JIU/REP/2021/1", 7, acceptance="unknown", implementation="implemented",
                addressee="unknown"),
            rec("internal-audit-2020", 1, acceptance="accepted", implementation="not_started",
                addressee="executive_head"),
            rec("JIU/REP/2019/3", 4, acceptance="accepted", implementation="closed_unimplemented",
                addressee="legislative_body"),
        ),
    )  # fmt: skip


def test_rates_follow_the_documented_formulas(db: sa.Engine) -> None:
    _rates_document(db)
    (row,) = rows(db, "SELECT * FROM v_rates")
    # decided on: 5 accepted + 1 partially + not_accepted + noted = 8 (under_consideration,
    # not_relevant, not_applicable, unknown left out); accepted 6; implemented 3 of those 6
    # (the implemented row with acceptance unknown does not count)
    assert row["agency"] == "WIPO"
    assert (row["recommendations"], row["accepted"], row["implemented"]) == (8, 6, 3)
    assert row["acceptance_rate"] == pytest.approx(6 / 8)
    assert row["implementation_rate"] == pytest.approx(3 / 6)


def test_rates_split_by_addressee_and_review_year_add_up(db: sa.Engine) -> None:
    _rates_document(db)
    by_addressee = {
        r["addressee"]: (r["recommendations"], r["accepted"], r["implemented"])
        for r in rows(db, "SELECT * FROM v_rates_by_addressee")
    }
    assert by_addressee == {
        "executive_head": (5, 4, 2),
        "legislative_body": (3, 2, 1),
        "other": (0, 0, 0),
        "unknown": (0, 0, 0),
    }
    by_year = {
        r["review_year"]: (r["recommendations"], r["accepted"], r["implemented"])
        for r in rows(db, "SELECT * FROM v_rates_by_review_year")
    }
    assert by_year == {2019: (4, 4, 2), 2021: (3, 1, 1), None: (1, 1, 0)}
    (empty,) = rows(db, "SELECT * FROM v_rates_by_addressee WHERE addressee = 'other'")
    assert empty["acceptance_rate"] is None and empty["implementation_rate"] is None


def test_open_recommendations_by_age(db: sa.Engine) -> None:
    _rates_document(db)
    opened = rows(
        db,
        "SELECT review_symbol, rec_number, review_year, age_years FROM v_open_by_age "
        "ORDER BY review_symbol, rec_number",
    )
    assert opened == [
        {"review_symbol": "JIU/REP/2019/3", "rec_number": 3, "review_year": 2019, "age_years": 4},
        {"review_symbol": "internal-audit-2020", "rec_number": 1, "review_year": None,
         "age_years": None},
    ]  # fmt: skip


def test_failed_documents_add_no_rows_to_the_views(db: sa.Engine) -> None:
    from load import record_failure

    _editions(db)
    before = rows(db, "SELECT * FROM v_latest_status ORDER BY agency, rec_number")
    record_failure(db, info("broken.pdf", "e", as_of="2030-01-01"), "scanned PDF, no text")
    assert rows(db, "SELECT * FROM v_latest_status ORDER BY agency, rec_number") == before
    assert rows(db, "SELECT * FROM v_status_changes WHERE to_document = 'broken.pdf'") == []


def test_previous_disagreements_ignore_the_other_format_of_the_same_report(db: sa.Engine) -> None:
    old = info("old.pdf", "a", as_of="2021-06-30", document_symbol="WO/PBC/33/5")
    load_document(db, parsed(old, rec(implementation="in_progress")))
    for name, sha in (("new.docx", "b"), ("new.pdf", "c")):
        new = info(name, sha, as_of="2022-06-30", document_symbol="WO/PBC/34/6")
        load_document(
            db,
            parsed(new, rec(implementation="implemented", previous_implementation="in_progress")),
        )
    assert rows(db, "SELECT * FROM v_previous_disagreements") == []
    # the change itself is listed once, between the editions; the later one is read from its
    # PDF, the file v_latest_status shows
    changes = rows(db, "SELECT from_document, to_document FROM v_status_changes")
    assert changes == [{"from_document": "old.pdf", "to_document": "new.pdf"}]
    (latest,) = rows(db, "SELECT source_file FROM v_latest_status")
    assert latest["source_file"] == changes[0]["to_document"]


def _changes(db: sa.Engine) -> list[tuple[int, str, str, str, str]]:
    return [
        (r["rec_number"], r["from_document"], r["to_document"], r["from_implementation"],
         r["to_implementation"])
        for r in rows(db, "SELECT * FROM v_status_changes ORDER BY rec_number, from_document")
    ]  # fmt: skip


def test_the_two_formats_of_one_edition_are_not_compared_with_each_other(db: sa.Engine) -> None:
    """They disagree on rec 1 (an extraction difference), yet no row pairs them."""
    for name, sha, status in (("r.pdf", "a", "in_progress"), ("r.docx", "b", "implemented")):
        doc = info(name, sha, as_of="2022-03-31", document_symbol="WO/PBC/34/6")
        load_document(db, parsed(doc, rec(number=1, implementation=status), rec(number=2)))
    assert _changes(db) == []


def test_editions_without_symbol_pair_by_as_of_else_by_file_stem(db: sa.Engine) -> None:
    # undated, no symbol: a.PDF and a.docx share the stem (case-blind): one edition
    load_document(db, parsed(info("a.PDF", "a"), rec(number=1, implementation="not_started")))
    load_document(
        db, parsed(info("a.docx", "b", format="docx"), rec(number=1, implementation="not_started"))
    )
    # dated, no symbol: same as_of, different names: one edition
    dated = {"as_of": "2021-12-31"}
    load_document(
        db, parsed(info("x.pdf", "c", **dated), rec(number=1, implementation="in_progress"))
    )
    load_document(
        db,
        parsed(info("y-en.docx", "d", format="docx", **dated),
               rec(number=1, implementation="in_progress"), rec(number=2)),
    )  # fmt: skip
    # each edition is read from its PDF (case-blind suffix), whichever file came last
    assert _changes(db) == [(1, "a.PDF", "x.pdf", "not_started", "in_progress")]
    # an undated file of another stem is an edition of its own, after a.* (ingested later)
    load_document(db, parsed(info("b.pdf", "e"), rec(number=1, implementation="implemented")))
    assert _changes(db) == [
        (1, "a.PDF", "b.pdf", "not_started", "implemented"),
        (1, "b.pdf", "x.pdf", "implemented", "in_progress"),
    ]


def test_a_format_missing_the_date_joins_its_edition_by_symbol(db: sa.Engine) -> None:
    """Same symbol: one edition, dated by the file that has the date, so it follows 2021."""
    load_document(
        db, parsed(info("new.pdf", "a", document_symbol="S/2"), rec(implementation="implemented"))
    )
    old = info("old.pdf", "b", document_symbol="S/1", as_of="2021-06-30")
    load_document(db, parsed(old, rec(implementation="in_progress")))
    new_docx = info("new.docx", "c", format="docx", document_symbol="S/2", as_of="2022-06-30")
    load_document(db, parsed(new_docx, rec(implementation="implemented")))
    assert _changes(db) == [(1, "old.pdf", "new.pdf", "in_progress", "implemented")]


def test_a_file_missing_a_recommendation_leaves_it_to_the_other_format(db: sa.Engine) -> None:
    old = info("old.pdf", "a", document_symbol="S/1", as_of="2021-06-30")
    load_document(db, parsed(old, rec(number=1), rec(number=2, implementation="not_started")))
    new = {"document_symbol": "S/2", "as_of": "2022-06-30"}
    load_document(
        db,
        parsed(info("new.pdf", "b", **new), rec(number=1),
               rec(number=2, implementation="implemented")),
    )  # fmt: skip
    load_document(db, parsed(info("new.docx", "c", format="docx", **new), rec(number=1)))
    assert _changes(db) == [(2, "old.pdf", "new.pdf", "not_started", "implemented")]


def test_null_agencies_are_never_paired(db: sa.Engine) -> None:
    load_document(db, parsed(info("a.pdf", "a", agency=None, as_of="2021-01-01"), rec()))
    load_document(
        db,
        parsed(info("b.pdf", "b", agency=None, as_of="2022-01-01"),
               rec(implementation="implemented")),
    )  # fmt: skip
    assert _changes(db) == []
