"""The generated fixtures are what they claim: they open, have the intended pages, rules,
ticks and text, and their expected records are consistent with the status scheme."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pdfplumber
import pytest

from .build import Case, build_pdf, variants
from .data import layout
from .fonts import available_ticks
from .layouts import plan_for
from .sample import sample_specs
from .spec import DocSpec
from .to_pdf import page_size
from .variant import PDF_FONTS, TICKS, Variant

CASES = list(variants())
PDF_CASES = [c for c in CASES if c.fmt == "pdf"]
DOCX_CASES = [c for c in CASES if c.fmt == "docx"]
pytestmark = pytest.mark.slow  # builds every generated PDF and DOCX

# docs/status-scheme.md
ACCEPTANCE = {"accepted", "partially_accepted", "not_accepted", "under_consideration",
              "not_relevant", "noted", "not_applicable", "unknown"}
IMPLEMENTATION = {"not_started", "in_progress", "implemented", "closed_unimplemented",
                  "not_applicable", "unknown"}
ADDRESSEE = {"legislative_body", "executive_head", "other", "unknown"}
NO_ACTION = {"not_accepted", "not_relevant", "under_consideration", "noted", "not_applicable"}

# a header word of each layout's status table, to find the header on every page it spans
PROBE = {"checkbox_matrix": "Accept", "response_matrix": "Recommendations",
         "agreed_rows": "Recommendation", "response_rows": "Recommendation"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("generated")
    return {c.id: c.build(out) for c in CASES}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- the matrix -----------------------------------------------------------------------------

def test_matrix_is_small_and_covers_every_knob() -> None:
    assert len(CASES) <= 40
    assert len({c.id for c in CASES}) == len(CASES)
    specs = {c.spec.name for c in CASES}
    assert specs == {s.name for s in sample_specs()}
    assert {c.spec.name for c in DOCX_CASES} == specs
    assert {c.variant.font for c in PDF_CASES} == set(PDF_FONTS)
    assert {(c.variant.page_size, c.variant.landscape) for c in PDF_CASES} == {
        ("A4", False), ("A4", True), ("Letter", False), ("Letter", True)}
    assert {c.variant.rules for c in PDF_CASES} == {"lines", "rects", "none"}
    assert any(c.variant.column_seed is not None for c in PDF_CASES)
    box_ticks = {c.variant.tick for c in PDF_CASES if c.spec.layout == "checkbox_matrix"}
    assert box_ticks == set(available_ticks())


def test_samples_are_seeded() -> None:
    assert sample_specs() == sample_specs()
    assert sample_specs(1) != sample_specs()


@pytest.mark.parametrize("spec", sample_specs(), ids=lambda s: s.name)
def test_expected_records_follow_the_scheme(spec: DocSpec) -> None:
    keys = [r.key for r in spec.records]
    assert len(keys) == len(set(keys))
    if layout(spec.layout).get("splits"):
        assert len(spec.records) >= 5
    else:
        assert spec.records == ()
    for r in spec.records:
        assert r.acceptance in ACCEPTANCE and r.implementation in IMPLEMENTATION
        assert r.addressee in ADDRESSEE
        assert r.previous_implementation in IMPLEMENTATION | ACCEPTANCE | {None}
        if r.implementation == "not_applicable":
            assert r.acceptance in NO_ACTION and r.implementation_label is None
        if r.acceptance in NO_ACTION and r.implementation_label is None:
            assert r.implementation == "not_applicable"
        if r.completed_year is not None:
            assert r.implementation == "implemented"
            assert str(r.completed_year) in (r.implementation_label or "")
        if r.deadline:
            assert r.deadline[:4] in r.rec_text
        if r.review_symbol:
            assert re.fullmatch(r"JIU/REP/20\d\d/\d{1,2}", r.review_symbol)


def test_addressee_wording_matches_where_not_stated() -> None:
    """Where no annex or column states the addressee, the wording must carry it."""
    subject = {"executive_head": "executive heads", "legislative_body": "bodies",
               "other": "Secretary-General"}
    for spec in sample_specs():
        for r in spec.records:
            if r.addressee_label is None and r.addressee in subject:
                lead = r.rec_text.split(" should")[0].lower()
                assert subject[r.addressee].lower() in lead, r.rec_text


def test_layouts_that_need_rules_refuse_none() -> None:
    spec = next(s for s in sample_specs() if s.layout == "wipo_kv")
    with pytest.raises(ValueError, match="needs ruled cells"):
        plan_for(spec, Variant(rules="none"))
    with pytest.raises(ValueError):
        Variant(tick="?")


# --- PDF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", PDF_CASES, ids=lambda c: c.id)
def test_pdf(case: Case, built: dict[str, Path]) -> None:
    spec, v = case.spec, case.variant
    with pdfplumber.open(built[case.id]) as pdf:
        pages = pdf.pages
        width, height = page_size(v)
        for p in pages:
            assert (p.width, p.height) == pytest.approx((width, height), abs=1)
        assert (pages[0].width > pages[0].height) == v.landscape
        assert 1 <= len(pages) <= 6
        texts = [p.extract_text() or "" for p in pages]
        flat = _flat(" ".join(texts))
        _check_rules(pages, v.rules)
        lay = layout(spec.layout)
        if lay.get("splits"):
            assert len(pages) > 1
        if spec.layout in PROBE:
            on = [i for i, t in enumerate(texts) if PROBE[spec.layout] in t]
            assert len(on) >= 2, f"table header on pages {on} only"
        for symbol, _ in spec.reviews:
            if symbol:
                assert symbol in flat
        words = Counter(w["text"] for p in pages for w in p.extract_words())
        for r in spec.records:
            # labels wrap in narrow cells, so look for their words, not the phrase
            for label in (r.acceptance_label, r.implementation_label):
                if label and spec.layout not in ("response_matrix", "checkbox_matrix"):
                    assert all(words[w] for w in label.split()), label
        if spec.layout == "checkbox_matrix":
            assert words[v.tick] == _ticks(spec)


def _check_rules(pages: list[pdfplumber.page.Page], rules: str) -> None:
    lines = sum(len(p.lines) for p in pages)
    thin = sum(1 for p in pages for r in p.rects if min(r["width"], r["height"]) <= 1)
    if rules == "lines":
        assert lines > 0
    elif rules == "rects":
        assert lines == 0 and thin > 0
    else:
        assert lines == 0 and sum(len(p.rects) for p in pages) == 0


def _ticks(spec: DocSpec) -> int:
    lay = layout("checkbox_matrix")
    return sum((r.acceptance in lay["acceptance"]) + (r.implementation in lay["implementation"])
               for r in spec.records)


@pytest.mark.parametrize("tick", [t for t in TICKS if t not in available_ticks()])
def test_missing_tick_font_is_reported(tick: str, tmp_path: Path) -> None:
    spec = next(s for s in sample_specs() if s.layout == "checkbox_matrix")
    with pytest.raises(ValueError, match="no font"):
        build_pdf(spec, tmp_path, Variant(tick=tick))


# --- DOCX -----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", DOCX_CASES, ids=lambda c: c.id)
def test_docx(case: Case, built: dict[str, Path]) -> None:
    spec, v = case.spec, case.variant
    d = docx.Document(str(built[case.id]))
    section = d.sections[0]
    width, height = page_size(v)
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width.pt == pytest.approx(width, abs=2)
    assert section.page_height.pt == pytest.approx(height, abs=2)
    assert d.styles["Normal"].font.size.pt == v.font_size
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    flat = _flat(" ".join(cells))
    assert d.tables
    for r in spec.records:
        body = r.rec_text.removeprefix(r.rec_title or "").strip()
        assert _flat(body) in flat
        if r.rec_title:
            assert r.rec_title in flat
    xml = d.element.xml
    if layout(spec.layout).get("splits") and spec.layout != "wipo_kv":
        assert "w:tblHeader" in xml
    if spec.layout == "checkbox_matrix":
        assert "w:gridSpan" in xml
        ticks = sum(1 for t in d.tables for row in t.rows for c in row.cells
                    if c.text == v.tick)
        # merged cells repeat in python-docx's row.cells; tick cells are never merged
        assert ticks == _ticks(spec)
