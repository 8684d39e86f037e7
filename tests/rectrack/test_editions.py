"""Editions end to end: two editions of one WIPO-style report (2021, 2022), each generated as
PDF and DOCX (tests/generate), read by the real pipeline; the edition views are checked
against what the specs say, computed here from the specs (not from the views)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rectrack.config import RunConfig
from rectrack.pipeline import run
from tests.generate import DocSpec, ExpectedRecord, build_docx, build_pdf, sample_specs

Key = tuple[str | None, int]
LABEL = {
    "accepted": "Accepted",
    "partially_accepted": "Partially accepted",
    "implemented": "Implemented",
    "in_progress": "In progress",
    "not_started": "Not started",
}
PREVIOUS = {"in_progress": "in progress", "not_started": "not started"}


def _status(
    rec: ExpectedRecord, acceptance: str, implementation: str, previous: str | None
) -> ExpectedRecord:
    """``rec`` with other statuses; labels as the wipo_kv layout prints them."""
    return replace(
        rec,
        acceptance=acceptance,
        acceptance_label=LABEL[acceptance],
        implementation=implementation,
        implementation_label=LABEL[implementation],
        previous_implementation=previous,
        previous_label=PREVIOUS[previous] if previous else None,
    )


def _editions() -> tuple[DocSpec, DocSpec]:
    """The 2022 edition is the sample WIPO spec with some recommendations now implemented; the
    2021 edition has them in progress. 2022 repeats each 2021 status in a Previously note where
    it changed, except one note ("not started") that the 2021 edition contradicts. The 2021
    edition carries one Previously note too, with no earlier edition loaded to compare."""
    base = next(s for s in sample_specs() if s.layout == "wipo_kv" and s.agency == "WIPO")
    accepted = [r for r in base.records if r.acceptance == "accepted"]
    assert len(accepted) >= 6, "the sample spec changed: pick other recommendations"
    old: list[ExpectedRecord] = []
    new: list[ExpectedRecord] = []
    for i, rec in enumerate(accepted):
        if i < 3:  # in progress in 2021, implemented in 2022, the note says so
            old.append(_status(rec, "accepted", "in_progress", None))
            new.append(_status(rec, "accepted", "implemented", "in_progress"))
        elif i == 3:  # in progress in 2021; the 2022 note claims "not started": contradicted
            old.append(_status(rec, "accepted", "in_progress", "not_started"))
            new.append(_status(rec, "accepted", "implemented", "not_started"))
        elif i == 4:  # partially accepted in 2021, accepted in 2022 (same implementation)
            old.append(_status(rec, "partially_accepted", "in_progress", None))
            new.append(_status(rec, "accepted", "in_progress", None))
        else:  # unchanged
            old.append(_status(rec, "accepted", "not_started", None))
            new.append(_status(rec, "accepted", "not_started", None))
    spec_2021 = replace(
        base,
        name="wipo_2021",
        document_symbol="WO/PBC/33/7",
        as_of="2021-03-31",
        date="2021-05-03",
        records=tuple(old),
    )
    spec_2022 = replace(
        base,
        name="wipo_2022",
        document_symbol="WO/PBC/34/9",
        as_of="2022-03-31",
        date="2022-05-02",
        records=tuple(new),
    )
    return spec_2021, spec_2022


SPEC_2021, SPEC_2022 = _editions()
FILES = {spec.name: {f"{spec.name}.pdf", f"{spec.name}.docx"} for spec in (SPEC_2021, SPEC_2022)}


def _by_key(spec: DocSpec) -> dict[Key, ExpectedRecord]:
    return {r.key: r for r in spec.records}


def _query(db: Path, sql: str) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql)]
    finally:
        con.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("editions")
    for spec in (SPEC_2021, SPEC_2022):
        build_pdf(spec, folder / f"{spec.name}.pdf")
        build_docx(spec, folder / f"{spec.name}.docx")
    path = folder / "rectrack.sqlite"
    summary = run([folder], RunConfig.build(db=str(path), workers=0))
    assert [o.status for o in summary.outcomes] == ["loaded"] * 4, summary.outcomes
    yield path


def test_each_file_is_read_with_its_edition_s_symbol_and_date(db: Path) -> None:
    documents = _query(db, "SELECT source_file, document_symbol, as_of FROM v_documents")
    want = {
        f: (spec.document_symbol, spec.as_of)
        for spec in (SPEC_2021, SPEC_2022)
        for f in FILES[spec.name]
    }
    assert {d["source_file"]: (d["document_symbol"], d["as_of"]) for d in documents} == want


def test_latest_status_takes_every_recommendation_from_the_2022_edition(db: Path) -> None:
    latest = _query(db, "SELECT * FROM v_latest_status WHERE agency = 'WIPO'")
    expected = _by_key(SPEC_2022)
    assert {(r["review_symbol"], r["rec_number"]) for r in latest} == set(expected)
    for row in latest:
        want = expected[(row["review_symbol"], row["rec_number"])]
        assert row["source_file"] in FILES["wipo_2022"]
        assert (row["acceptance"], row["implementation"]) == (want.acceptance, want.implementation)


def _expected_changes() -> set[tuple[Any, ...]]:
    before = _by_key(SPEC_2021)
    out = set()
    for key, new in _by_key(SPEC_2022).items():
        old = before.get(key)
        if old and (old.acceptance, old.implementation) != (new.acceptance, new.implementation):
            out.add((*key, old.acceptance, new.acceptance, old.implementation, new.implementation))
    return out


def test_status_changes_are_exactly_those_between_the_two_editions(db: Path) -> None:
    changes = _query(db, "SELECT * FROM v_status_changes")
    got = {
        (c["review_symbol"], c["rec_number"], c["from_acceptance"], c["to_acceptance"],
         c["from_implementation"], c["to_implementation"])
        for c in changes
    }  # fmt: skip
    expected = _expected_changes()
    assert expected, "the specs must differ somewhere"
    assert got == expected
    assert len(changes) == len(expected)  # one row per recommendation, not per file pair
    for c in changes:
        assert c["from_document"] in FILES["wipo_2021"]
        assert c["to_document"] in FILES["wipo_2022"]


def test_the_newest_file_s_changes_are_found_whichever_format_it_is(db: Path) -> None:
    """What the "changes since previous edition" query asks: changes whose to_document is the
    agency's newest file. Pairing files, that file's predecessor was its own other format."""
    (newest,) = _query(
        db,
        "SELECT source_file FROM v_documents WHERE agency = 'WIPO' "
        "ORDER BY as_of DESC, ingested_at DESC LIMIT 1",
    )
    changes = _query(db, "SELECT * FROM v_status_changes")
    to_newest = [c for c in changes if c["to_document"] == newest["source_file"]]
    assert len(to_newest) == len(_expected_changes())
    (latest,) = _query(db, "SELECT DISTINCT source_file FROM v_latest_status")
    assert latest == newest


def test_the_two_formats_of_one_edition_give_no_change_between_them(db: Path) -> None:
    pairs = _query(db, "SELECT from_document, to_document FROM v_status_changes")
    for files in FILES.values():
        assert not [p for p in pairs if {p["from_document"], p["to_document"]} <= files]
    # and each edition's two files were read alike, so there is nothing to hide
    for files in FILES.values():
        pdf, docx = (
            {
                (r["review_symbol"], r["rec_number"], r["acceptance"], r["implementation"])
                for r in _query(db, f"SELECT * FROM v_assessments WHERE source_file = '{f}'")
            }
            for f in sorted(files, key=lambda f: f.endswith(".docx"))
        )
        assert pdf == docx and pdf


def test_previous_disagreements_report_the_contradicted_note(db: Path) -> None:
    before = _by_key(SPEC_2021)
    expected = {
        (*key, new.previous_implementation, before[key].implementation)
        for key, new in _by_key(SPEC_2022).items()
        if new.previous_implementation
        and key in before
        and new.previous_implementation != before[key].implementation
    }
    assert len(expected) == 1  # the "not started" note; the others agree with 2021
    rows = _query(db, "SELECT * FROM v_previous_disagreements")
    got = {
        (r["review_symbol"], r["rec_number"], r["stated_previous_implementation"],
         r["earlier_implementation"])
        for r in rows
    }  # fmt: skip
    assert got == expected
    # each 2022 file states it, each 2021 file contradicts it: never a file of its own edition
    assert {(r["document"], r["earlier_document"]) for r in rows} == {
        (new, old) for new in FILES["wipo_2022"] for old in FILES["wipo_2021"]
    }
