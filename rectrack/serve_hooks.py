"""Datasette hooks for ``rectrack serve``: a home page that opens on the answer (the rates per
agency, each count linked to its rows, then the canned queries and the views), rates shown as
percentages, review symbols linked to the review across agencies, and readable long text.

The hooks act only on a Datasette instance made by :func:`rectrack.serve.make_datasette`
(marked with :data:`MARK`), so registering them in a process changes no other instance.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from load.views import VIEWS

#: Attribute set on the Datasette instance rectrack serves: the database's name.
MARK = "rectrack_database"
#: The canned query one review's recommendations are read with; review symbols link to it.
REVIEW_QUERY = "review_across_agencies"
CSS_PATH = "/-/rectrack.css"
#: The views most readers want, listed first on the home page (the rest follow in contract order).
FIRST_VIEWS = ("v_latest_status", "v_rates", "v_rate_rows", "v_status_changes", "v_open_by_age")
#: Rate columns of v_rates and the rows of v_rate_rows each count is the sum of.
COUNT_FILTERS = {
    "recommendations": {"counted__gt": "0"},
    "accepted": {"accepted__gt": "0"},
    "implemented": {"implemented__gt": "0"},
}


def register() -> None:
    """Register these hooks with Datasette's plugin manager (once per process)."""
    import sys

    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name="rectrack")


def served(datasette: Any) -> str | None:
    """The name of the database rectrack serves on this instance, or None (not ours)."""
    return getattr(datasette, MARK, None)


def percent(value: Any) -> str | None:
    """A rate (0..1) as a person reads it, e.g. 0.8333 -> '83.3%'."""
    if isinstance(value, float):
        return f"{value:.1%}"
    return None


@hookimpl
def render_cell(value: Any, column: str, database: str, datasette: Any) -> Any:
    if served(datasette) != database:
        return None
    if column.endswith("_rate"):
        return percent(value)
    if column == "review_symbol" and isinstance(value, str) and value:
        href = f"{datasette.urls.database(database)}/{REVIEW_QUERY}?" + urlencode(
            {"review_symbol": value}
        )
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None


@hookimpl
def extra_body_script(template: str, database: str | None, datasette: Any) -> Any:
    """On a canned query's page, each parameter with known values (metadata.yaml's
    ``parameter_choices``: the reviews, the agencies) gets them as a list under its box."""
    if template != "query.html" or database is None or served(datasette) != database:
        return None
    config = datasette.plugin_config("rectrack", database=database) or {}
    queries: dict[str, str] = config.get("parameter_choices", {})

    async def script() -> str:
        db = datasette.get_database(database)
        choices = {
            name: [[r["value"], r["label"]] for r in (await db.execute(sql)).rows]
            for name, sql in queries.items()
        }
        data = json.dumps(choices, ensure_ascii=False).replace("</", "<\\/")
        return CHOICES_SCRIPT.replace("CHOICES", data)

    return script


#: Adds a <datalist> of the choices to every input named like a parameter with choices.
CHOICES_SCRIPT = """
(function () {
  const choices = CHOICES;
  for (const [name, options] of Object.entries(choices)) {
    document.querySelectorAll(`input[name="${name}"]`).forEach((input) => {
      const list = document.createElement("datalist");
      list.id = `rectrack-choices-${name}`;
      for (const [value, label] of options) {
        const option = document.createElement("option");
        option.value = value;
        if (label) option.label = label;
        list.appendChild(option);
      }
      input.after(list);
      input.setAttribute("list", list.id);
      input.setAttribute("autocomplete", "off");
      input.placeholder = `pick from ${options.length} or type`;
    });
  }
})();
"""


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [CSS_PATH] if served(datasette) else []


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    if not served(datasette):
        return []
    return [(r"^/$", home), (r"^/-/rectrack\.css$", stylesheet)]


async def stylesheet() -> Response:
    css = resources.files(__package__).joinpath("templates", "rectrack.css").read_text("utf-8")
    return Response(css, content_type="text/css; charset=utf-8")


async def home(datasette: Any, request: Any) -> Response:
    """The rates per agency with links to the rows behind every count, then the canned
    queries and the views, each with its description."""
    name = served(datasette)
    assert name is not None
    db = datasette.get_database(name)
    database_url = datasette.urls.database(name)

    def rows_url(view: str, **filters: str) -> str:
        query = f"?{urlencode(filters)}" if filters else ""
        return f"{database_url}/{view}{query}"

    left_out = {
        (r["agency"], r["body"]): r["n"]
        for r in (
            await db.execute(
                "select agency, body, count(*) as n from v_rate_rows where counted = 0 "
                "group by agency, body"
            )
        ).rows
    }
    rates = []
    for row in (await db.execute("select * from v_rates order by agency, body")).rows:
        key = {"agency": row["agency"], "body": row["body"]}
        rates.append(
            {
                **key,
                "rows_url": rows_url("v_rate_rows", **key),
                "counts": {
                    col: (row[col], rows_url("v_rate_rows", **key, **flt))
                    for col, flt in COUNT_FILTERS.items()
                },
                "acceptance_rate": percent(row["acceptance_rate"]) or "–",
                "implementation_rate": percent(row["implementation_rate"]) or "–",
                "left_out": (
                    left_out.get((row["agency"], row["body"]), 0),
                    rows_url("v_rate_rows", **key, counted__lt="1"),
                ),
            }
        )
    queries = await datasette.get_canned_queries(name, request.actor)
    tables = datasette.metadata("tables", database=name, fallback=False) or {}
    present = set(await db.view_names())
    order = [v for v in FIRST_VIEWS if v in VIEWS] + [v for v in VIEWS if v not in FIRST_VIEWS]
    views = [
        {"name": v, "url": rows_url(v), "description": tables.get(v, {}).get("description", "")}
        for v in order
        if v in present
    ]
    context = {
        "database": name,
        "database_url": database_url,
        "metadata": datasette.metadata(),
        "rates": rates,
        "rate_rows_url": rows_url("v_rate_rows"),
        "queries": [
            {
                "title": q.get("title") or q["name"],
                "description": q.get("description", ""),
                "url": f"{database_url}/{q['name']}",
            }
            for q in queries.values()
        ],
        "views": views,
    }
    html = await datasette.render_template("rectrack_home.html", context, request=request)
    return Response.html(html)
