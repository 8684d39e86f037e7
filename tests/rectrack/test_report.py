"""The static report: offline page, charts whose numbers agree with v_rates, rows behind them."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from load import open_db
from load.export import read_view
from rectrack.charts import change_counts, rate_annotations, rates_chart, status_mix_chart
from rectrack.report import build_report, report_command
from tests.rectrack.oversight_fixture import build_db, expected_changes, expected_rates, latest


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
        (r.agency, r.review_symbol, int(r.rec_number), r.source_file, str(r.page))
        for r in table.itertuples(index=False)
    }
    want = {
        (
            x.agency,
            x.a.review_symbol,
            x.a.rec_number,
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
    assert "No rows." in index.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "changes.png").is_file()


def test_report_command_names_a_missing_database(tmp_path: Path) -> None:
    missing = CliRunner().invoke(
        report_command, ["--db", str(tmp_path / "no.sqlite"), "--out", str(tmp_path / "x")]
    )
    assert missing.exit_code == 2
    assert "rectrack run" in missing.output
    assert not (tmp_path / "x").exists()
