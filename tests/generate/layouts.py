"""Layouts: how each kind of report prints a :class:`DocSpec` as a :class:`Plan`.

Wording (labels, column names, annex titles) comes from layouts.yaml; this module only
arranges it. Each function takes the spec and the variant, since some layouts vary more than
column order (the key/value layout permutes its key rows).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from .data import content, layout
from .plan import Item, PBreak, PCell, Plan, PPara, PTable
from .spec import DocSpec, ExpectedRecord
from .variant import Variant

ROMAN = ("I", "II", "III", "IV", "V")


def _date(iso: str, upper: bool = False, us: bool = False) -> str:
    d = date.fromisoformat(iso)
    text = f"{d:%B} {d.day}, {d.year}" if us else f"{d.day} {d:%B} {d.year}"
    return text.upper() if upper else text


def _fill(text: str, spec: DocSpec, **kw: str) -> str:
    return text.format(agency=spec.agency, **{**spec.extra, **kw})


def _title_block(spec: DocSpec, us_dates: bool = False) -> list[Item]:
    items: list[Item] = []
    if spec.document_symbol:
        items.append(PPara(spec.document_symbol, "right"))
    items += [
        PPara("ORIGINAL: ENGLISH", "right"),
        PPara(f"DATE: {_date(spec.date, us=us_dates)}", "right"),
        PPara(spec.agency_name, "title"),
    ]
    if spec.body:
        items.append(PPara(spec.body, "heading"))
    if spec.session:
        items.append(PPara(spec.session, "body"))
    items.append(PPara(spec.title.upper(), "heading"))
    items.append(PPara("prepared by the Secretariat", "body"))
    return items


def _intro(spec: DocSpec) -> list[Item]:
    as_of = f" as at {_date(spec.as_of)}" if spec.as_of else ""
    return [
        PPara(f"1. This document provides an overview of the status of acceptance and "
              f"implementation{as_of} of the recommendations of the Joint Inspection Unit (JIU) "
              f"relevant to the {spec.agency_name} ({spec.agency}).", "body"),
        PPara("2. The current status reflects the Secretariat's assessment for consideration "
              "by Member States.", "body"),
    ]


# --- 1. key/value tables under annex titles -------------------------------------------------

def wipo_kv(spec: DocSpec, variant: Variant) -> Plan:
    lay = layout("wipo_kv")
    keys = lay["keys"]
    rng = random.Random(variant.column_seed)
    notes = random.Random(spec.name)  # a distractor note, the same in every variant
    items = [*_title_block(spec, us_dates=True), *_intro(spec)]
    as_of = _date(spec.as_of, upper=True, us=True) if spec.as_of else ""
    for annex, addressee in enumerate(("legislative_body", "executive_head")):
        recs = [r for r in spec.records if r.addressee == addressee]
        if not recs:
            continue
        items += [PBreak(), PPara(f"ANNEX {ROMAN[annex]}", "annex"),
                  PPara(_fill(lay["annex_titles"][addressee], spec, as_of=as_of), "annex")]
        current: str | None = None
        for rec in recs:
            if rec.review_symbol != current:
                current = rec.review_symbol
                items.append(PPara(f"{rec.review_symbol} “{rec.review_title}”", "heading"))
            note = ""
            if rec.previous_label:
                note = f"Previously “{rec.previous_label}”"
            elif notes.random() < 0.3:
                note = "No change from previous status"
            rows = [
                [PCell(f"{keys['assessment']}", shade=True), PCell(rec.comment or ""), PCell()],
                [PCell(keys["acceptance"], shade=True), PCell(rec.acceptance_label or ""),
                 PCell(note)],
                [PCell(keys["implementation"], shade=True),
                 PCell(rec.implementation_label or ""), PCell()],
                [PCell(keys["responsible"], shade=True), PCell(rec.responsible or ""), PCell()],
            ]
            if variant.column_seed is not None:
                rng.shuffle(rows)
            first = [PCell(f"{keys['recommendation']} {rec.rec_number}", bold=True, shade=True),
                     PCell(rec.rec_text), PCell()]
            items.append(PTable(header=[], body=[first, *rows], widths=[1.3, 3.4, 1.2],
                                repeat_header=False))
    return Plan(items, header_text=spec.document_symbol or "")


# --- 2. check-box matrix --------------------------------------------------------------------

def checkbox_matrix(spec: DocSpec, variant: Variant) -> Plan:
    lay = layout("checkbox_matrix")
    groups = lay["groups"]
    acc_cols = list(lay["acceptance"].items())
    impl_cols = list(lay["implementation"].items())
    people = content()["people"]
    rng = random.Random(spec.name)
    items: list[Item] = [
        PPara(spec.agency_name, "title"),
        PPara(f"{spec.body} — {spec.session}" if spec.body else spec.agency, "body"),
        PPara(spec.document_symbol or "", "right"),
        PPara(spec.title.upper(), "heading"),
        PPara("Table 1", "small"),
    ]
    focal = {sym: rng.choice(people)[0] for sym, _ in spec.reviews}
    items.append(PTable(
        header=[[PCell("REPORT NUMBER", bold=True, shade=True),
                 PCell("REPORT TITLE", bold=True, shade=True),
                 PCell(f"{spec.agency} FOCAL POINT", bold=True, shade=True)]],
        body=[[PCell(s or ""), PCell(t or ""), PCell(focal[s])] for s, t in spec.reviews],
        widths=[1.2, 4.0, 2.0]))
    items.append(PBreak())
    n_cols = 3 + len(acc_cols) + len(impl_cols)
    head1 = [PCell(groups["recommendation"], span=2, bold=True, shade=True),
             PCell(groups["acceptance"], span=len(acc_cols), bold=True, shade=True),
             PCell(groups["implementation"], span=len(impl_cols), bold=True, shade=True),
             PCell(_fill(groups["comments"], spec), bold=True, shade=True)]
    head2 = [PCell(h, bold=True, shade=True) for h in lay["subheads"]]
    head2 += [PCell(label, bold=True, shade=True) for _, label in acc_cols + impl_cols]
    head2.append(PCell(shade=True))
    for symbol, title in spec.reviews:
        items.append(PPara(f"{symbol} {title}", "heading"))
        items.append(PPara(f" - {spec.agency} Focal Point: {focal[symbol]}", "body"))
        body: list[list[PCell]] = []
        for rec in (r for r in spec.records if r.review_symbol == symbol):
            lead = PCell(f"Recommendation {rec.rec_number}: {rec.rec_text}", span=2)
            if rec.acceptance == "not_applicable":
                body.append([lead, PCell(lay["information_only"], span=n_cols - 3), PCell()])
                continue
            ticks = [PCell(variant.tick if rec.acceptance == v else "", center=True, mark=True)
                     for v, _ in acc_cols]
            ticks += [PCell(variant.tick if rec.implementation == v else "", center=True,
                            mark=True) for v, _ in impl_cols]
            body.append([lead, *ticks, PCell(rec.comment or "")])
        widths = [1.6, 1.6] + [0.55] * len(acc_cols) + [0.55] * len(impl_cols) + [1.6]
        widths[2 + len(acc_cols) - 1] = 0.75  # 'Requires further consideration'
        items.append(PTable(header=[head1, head2], body=body, widths=widths))
    return Plan(items, header_text=spec.document_symbol or "")


# --- 3. management response matrix ----------------------------------------------------------

def response_matrix(spec: DocSpec, variant: Variant) -> Plan:
    lay = layout("response_matrix")
    c = content()
    rng = random.Random(spec.name)
    items: list[Item] = [
        PPara(f"Background Note: Briefing to the {spec.body}, {spec.session}", "title"),
        PPara(f"“{spec.title}”", "heading"),
        PPara("I. Introduction", "heading"),
        PPara(f"1. This background paper outlines the actions taken by {spec.agency} to "
              "implement the recommendations of the independent review, a summary of which is "
              "provided in the updated management response matrix below.", "body"),
        PPara("II. Updated management response matrix", "heading"),
    ]
    header = [[PCell(_fill(h, spec), bold=True, shade=True) for h in lay["columns"]]]
    body: list[list[PCell]] = []
    for rec in spec.records:
        text = rec.rec_text.removeprefix(rec.rec_title or "").strip()
        prose = _fill(lay["acceptance_prose"][rec.acceptance], spec)
        plan = " ".join(rng.sample(c["plan_paragraphs"], rng.randint(2, 3)))
        update = " ".join(rng.sample(c["update_paragraphs"], rng.randint(1, 3)))
        body.append([PCell(str(rec.rec_number)), PCell(text, title=rec.rec_title),
                     PCell(rec.priority or ""), PCell(f"{prose} {plan}"),
                     PCell(rec.implementation_label or ""), PCell(update)])
    items.append(PTable(header=header, body=body, widths=[0.3, 2.6, 0.6, 2.4, 1.0, 1.9],
                        split_in_row=True, permutable=True, fixed_leading=2))
    return Plan(items, header_text=spec.document_symbol or "")


# --- 4. invented registers, one row per recommendation --------------------------------------

def _cells(rec: ExpectedRecord, cols: dict[str, str]) -> list[PCell]:
    values = {
        "review": rec.review_symbol or "", "number": str(rec.rec_number),
        "addressee": rec.addressee_label or "", "text": rec.rec_text,
        "acceptance": rec.acceptance_label or "", "implementation": rec.implementation_label or "",
        "target": rec.target or "", "responsible": rec.responsible or "",
    }
    return [PCell(values[k]) for k in cols]


def agreed_rows(spec: DocSpec, variant: Variant) -> Plan:
    cols: dict[str, str] = layout("agreed_rows")["columns"]
    widths = {"review": 1.0, "number": 0.45, "addressee": 0.65, "text": 3.0, "acceptance": 0.9,
              "implementation": 1.0, "target": 0.7, "responsible": 1.0}
    as_of = f"Status as at {_date(spec.as_of)}" if spec.as_of else ""
    items: list[Item] = [*_title_block(spec), *_intro(spec),
                         PPara("Table 1. JIU reports covered", "small"),
                         PTable(header=[[PCell("Symbol", bold=True), PCell("Title", bold=True)]],
                                body=[[PCell(s or ""), PCell(t or "")] for s, t in spec.reviews],
                                widths=[1.0, 4.0]),
                         PPara(f"Table 2. Recommendations of the JIU. {as_of}", "small")]
    items.append(PTable(
        header=[[PCell(v, bold=True, shade=True) for v in cols.values()]],
        body=[_cells(r, cols) for r in spec.records],
        widths=[widths[k] for k in cols], permutable=True))
    return Plan(items, header_text=spec.document_symbol or "")


def response_rows(spec: DocSpec, variant: Variant) -> Plan:
    cols: dict[str, str] = layout("response_rows")["columns"]
    order = ["text", "number", "review", "acceptance", "implementation", "responsible", "target"]
    widths = {"review": 0.9, "number": 0.6, "text": 3.0, "acceptance": 0.9,
              "implementation": 1.1, "target": 0.8, "responsible": 1.0}
    as_of = f" (status as at {_date(spec.as_of)})" if spec.as_of else ""
    body: list[list[PCell]] = []
    for symbol, title in spec.reviews:
        body.append([PCell(f"{symbol}: {title}", span=len(order), bold=True, shade=True)])
        body += [_cells(r, {k: cols[k] for k in order}) for r in spec.records
                 if r.review_symbol == symbol]
    items: list[Item] = [*_title_block(spec), *_intro(spec),
                         PPara(f"Annex. Implementation of JIU recommendations{as_of}", "annex"),
                         PTable(header=[[PCell(cols[k], bold=True, shade=True) for k in order]],
                                body=body, widths=[widths[k] for k in order], permutable=True)]
    return Plan(items, header_text=spec.document_symbol or "")


# --- 5. negatives: tables that hold no status -----------------------------------------------

def budget(spec: DocSpec, variant: Variant) -> Plan:
    rng = random.Random(spec.name)
    cols = [h.format(y0=2022, y1=2023) for h in layout("budget")["columns"]]
    body = []
    for prog in content()["programmes"]:
        a = rng.randint(800, 60000) * 1000
        b = int(a * rng.uniform(0.85, 1.2))
        body.append([PCell(prog), PCell(f"{a:,}"), PCell(f"{b:,}"),
                     PCell(f"{(b - a) / a * 100:+.1f}")])
    return Plan([*_title_block(spec), *_intro(spec), PPara("Table 1. Resources (in US dollars)",
                                                          "small"),
                 PTable(header=[[PCell(h, bold=True, shade=True) for h in cols]], body=body,
                        widths=[3.0, 1.2, 1.2, 0.8], permutable=True, fixed_leading=1)],
                header_text=spec.document_symbol or "")


def participants(spec: DocSpec, variant: Variant) -> Plan:
    cols = layout("participants")["columns"]
    body = [[PCell(n), PCell(o), PCell(t)] for n, o, t in content()["people"]]
    return Plan([*_title_block(spec), PPara("Annex I – List of Participants", "annex"),
                 PTable(header=[[PCell(h, bold=True, shade=True) for h in cols]], body=body,
                        widths=[2.0, 1.5, 3.0], permutable=True)],
                header_text=spec.document_symbol or "")


def contents(spec: DocSpec, variant: Variant) -> Plan:
    cols = layout("contents")["columns"]
    body = [[PCell(ROMAN[i] if i < len(ROMAN) else ""), PCell(t), PCell(str(3 + 2 * i))]
            for i, t in enumerate(content()["contents"])]
    return Plan([*_title_block(spec), PPara("Table of Contents", "heading"),
                 PTable(header=[[PCell(h, bold=True) for h in cols]], body=body,
                        widths=[0.6, 5.0, 0.6]), *_intro(spec)],
                header_text=spec.document_symbol or "")


LAYOUTS: dict[str, Callable[[DocSpec, Variant], Plan]] = {
    "wipo_kv": wipo_kv,
    "checkbox_matrix": checkbox_matrix,
    "response_matrix": response_matrix,
    "agreed_rows": agreed_rows,
    "response_rows": response_rows,
    "budget": budget,
    "participants": participants,
    "contents": contents,
}


def plan_for(spec: DocSpec, variant: Variant) -> Plan:
    """The layout's plan for ``spec``; refuses a variant the layout cannot be read from."""
    lay: dict[str, Any] = layout(spec.layout)
    if variant.rules == "none" and lay.get("rules_required"):
        raise ValueError(f"layout {spec.layout!r} needs ruled cells; rules='none' not allowed")
    return LAYOUTS[spec.layout](spec, variant)
