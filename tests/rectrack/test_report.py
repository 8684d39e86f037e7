"""The static report: offline page, charts whose numbers agree with v_rates, rows behind them."""

from __future__ import annotations

import dataclasses
import html
import re
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from load import load_document, open_db
from load.export import read_view
from rectrack.charts import change_counts, rate_annotations, rates_chart, status_mix_chart
from rectrack.report import build_report, report_command
from tests.rectrack.oversight_fixture import (
    DECIDED,
    build_db,
    documents,
    expected_changes,
    expected_rates,
    latest,
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("report") / "rectrack.sqlite")


@pytest.fixture(scope="module")
def report(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report as `rectrack report` writes it."""
    out = tmp_path_factory.mktemp("out") / "report"
    result = CliRunner().invoke(report_command, ["--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out / "index.html") in result.output
    return out / "index.html"


@pytest.fixture(scope="module")
def v_rates(db_path: Path) -> pd.DataFrame:
    engine = open_db(str(db_path))
    try:
        return read_view(engine, "v_rates")
    finally:
        engine.dispose()


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def html_tables(index: Path) -> list[pd.DataFrame]:
    return pd.read_html(StringIO(index.read_text(encoding="utf-8")), keep_default_na=False)


def test_the_page_opens_offline_and_every_link_is_a_file_beside_it(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    targets = re.findall(r'(?:src|href)="([^"#]+)"', text)
    assert {t for t in targets if t.endswith(".png")} == {
        "rates.png",
        "status_mix.png",
        "changes.png",
    }
    assert {"rates.csv", "latest_status.csv", "status_changes.csv"} <= set(targets)
    for target in targets:
        assert "://" not in target, f"{target} needs the network"
        assert (report.parent / target).is_file(), f"{target} is linked but not written"
    for png in report.parent.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 5000


def test_each_figure_is_followed_by_the_link_to_its_rows(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    for image, rows in [
        ("rates.png", "rates.csv"),
        ("status_mix.png", "latest_status.csv"),
        ("changes.png", "status_changes.csv"),
    ]:
        after = text[text.index(f'src="{image}"') :]
        assert after.index(f'href="{rows}"') < after.index("</section>")


def test_rates_csv_and_html_agree_with_v_rates_and_the_fixture(
    report: Path, v_rates: pd.DataFrame
) -> None:
    csv = pd.read_csv(report.parent / "rates.csv").sort_values("agency").reset_index(drop=True)
    view = v_rates.sort_values("agency").reset_index(drop=True)
    pd.testing.assert_frame_equal(csv, view, check_dtype=False)
    expected = expected_rates()
    for row in csv.itertuples(index=False):
        want = expected[row.agency]
        assert (row.recommendations, row.accepted, row.implemented) == (
            want["recommendations"],
            want["accepted"],
            want["implemented"],
        )
        assert row.acceptance_rate == pytest.approx(want["acceptance_rate"])
    shown = next(t for t in html_tables(report) if "acceptance_rate" in t.columns)
    percent = {r.agency: r.acceptance_rate for r in shown.itertuples(index=False)}
    assert percent == {a: f"{w['acceptance_rate']:.1%}" for a, w in expected.items()}


def test_rates_chart_shows_the_counts_of_v_rates(v_rates: pd.DataFrame) -> None:
    fig = rates_chart(v_rates)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    expected = expected_rates()
    want = {f"{w['accepted']}/{w['recommendations']}" for w in expected.values()} | {
        f"{w['implemented']}/{w['accepted']}" for w in expected.values()
    }
    assert texts == want
    assert [a for a, _, _ in rate_annotations(v_rates)] == [
        a for a in sorted(expected) for _ in "ai"
    ]
    heights = sorted(round(p.get_height(), 6) for p in bars(fig.axes[0]))
    rates = [w["acceptance_rate"] for w in expected.values()]
    rates += [w["implementation_rate"] for w in expected.values()]
    assert heights == sorted(round(float(r or 0), 6) for r in rates)


def test_status_mix_counts_every_latest_recommendation(report: Path) -> None:
    rows = pd.read_csv(report.parent / "latest_status.csv")
    fig = status_mix_chart(rows)
    for ax in fig.axes:
        total = sum(p.get_width() for p in bars(ax))
        assert total == len(latest())


def test_html_tables_give_file_and_page_for_each_recommendation(report: Path) -> None:
    table = next(t for t in html_tables(report) if {"rec_text", "addressee"} <= set(t.columns))
    got = {
        (r.agency, r.review_symbol, str(r.rec_id), r.source_file, str(r.page))
        for r in table.itertuples(index=False)
    }
    want = {
        (
            x.agency,
            x.a.review_symbol,
            str(x.a.rec_number),
            x.source_file,
            "" if x.page is None else str(x.page),
        )
        for x in latest().values()
    }
    assert got == want


def test_changes_rows_and_chart_match_the_fixture(report: Path) -> None:
    rows = pd.read_csv(report.parent / "status_changes.csv", keep_default_na=False)
    got = {
        (r.agency, r.review_symbol, r.rec_number, r.from_implementation, r.to_implementation)
        for r in rows.itertuples(index=False)
    }
    assert got == expected_changes()
    assert {"from_page", "to_page"} <= set(rows.columns)
    assert int(change_counts(rows).to_numpy().sum()) == len(expected_changes())


def test_an_empty_database_still_gives_a_page(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "empty.sqlite"))
    try:
        index = build_report(engine, tmp_path / "out")
    finally:
        engine.dispose()
    text = index.read_text(encoding="utf-8")
    assert "No rows." in text
    # no empty axes: each chart is replaced by one line saying why
    assert not list((tmp_path / "out").glob("*.png"))
    assert text.count("No chart: no recommendations are loaded.") == 2
    assert "No chart: no agency has two editions of its report loaded" in text


def test_report_command_names_a_missing_database(tmp_path: Path) -> None:
    missing = CliRunner().invoke(
        report_command, ["--db", str(tmp_path / "no.sqlite"), "--out", str(tmp_path / "x")]
    )
    assert missing.exit_code == 2
    assert "rectrack run" in missing.output
    assert not (tmp_path / "x").exists()


@pytest.fixture(scope="module")
def linked(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report with the source files found under a folder (nested, as a corpus may be)."""
    base = tmp_path_factory.mktemp("linked")
    for i, doc in enumerate(documents()):
        folder = base / "sources" / f"batch{i % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / doc.info.source_file).write_bytes(b"stand-in")
    out = base / "report"
    result = CliRunner().invoke(
        report_command,
        ["--db", str(db_path), "--out", str(out), "--sources", str(base / "sources")],
    )
    assert result.exit_code == 0, result.output
    return out / "index.html"


def _section(index: Path, title: str) -> str:
    text = index.read_text(encoding="utf-8")
    start = text.index(f"<h2>{title}</h2>")
    return text[start : text.index("</section>", start)]


def _links(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', fragment)]


def test_each_rate_links_to_the_rows_it_adds_up(linked: Path, v_rates: pd.DataFrame) -> None:
    section = _section(linked, "Acceptance and implementation rates")
    for row in v_rates.itertuples(index=False):
        target = f"rate_rows/{row.agency}-{row.body}.csv"
        cells = re.findall(rf'<a href="{re.escape(target)}">([^<]+)</a>', section)
        shown = {f"{row.acceptance_rate:.1%}", f"{row.implementation_rate:.1%}"}
        assert shown <= set(cells), (row.agency, cells)
        assert {str(row.recommendations), str(row.accepted), str(row.implemented)} <= set(cells)
        rows = pd.read_csv(linked.parent / target)
        assert set(rows["agency"]) == {row.agency} and set(rows["body"]) == {row.body}
        assert (rows["counted"].sum(), rows["accepted"].sum(), rows["implemented"].sum()) == (
            row.recommendations,
            row.accepted,
            row.implemented,
        )
        assert rows["source_file"].notna().all() and "page" in rows.columns
    everything = pd.read_csv(linked.parent / "rate_rows.csv")
    assert len(everything) == len(latest())


def test_each_source_file_links_to_its_page(linked: Path) -> None:
    section = _section(linked, "Status mix")
    got = set(re.findall(r'<a href="([^"]+)">([^<]+)</a>', section))
    for x in latest().values():
        href = next(h for h, t in got if t == x.source_file)
        path = html.unescape(href).partition("#")[0]
        assert (linked.parent / path).resolve().name == x.source_file
        assert (linked.parent / path).is_file(), href
    pages = {
        (text, html.unescape(href).partition("#")[2])
        for href, text in got
        if "#page=" in html.unescape(href)
    }
    want = {(x.source_file, f"page={x.page}") for x in latest().values() if x.page}
    assert want <= pages
    assert not any(t.endswith(".docx") and "#" in h for h, t in got)  # DOCX has no pages


def test_recommendations_left_out_of_the_rates_are_footnoted(linked: Path) -> None:
    section = _section(linked, "Acceptance and implementation rates")
    for agency in expected_rates():
        rows = [x for x in latest().values() if x.agency == agency]
        out = [x for x in rows if x.a.acceptance not in DECIDED]
        note = f"* {agency} (other): {len(out)} of {len(rows)} recommendations are in no rate"
        assert (note in section) == bool(out), agency
    assert "1 unknown (the document does not state an acceptance" in section
    assert "1 under consideration" in section
    assert _section(linked, "Status mix").count("recommendations are in no rate") == 2


def test_a_long_recommendation_text_can_be_read_whole(tmp_path: Path) -> None:
    long_text = " ".join(f"The executive heads should do thing number {i}." for i in range(30))
    doc = documents()[0]
    first = dataclasses.replace(doc.assessments[0], rec_text=long_text.replace(". ", ".\n"))
    engine = open_db(str(tmp_path / "long.sqlite"))
    try:
        load_document(engine, dataclasses.replace(doc, assessments=[first]))
        index = build_report(engine, tmp_path / "out")
    finally:
        engine.dispose()
    section = _section(index, "Status mix")
    assert f'<div class="whole">{html.escape(long_text)}</div>' in section
    summary = re.search(r"<summary>([^<]+)</summary>", section)
    assert summary and summary.group(1).endswith("…") and len(summary.group(1)) <= 160


def test_every_link_of_the_linked_report_opens_offline(linked: Path) -> None:
    text = linked.read_text(encoding="utf-8")
    targets = {html.unescape(t) for t in re.findall(r'(?:src|href)="([^"#]+)', text)}
    assert any(t.startswith("../sources/") for t in targets)
    for target in targets:
        assert "://" not in target, f"{target} needs the network"
        assert (linked.parent / target).is_file(), f"{target} is linked but not there"


def test_an_agency_without_a_decided_recommendation_has_no_rate_not_zero() -> None:
    rates = pd.DataFrame(
        [
            {
                "agency": "X",
                "recommendations": 0,
                "accepted": 0,
                "acceptance_rate": None,
                "implemented": 0,
                "implementation_rate": None,
            }
        ]
    )
    texts = [t.get_text() for t in rates_chart(rates).axes[0].texts]
    assert texts == ["no rate\n0/0", ""]  # said once: nothing decided, so nothing accepted
    decided = rates.assign(recommendations=2, acceptance_rate=0.0)
    texts = [t.get_text() for t in rates_chart(decided).axes[0].texts]
    assert texts == ["0/2", "no rate\n0/0"]


def test_one_rate_per_agency_and_body_each_with_its_own_rows(tmp_path: Path) -> None:
    """v_rates splits an agency by oversight body: each of its rates links to its own rows."""
    doc = documents()[0]  # WIPO: R1 1, R1 2 (accepted), R2 1 (under consideration), R2 2
    jiu = [dataclasses.replace(a, body="JIU") for a in doc.assessments[:2]]
    engine = open_db(str(tmp_path / "bodies.sqlite"))
    try:
        load_document(engine, dataclasses.replace(doc, assessments=[*jiu, *doc.assessments[2:]]))
        index = build_report(engine, tmp_path / "out")
    finally:
        engine.dispose()
    section = _section(index, "Acceptance and implementation rates")
    for body, counted in (("JIU", 2), ("other", 1)):
        target = f"rate_rows/WIPO-{body}.csv"
        assert f'<a href="{target}">{counted}</a>' in section, body
        rows = pd.read_csv(tmp_path / "out" / target)
        assert set(rows["body"]) == {body} and rows["counted"].sum() == counted
    assert "* WIPO (other): 1 of 2 recommendations are in no rate" in section
