"""Datasette over a database built from code, queried in-process through ``ds.client``."""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from core.errors import RectrackError
from rectrack.serve import (
    SETTINGS,
    SQL_TIME_LIMIT_MS,
    load_metadata,
    make_datasette,
    public_views,
    serve_command,
)
from tests.rectrack.oversight_fixture import (
    ACCEPTED,
    DECIDED,
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


def get_html(db_path: Path, path: str) -> str:
    async def fetch() -> str:
        ds = make_datasette(db_path)
        await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return str(response.text)

    return asyncio.run(fetch())


def _cells(page: str, table_class: str) -> list[list[str]]:
    """The text of each body row's cells in the first <table> with ``table_class``."""
    table = page.split(f'class="rows-and-columns {table_class}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_home_page_opens_on_the_rates_as_percentages_with_their_rows(db_path: Path) -> None:
    page = get_html(db_path, "/")
    assert "0 rows in 1 table" not in page and "unmapped_labels" not in page
    rows = {r[0]: [r[0], *r[2:]] for r in _cells(page, "rates")}
    assert {r[1] for r in _cells(page, "rates")} == {"other"}  # the fixture's body
    expected = expected_rates()
    assert set(rows) == set(expected)
    for agency, want in expected.items():
        row = rows[agency]
        assert row[1:4] == [
            str(want["recommendations"]),
            str(want["accepted"]),
            f"{want['acceptance_rate']:.1%}",
        ], agency
        assert row[4:6] == [str(want["implemented"]), f"{want['implementation_rate']:.1%}"]
        left_out = sum(
            1 for x in latest().values() if x.agency == agency and x.a.acceptance not in DECIDED
        )
        assert row[6] == str(left_out), agency
        for flt in ("counted__gt=0", "accepted__gt=0", "implemented__gt=0", "counted__lt=1"):
            assert f'href="/rectrack/v_rate_rows?agency={agency}&amp;body=other&amp;{flt}"' in page
    for query in ("rates_by_agency", "open_by_age", "reviews", "review_across_agencies"):
        assert f'href="/rectrack/{query}"' in page
    assert page.index('id="rates"') < page.index('id="queries"') < page.index('id="views"')
    assert "unknown" in page  # the footnote on what the denominator leaves out


def test_a_rate_link_lists_exactly_the_rows_it_counts(db_path: Path) -> None:
    """What the home page's links open add up to v_rates' counts (Datasette compares a
    view's 0/1 flag with a typed "1" as text, so the links must use a numeric filter)."""
    for agency, want in expected_rates().items():
        for column, key, flt in (
            ("counted", "recommendations", "counted__gt=0"),
            ("accepted", "accepted", "accepted__gt=0"),
            ("implemented", "implemented", "implemented__gt=0"),
        ):
            data = get_json(
                db_path, f"/rectrack/v_rate_rows.json?_shape=array&agency={agency}&{flt}"
            )
            assert len(data) == want[key], (agency, column)
            assert all(r["source_file"] and r[column] == 1 for r in data)


def test_rates_are_shown_as_percentages_in_every_html_page(db_path: Path) -> None:
    expected = expected_rates()
    wipo = expected["WIPO"]["acceptance_rate"]
    for path in ("/rectrack/v_rates", "/rectrack/rates_by_agency"):
        page = get_html(db_path, path)
        assert f">{wipo:.1%}<" in page, path
    raw = get_json(db_path, "/rectrack/v_rates.json?_shape=array")
    assert {r["agency"]: r["acceptance_rate"] for r in raw}["WIPO"] == pytest.approx(wipo)


def test_reviews_query_links_each_review_to_its_recommendations(db_path: Path) -> None:
    rows = get_json(db_path, "/rectrack/reviews.json?_shape=array")
    symbols = {x.a.review_symbol for x in latest().values()}
    assert {r["review_symbol"] for r in rows} == symbols
    for row in rows:
        agencies = {
            x.agency for x in latest().values() if x.a.review_symbol == row["review_symbol"]
        }
        assert row["agencies"] == len(agencies)
    page = get_html(db_path, "/rectrack/reviews")
    link = "/rectrack/review_across_agencies?" + urlencode({"review_symbol": R2})
    assert f'href="{html.escape(link)}"' in page


def test_long_text_is_shown_whole_and_wraps(db_path: Path) -> None:
    page = get_html(db_path, "/rectrack/v_latest_status")
    text = next(iter(latest().values())).a.rec_text
    assert text in page  # not truncated
    css = get_html(db_path, "/-/rectrack.css")
    assert ".col-rec_text" in css and "white-space: normal" in css
    assert '<link rel="stylesheet" href="/-/rectrack.css">' in page


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_serving_never_writes_the_database(tmp_path: Path) -> None:
    db = build_db(tmp_path / "rectrack.sqlite")
    before = _digest(db)
    for path in ("/", "/rectrack/v_rates", "/rectrack/reviews", "/rectrack/v_latest_status"):
        get_html(db, path)
    assert _digest(db) == before


def test_an_out_of_date_database_is_refused_not_migrated(tmp_path: Path) -> None:
    db = build_db(tmp_path / "old.sqlite")
    con = sqlite3.connect(db)
    con.execute("update view_definitions set sha256 = 'old' where name = 'v_rates'")
    con.commit()
    con.close()
    before = _digest(db)
    with pytest.raises(RectrackError, match="serve does not change the database"):
        make_datasette(db)
    assert _digest(db) == before
    assert sqlite3.connect(db).execute(
        "select sha256 from view_definitions where name = 'v_rates'"
    ).fetchone() == ("old",)


def test_serve_creates_no_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "x.sqlite"
    result = CliRunner().invoke(serve_command, ["--db", str(target)])
    assert result.exit_code == 2
    assert f"no database at {target}" in result.output
    assert not (tmp_path / "no").exists()


@pytest.mark.slow
def test_queries_have_a_time_limit(db_path: Path) -> None:
    slow = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 10000000000) "
        "select count(*) from n"
    )

    async def fetch() -> Any:
        ds = make_datasette(db_path, sql_time_limit_ms=200)
        await ds.invoke_startup()
        started = time.monotonic()
        response = await ds.client.get("/rectrack.json?" + urlencode({"sql": slow}))
        return response, time.monotonic() - started

    response, took = asyncio.run(fetch())
    assert response.status_code == 400
    assert "interrupted" in response.text.lower() or "time limit" in response.text.lower()
    assert took < 60  # unbounded, the query would run for many minutes (machine load aside)
    assert SETTINGS["sql_time_limit_ms"] == SQL_TIME_LIMIT_MS <= 10_000


def test_query_parameters_are_offered_as_lists(db_path: Path) -> None:
    """The review and agency boxes of the canned queries list the values the data holds."""
    page = get_html(db_path, "/rectrack/review_across_agencies")
    match = re.search(r"const choices = (\{.*?\});\n", page)
    assert match, "no choices script on the query page"
    choices = json.loads(match.group(1).replace("<\\/", "</"))
    assert [v for v, _ in choices["review_symbol"]] == sorted(
        {x.a.review_symbol for x in latest().values()}
    )
    assert all(label for _, label in choices["review_symbol"])  # each with its title
    assert [v for v, _ in choices["agency"]] == sorted(expected_rates())
    assert 'input[name="${name}"]' in page and "datalist" in page
    assert "const choices" not in get_html(db_path, "/rectrack/v_rates")  # query pages only
