"""Seeded sample specs: plausible JIU wording, varied symbols, numbers and outcomes.

Everything is drawn from one ``random.Random(seed)``, so the same seed gives the same
documents on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from .data import content, layout
from .spec import DocSpec, ExpectedRecord

MONTHS = ("January", "March", "June", "September", "November", "December")


def _pick_reviews(rng: random.Random, n: int) -> list[tuple[str, str]]:
    symbols: set[str] = set()
    while len(symbols) < n:
        symbols.add(f"JIU/REP/{rng.randint(2016, 2022)}/{rng.randint(1, 11)}")
    titles = rng.sample(content()["review_titles"], n)
    ordered = sorted(symbols, key=lambda s: (int(s.split("/")[2]), int(s.split("/")[3])))
    return list(zip(reversed(ordered), titles, strict=True))


def _outcome(rng: random.Random, lay: dict[str, Any]) -> tuple[str, str]:
    pairs = [(a, i) for a, i, _ in lay["outcomes"]]
    weights = [w for _, _, w in lay["outcomes"]]
    return rng.choices(pairs, weights)[0]


def _text(rng: random.Random, addressee: str, neutral: bool = False) -> tuple[str, str | None]:
    """A recommendation worded for ``addressee``; the deadline it sets itself, if any."""
    c = content()
    pool = {
        "executive_head": c["eh_templates"],
        "legislative_body": c["lb_templates"],
        "other": c["other_templates"],
    }.get(addressee, c["neutral_templates"])
    if neutral:
        pool = c["neutral_templates"]
    template = rng.choice(pool)
    year = rng.randint(2022, 2025)
    text = template.format(action=rng.choice(c["actions"]), purpose=rng.choice(c["purposes"]),
                           year=year)
    text += " " + " ".join(rng.sample(c["elaborations"], rng.randint(0, 2)))
    deadline = f"{year}-12-31" if "{year}" in template else None
    return text.strip(), deadline


def _agency(code: str, rng: random.Random) -> dict[str, str]:
    a = dict(content()["agencies"][code])
    a["code"] = code
    a["symbol"] = a["symbol"].format(n=rng.randint(2, 12))
    return a


def _fmt(label: str, agency: str) -> str:
    return label.replace("{agency}", agency)


def _base(name: str, code: str, lay: str, rng: random.Random, as_of: str | None,
          records: list[ExpectedRecord], **kw: Any) -> DocSpec:
    a = _agency(code, rng)
    return DocSpec(name=name, agency=code, agency_name=a["name"], document_symbol=a["symbol"],
                   as_of=as_of, layout=lay, records=tuple(records), body=a["body"],
                   session=a["session"], **kw)


def _completion(rng: random.Random, lay: dict[str, Any], impl: str,
                share_key: str = "completed_year_share") -> tuple[str | None, int | None]:
    """Implementation label and completion year for an outcome."""
    if impl == "not_applicable":
        return None, None
    if impl == "implemented" and "completed" in lay and rng.random() < lay.get(share_key, 0):
        year = rng.randint(2019, 2022)
        return lay["completed"].format(year=year, month=rng.choice(MONTHS)), year
    return lay["implementation"][impl], None


def kv_spec(name: str, code: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    lay = layout("wipo_kv")
    c = content()
    records: list[ExpectedRecord] = []
    seen: set[tuple[str, int]] = set()
    for addressee in ("legislative_body", "executive_head"):
        for symbol, title in _pick_reviews(rng, rng.randint(2, 3)):
            for number in sorted(rng.sample(range(1, 11), rng.randint(1, 2))):
                if (symbol, number) in seen:
                    continue
                seen.add((symbol, number))
                acc, impl = _outcome(rng, lay)
                prev = None
                if rng.random() < lay["previous_share"]:
                    options = [p for p in lay["previous"] if p != impl]
                    prev = rng.choice(options)
                text, deadline = _text(rng, addressee)
                impl_label, year = _completion(rng, lay, impl)
                records.append(ExpectedRecord(
                    rec_number=number, rec_text=text, review_symbol=symbol, review_title=title,
                    addressee=addressee, acceptance=acc, implementation=impl,
                    previous_implementation=prev, completed_year=year, deadline=deadline,
                    addressee_label=lay["annex_titles"][addressee].split(" – ")[0],
                    acceptance_label=lay["acceptance"][acc], implementation_label=impl_label,
                    previous_label=lay["previous"][prev] if prev else None,
                    responsible=rng.choice(c["responsible"]),
                    comment=" ".join(rng.sample(c["comments"], 2)),
                ))
    return _base(name, code, "wipo_kv", rng, "2022-03-31", records,
                 title="Progress report on the implementation of the Joint Inspection "
                       "Unit's (JIU) recommendations")


def checkbox_spec(name: str, code: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    lay = layout("checkbox_matrix")
    c = content()
    records: list[ExpectedRecord] = []
    reviews = _pick_reviews(rng, 3)
    info_review = rng.randrange(len(reviews))
    for r, (symbol, title) in enumerate(reviews):
        n = rng.randint(3, 5)
        info_row = rng.randint(1, n) if r == info_review else None
        for number in range(1, n + 1):
            if number == info_row:
                text, deadline = _text(rng, "other")
                records.append(ExpectedRecord(
                    rec_number=number, rec_text=text, review_symbol=symbol, review_title=title,
                    addressee="other", acceptance="not_applicable",
                    implementation="not_applicable", deadline=deadline))
                continue
            addressee = rng.choice(["executive_head", "executive_head", "legislative_body"])
            acc, impl = _outcome(rng, lay)
            text, deadline = _text(rng, addressee)
            records.append(ExpectedRecord(
                rec_number=number, rec_text=text, review_symbol=symbol, review_title=title,
                addressee=addressee, acceptance=acc, implementation=impl, deadline=deadline,
                acceptance_label=lay["acceptance"].get(acc),
                implementation_label=lay["implementation"].get(impl),
                comment=rng.choice(c["comments"]) if rng.random() < 0.6 else None,
            ))
    return _base(name, code, "checkbox_matrix", rng, None, records,
                 title="JIU system-wide reports: acceptance of recommendations and "
                       "implementation status")


def response_matrix_spec(name: str, code: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    lay = layout("response_matrix")
    c = content()
    records: list[ExpectedRecord] = []
    titles = rng.sample(c["response_titles"], rng.randint(5, 6))
    for number, title in enumerate(titles, start=1):
        acc, impl = _outcome(rng, lay)
        body = " ".join(rng.sample(c["response_paragraphs"], rng.randint(2, 4)))
        impl_label, year = _completion(rng, lay, impl)
        records.append(ExpectedRecord(
            rec_number=number, rec_text=f"{title} {body}", rec_title=title,
            review_title="Independent review of policies and procedures",
            addressee="unknown", acceptance=acc, implementation=impl, completed_year=year,
            acceptance_label=lay["acceptance"][acc], implementation_label=impl_label,
            priority=rng.choice(lay["priorities"]),
        ))
    update = f"{rng.choice(MONTHS)} {rng.randint(2021, 2023)}"
    return _base(name, code, "response_matrix", rng, None, records,
                 title="Update on the implementation of the recommendations of the independent "
                       "review and the related management response",
                 extra={"update": update})


def _row_records(rng: random.Random, lay: dict[str, Any], agency: str,
                 stated: bool) -> list[ExpectedRecord]:
    c = content()
    records: list[ExpectedRecord] = []
    for symbol, title in _pick_reviews(rng, 3):
        for number in sorted(rng.sample(range(1, 10), rng.randint(3, 4))):
            addressee = rng.choice(["executive_head", "legislative_body"])
            acc, impl = _outcome(rng, lay)
            neutral = stated and rng.random() < lay.get("neutral_wording_share", 0)
            text, deadline = _text(rng, addressee, neutral=neutral)
            impl_label, year = _completion(rng, lay, impl)
            target = None
            if impl not in ("implemented", "not_applicable", "closed_unimplemented"):
                target = f"{rng.choice(MONTHS)} {rng.randint(2023, 2025)}"
            records.append(ExpectedRecord(
                rec_number=number, rec_text=text, review_symbol=symbol, review_title=title,
                addressee=addressee, acceptance=acc, implementation=impl, completed_year=year,
                deadline=deadline,
                addressee_label=lay["addressee"][addressee] if stated else None,
                acceptance_label=_fmt(lay["acceptance"][acc], agency),
                implementation_label=impl_label, responsible=rng.choice(c["units"]),
                target=target,
            ))
    return records


def agreed_rows_spec(name: str, code: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    records = _row_records(rng, layout("agreed_rows"), code, stated=True)
    return _base(name, code, "agreed_rows", rng, "2023-04-30", records,
                 title="Report of the Joint Inspection Unit: status of acceptance and "
                       "implementation of recommendations")


def response_rows_spec(name: str, code: str, seed: int) -> DocSpec:
    rng = random.Random(seed)
    records = _row_records(rng, layout("response_rows"), code, stated=False)
    return _base(name, code, "response_rows", rng, "2022-12-31", records,
                 title="Implementation of recommendations of the Joint Inspection Unit")


def negative_spec(name: str, code: str, seed: int, kind: str) -> DocSpec:
    rng = random.Random(seed)
    titles = {
        "budget": "Proposed programme and budget: resources by programme",
        "participants": "List of participants",
        "contents": "Progress report on the implementation of JIU recommendations",
    }
    return _base(name, code, kind, rng, None, [], title=titles[kind])


SpecFactory = Callable[[str, str, int], DocSpec]

# (name, agency, factory, seed): two agencies per layout where the layout is shared, so no
# reader can lean on one agency's name.
PLAN: tuple[tuple[str, str, SpecFactory, int], ...] = (
    ("kv_wipo", "WIPO", kv_spec, 11),
    ("kv_upu", "UPU", kv_spec, 12),
    ("checkbox_itu", "ITU", checkbox_spec, 21),
    ("checkbox_imo", "IMO", checkbox_spec, 22),
    ("matrix_unwomen", "UN-Women", response_matrix_spec, 31),
    ("matrix_unfpa", "UNFPA", response_matrix_spec, 32),
    ("agreed_unido", "UNIDO", agreed_rows_spec, 41),
    ("agreed_ilo", "ILO", agreed_rows_spec, 42),
    ("response_wmo", "WMO", response_rows_spec, 51),
    ("response_fao", "FAO", response_rows_spec, 52),
    ("negative_budget", "UNIDO", lambda n, a, s: negative_spec(n, a, s, "budget"), 61),
    ("negative_participants", "WMO", lambda n, a, s: negative_spec(n, a, s, "participants"), 62),
    ("negative_contents", "WIPO", lambda n, a, s: negative_spec(n, a, s, "contents"), 63),
)


def sample_specs(seed: int = 0) -> list[DocSpec]:
    """One spec per (layout, agency) in :data:`PLAN`; ``seed`` shifts every draw."""
    return [factory(name, code, base + seed * 1000) for name, code, factory, base in PLAN]
