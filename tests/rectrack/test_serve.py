"""Datasette over a database built from code, queried in-process through ``ds.client``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.errors import RectrackError
from rectrack.serve import load_metadata, make_datasette, public_views, serve_command
from tests.rectrack.oversight_fixture import (
    ACCEPTED,
    R2,
    build_db,
    expected_changes,
    expected_rates,
    latest,
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("serve") / "rectrack.sqlite")


def get_json(db_path: Path, path: str) -> Any:
    """GET ``path`` from a fresh Datasette in-process; fails on any non-200 answer."""

    async def fetch() -> Any:
        ds = make_datasette(db_path)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return asyncio.run(fetch())


def test_every_column_of_every_public_view_is_described(db_path: Path) -> None:
    views = public_views(db_path)
    assert {
        "v_assessments",
        "v_latest_status",
        "v_rates",
        "v_status_changes",
        "v_documents",
    } <= set(views)
    tables = load_metadata()["databases"]["rectrack"]["tables"]
    for view, columns in views.items():
        assert tables.get(view, {}).get("description"), f"{view} has no description"
        described = tables[view].get("columns", {})
        missing = [c for c in columns if not described.get(c)]
        assert not missing, f"{view}: columns without a description: {missing}"


def test_metadata_is_served_with_the_database_name(tmp_path: Path) -> None:
    other = build_db(tmp_path / "elsewhere.sqlite")
    meta = get_json(other, "/-/metadata.json")
    assert set(meta["databases"]) == {"elsewhere"}
    assert meta["license"] and meta["source"] and meta["title"]
    assert not any(k.startswith("x-") for k in meta)
    table = get_json(other, "/elsewhere/v_rates.json?_shape=objects")
    assert {r["agency"] for r in table["rows"]} == set(expected_rates())


def test_rates_by_agency_match_the_fixture(db_path: Path) -> None:
    rows = get_json(db_path, "/rectrack/rates_by_agency.json?_shape=array")
    expected = expected_rates()
    assert [r["agency"] for r in rows] == sorted(expected)
    for row in rows:
        want = expected[row["agency"]]
        for key in ("recommendations", "accepted", "implemented"):
            assert row[key] == want[key], (row["agency"], key)
        for key in ("acceptance_rate", "implementation_rate"):
            assert row[key] == pytest.approx(want[key]), (row["agency"], key)
    files = {r["agency"]: set(r["source_files"].split(", ")) for r in rows}
    assert files == {
        agency: {x.source_file for x in latest().values() if x.agency == agency}
        for agency in expected
    }


def test_open_by_age_lists_accepted_unimplemented_with_file_and_page(db_path: Path) -> None:
    rows = get_json(db_path, "/rectrack/open_by_age.json?_shape=array&agency=")
    want = {
        (x.agency, x.a.review_symbol, x.a.rec_number, x.source_file, x.page)
        for x in latest().values()
        if x.a.acceptance in ACCEPTED
        and x.a.implementation in ("not_started", "in_progress", "unknown")
    }
    got = {
        (r["agency"], r["review_symbol"], r["rec_number"], r["source_file"], r["page"])
        for r in rows
    }
    assert got == want
    ages = [r["age_years"] for r in rows]
    assert ages == sorted(ages, reverse=True)
    # age = as_of year - review year, e.g. WIPO 2022 report on a 2019 review
    wipo = next(r for r in rows if r["agency"] == "WIPO" and r["review_symbol"].endswith("2019/2"))
    assert wipo["age_years"] == 3

    itu_only = get_json(db_path, "/rectrack/open_by_age.json?_shape=array&agency=ITU")
    assert {r["agency"] for r in itu_only} == {"ITU"}
    assert len(itu_only) == sum(1 for r in rows if r["agency"] == "ITU")


def test_changes_since_previous_edition(db_path: Path) -> None:
    rows = get_json(db_path, "/rectrack/changes_since_previous_edition.json?_shape=array&agency=")
    got = {
        (
            r["agency"],
            r["review_symbol"],
            r["rec_number"],
            r["from_implementation"],
            r["to_implementation"],
        )
        for r in rows
    }
    assert got == expected_changes()
    for row in rows:
        assert row["source_file"] != row["from_document"]
        source = latest()[(row["agency"], row["review_symbol"], row["rec_number"])]
        assert (row["source_file"], row["page"]) == (source.source_file, source.page)
    itu_docx_page = [r["from_page"] for r in rows if r["agency"] == "ITU"]
    assert itu_docx_page == [None]  # the earlier ITU edition is a DOCX: no pages


def test_one_review_across_agencies(db_path: Path) -> None:
    rows = get_json(
        db_path, f"/rectrack/review_across_agencies.json?_shape=array&review_symbol={R2}"
    )
    want = sorted(
        (x.a.rec_number, x.agency, x.a.acceptance, x.a.implementation, x.source_file, x.page)
        for x in latest().values()
        if x.a.review_symbol == R2
    )
    got = [
        (
            r["rec_number"],
            r["agency"],
            r["acceptance"],
            r["implementation"],
            r["source_file"],
            r["page"],
        )
        for r in rows
    ]
    assert got == want
    assert {r["review_symbol"] for r in rows} == {R2}


def test_assessment_views_have_the_facets(db_path: Path) -> None:
    data = get_json(db_path, "/rectrack/v_latest_status.json?_shape=objects")
    facets = data["facet_results"]
    assert {"agency", "acceptance", "implementation", "addressee"} <= set(facets)
    agency_counts = {f["value"]: f["count"] for f in facets["agency"]["results"]}
    assert agency_counts == {
        agency: sum(1 for x in latest().values() if x.agency == agency)
        for agency in expected_rates()
    }


def test_a_non_sqlite_database_is_refused_with_a_reason() -> None:
    with pytest.raises(RectrackError, match="SQLite files only"):
        make_datasette("postgresql+psycopg://user@localhost/db")
    result = CliRunner().invoke(serve_command, ["--db", "postgresql+psycopg://u@localhost/x"])
    assert result.exit_code == 2
    assert "SQLite files only" in result.output


def test_a_missing_database_file_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(RectrackError, match="rectrack run"):
        make_datasette(tmp_path / "nothing.sqlite")
