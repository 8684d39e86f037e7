"""Charts drawn from the public views' rows, shared by the static report and the notebook.

Each function takes the rows of one view as a DataFrame (exactly what ``SELECT * FROM view``
returns) and returns a matplotlib :class:`~matplotlib.figure.Figure` built without pyplot, so
it works headless (no display, no global state) and in Jupyter alike. Counts are printed on
the bars ("12/15") so a reader never has to trust a rate without its denominator.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Any

import pandas as pd
from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from pydantic import Field

from core import datafile
from core.datafile import Strict

RATE_BARS = (
    # (rate column, numerator, denominator, legend label)
    ("acceptance_rate", "accepted", "recommendations", "accepted / recommendations"),
    ("implementation_rate", "implemented", "accepted", "implemented / accepted"),
)


Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class RateColours(Strict):
    acceptance_rate: Colour
    implementation_rate: Colour


class Palette(Strict):
    """charts.yaml: per scheme field, its values in segment order with their colours."""

    acceptance: dict[str, Colour]
    implementation: dict[str, Colour]
    rates: RateColours
    other: Colour


@cache
def palette() -> dict[str, Any]:
    """Segment order and colours per scheme field, from charts.yaml (checked on first use:
    a typo in it is a one-line error naming the file, line and key)."""
    resource = resources.files(__package__).joinpath("charts.yaml")
    text = resource.read_text(encoding="utf-8")
    return datafile.parse(text, Palette, str(resource)).model_dump()


def ordered_values(field: str, present: list[str]) -> list[str]:
    """Values of ``field`` in charts.yaml's order, then any others seen, alphabetically."""
    known = list(palette().get(field, {}))
    return [v for v in known if v in present] + sorted(v for v in present if v not in known)


def colour(field: str, value: str) -> str:
    colours: dict[str, str] = palette().get(field, {})
    return colours.get(value, palette()["other"])


def rate_annotations(rates: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(agency, rate column, "numerator/denominator") for every bar of :func:`rates_chart`."""
    out = []
    keys = [k for k in ("agency", "body") if k in rates.columns]
    for row in rates.sort_values(keys).itertuples(index=False):
        for rate, num, den, _ in RATE_BARS:
            out.append(
                (str(row.agency), rate, f"{int(getattr(row, num))}/{int(getattr(row, den))}")
            )
    return out


def bar_label(row: dict[str, Any]) -> str:
    """The agency, and under it the oversight body when v_rates splits by body."""
    body = row.get("body")
    return f"{row['agency']}\n{body}" if isinstance(body, str) and body else str(row["agency"])


def rates_chart(rates: pd.DataFrame) -> Figure:
    """Acceptance and implementation rate per agency (rows of v_rates), counts on each bar."""
    keys = [k for k in ("agency", "body") if k in rates.columns]
    rates = rates.sort_values(keys).reset_index(drop=True)
    # wide enough for each bar's counts, never wider than the page shows at full size
    fig = Figure(figsize=(min(14.0, max(9.0, 1.1 * len(rates) + 4)), 4.5), layout="constrained")
    ax = fig.add_subplot()
    width = 0.38
    for i, (rate, num, den, label) in enumerate(RATE_BARS):
        xs = [x + (i - 0.5) * width for x in range(len(rates))]
        heights = [0.0 if pd.isna(v) else float(v) for v in rates[rate]]
        bars = ax.bar(xs, heights, width, label=label, color=palette()["rates"][rate])
        # a rate over nothing is "no rate", said once per agency (no decided recommendation
        # means none accepted either), never a 0% bar
        texts = [
            f"{int(n)}/{int(d)}" if d else ("no rate\n0/0" if i == 0 or first else "")
            for n, d, first in zip(rates[num], rates[den], rates["recommendations"], strict=True)
        ]
        ax.bar_label(bars, labels=texts, padding=2, fontsize=9)
    ax.set_xticks(range(len(rates)), [bar_label(r) for r in rates.to_dict("records")])
    ax.set_ylim(0, 1.15)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("rate")
    ax.set_title("Acceptance and implementation rate by agency (latest status)", fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    if rates.empty:
        _say(ax, "no recommendations loaded")
    return fig


def status_mix_chart(
    latest: pd.DataFrame, fields: tuple[str, ...] = ("acceptance", "implementation")
) -> Figure:
    """Per agency, how many recommendations have each status (rows of v_latest_status),
    one stacked horizontal bar per agency and one panel per field."""
    agencies = sorted(str(a) for a in latest["agency"].dropna().unique())
    fig = Figure(
        figsize=(10, 1.2 + 0.9 * max(len(agencies), 1) * len(fields)), layout="constrained"
    )
    axes = fig.subplots(len(fields), 1, squeeze=False)[:, 0]
    for ax, field in zip(axes, fields, strict=True):
        counts = (
            latest.groupby(["agency", field]).size().unstack(fill_value=0).reindex(agencies)
            if not latest.empty
            else pd.DataFrame(index=agencies)
        )
        left = [0] * len(agencies)
        for value in ordered_values(field, [str(c) for c in counts.columns]):
            widths = [int(v) for v in counts[value].fillna(0)]
            bars = ax.barh(agencies, widths, left=left, color=colour(field, value), label=value)
            ax.bar_label(
                bars, labels=[str(w) if w else "" for w in widths], label_type="center", fontsize=8
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.invert_yaxis()
        ax.set_title(f"{field.capitalize()} status by agency (latest status, count)", fontsize=11)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        ax.set_xlabel("recommendations")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if latest.empty:
            _say(ax, "no recommendations loaded")
    return fig


def transition(row: Any) -> str:
    """How one v_status_changes row changed: the implementation move, else the acceptance one."""
    if row.from_implementation != row.to_implementation:
        return f"{row.from_implementation} → {row.to_implementation}"
    return f"acceptance: {row.from_acceptance} → {row.to_acceptance}"


def change_counts(changes: pd.DataFrame) -> pd.DataFrame:
    """Count of changes per transition (rows) and agency (columns), most frequent first."""
    if changes.empty:
        return pd.DataFrame()
    kinds = changes.assign(transition=[transition(r) for r in changes.itertuples(index=False)])
    counts = kinds.groupby(["transition", "agency"]).size().unstack(fill_value=0)
    return counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def changes_chart(changes: pd.DataFrame) -> Figure:
    """Status changes between consecutive editions (rows of v_status_changes), by transition,
    stacked by agency."""
    counts = change_counts(changes)
    fig = Figure(figsize=(10, 1.5 + 0.45 * max(len(counts), 2)), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("Status changes between consecutive editions of an agency's report", fontsize=11)
    if counts.empty:
        _say(ax, "no changes between editions (or no agency has two editions loaded)")
        ax.set_axis_off()
        return fig
    labels = [str(t) for t in counts.index]
    left = [0] * len(labels)
    cycle = [c["color"] for c in rcParams["axes.prop_cycle"]]
    for i, agency in enumerate(counts.columns):
        widths = [int(v) for v in counts[agency]]
        bars = ax.barh(labels, widths, left=left, color=cycle[i % len(cycle)], label=str(agency))
        ax.bar_label(
            bars, labels=[str(w) if w else "" for w in widths], label_type="center", fontsize=8
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("recommendations")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    return fig


def _say(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#555555")
