"""The parse step's hot paths, made faster without changing what they compute: each fast
form against the plain rule it replaced (written out here), on the cases where the two
could part (ties, rounding, boundaries, Unicode oddities, regexes an alternation changes).
The whole reader's output, before and after, is compared by benchmarks/same_output.py."""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.model import Block, Prov
from extract import identify, pdf, pdf_layout, pdf_tables, pdf_unruled, pdf_words
from extract.recognizers import context, vocab

# --- recognizers ------------------------------------------------------------------------

# letters (cased, uncased, titlecase), capitals that are no letters (Roman numeral, circled
# letter), digits, spaces and punctuation
_MIXED = "aAbBzZéÉßİǅ中ⅫⒶ1 .-\n"


def _capitals_by_letter(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


@given(st.text(alphabet=_MIXED, max_size=40))
def test_mostly_capitals_is_the_letter_by_letter_count(text: str) -> None:
    assert context._mostly_capitals(text) == _capitals_by_letter(text)


def test_headingish_blocks() -> None:
    def block(text: str, bold: bool = False, style: str | None = None) -> Block:
        return Block(text=text, prov=Prov(page=1), bold=bold, style=style)

    assert context.is_headingish(block("ANNEX II. RECOMMENDATIONS ADDRESSED TO THE HEADS"))
    assert context.is_headingish(block("Annex II", bold=True))
    assert context.is_headingish(block("Annex II", style="Heading 2"))
    assert not context.is_headingish(block("Annex II"))
    assert not context.is_headingish(block("ⅫⒶ ⅫⒶ x"))  # capitals, but no capital letters
    assert not context.is_headingish(block("A" * 301, bold=True))  # too long for a heading
    assert not context.is_headingish(block("  ", bold=True))


def _one_by_one(raw: dict[str, list[str]]) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    return tuple((k, tuple(re.compile(p, re.IGNORECASE) for p in v)) for k, v in raw.items())


_HEADER_WORDS = [  # the words of the header patterns
    "recommendation", "recommendations", "rec.", "no.", "#", "n°", "id", "ref.", "para",
    "report", "review", "symbol", "title", "text", "of", "the", "status", "accepted",
    "acceptance", "agreed", "implementation", "expected", "target", "date", "deadline",
    "completion", "planned", "due", "period", "timeline", "comments", "remarks", "update",
    "notes", "action", "taken", "management", "response", "responsible", "focal", "point",
    "lead", "unit", "office", "addressed", "to", "addressee", "lb/eh", "eh", "organization's",
    "position", "of", "/", "&", "and",
]  # fmt: skip


@given(st.lists(st.sampled_from(_HEADER_WORDS), min_size=1, max_size=5), st.booleans())
def test_classify_by_alternation_equals_pattern_by_pattern(words: list[str], squeeze: bool) -> None:
    """Each group's patterns joined in one alternation classify every name as the patterns
    tried one by one do (fields and tick groups of headers.yaml, spaced and despaced)."""
    from core import datafile

    raw = datafile.load(vocab.DATA, vocab._HeadersFile)
    v = vocab.load()
    name = ("" if squeeze else " ").join(words)
    for joined, despaced, groups in (
        (v.fields, v.fields_despaced, raw.fields),
        (v.tick_groups, v.tick_groups_despaced, raw.tick_groups),
    ):
        spaced = {k: [p.replace(" ", "") for p in pats] for k, pats in groups.items()}
        plain = vocab.classify(name, _one_by_one(groups), _one_by_one(spaced))
        assert vocab.classify(name, joined, despaced) == plain


def test_patterns_an_alternation_would_change_stay_apart() -> None:
    # joined, "\1" would refer to the first pattern's group and "xx" would not match
    kept = vocab._alternation(["(y)", r"(x)\1"])
    assert len(kept) == 2
    assert vocab.classify("xx", (("g", kept),)) == "g"
    assert len(vocab._alternation(["(?P<a>x)", "(?P<a>y)"])) == 2  # one name twice
    assert len(vocab._alternation(["^accept", "agree(d|ment)"])) == 1


# --- words, lines, tables ---------------------------------------------------------------

_SPACES = [chr(i) for i in range(0x3001) if chr(i).isspace()]


def test_blank_and_empty_chars_as_str_tests_them() -> None:
    texts = [*_SPACES, "\x00", "a", "ﬁ", "中", "\U0001d400", "\ud800", *_SPACES]
    blank, empty = pdf_words._blank_and_empty(texts)
    assert blank.tolist() == [t.isspace() for t in texts] and not empty.any()
    mixed = ["a", "", " ", "ﬁx", "\u3000", ""]  # not one char each: tested one by one
    blank, empty = pdf_words._blank_and_empty(mixed)
    assert blank.tolist() == [t.isspace() for t in mixed]
    assert empty.tolist() == [t == "" for t in mixed]


def _size_by_counting(values: list[Any]) -> float:
    sizes: Counter[float] = Counter()
    for value in values:
        sizes[round(float(value), 1)] += 1
    return sizes.most_common(1)[0][0]


@given(
    st.lists(st.sampled_from([9.96, 10.0, 10.04, 10, 12.0, 8.45, 8.5]), min_size=1),
    st.lists(st.sampled_from(["Arial", "Arial-BoldMT", "Times-Bold", "X"]), min_size=1),
)
def test_line_size_and_bold_count_equal_counting_every_char(
    sizes: list[float], fonts: list[str]
) -> None:
    """Ties go to the size seen first; sizes that round alike count together."""
    assert pdf_layout._common_size(sizes) == _size_by_counting(sizes)
    bold = sum(1 for f in fonts if pdf_layout._bold_font(f))
    assert pdf_layout._bold_count(fonts) == bold


def _char(text: str, x0: float, top: float, w: float = 5.0) -> dict[str, Any]:
    return {
        "text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + 10,
        "doctop": top, "upright": True, "size": 10.0, "fontname": "Helvetica",
    }  # fmt: skip


def test_lines_outside_tables_follow_the_midpoint_rule() -> None:
    """Chars whose midpoint is on a table's left or top edge are inside, on its right or
    bottom edge outside (``pdf_layout.mid_inside``), with the reader's arrays or without."""
    rng = random.Random(7)
    chars = [
        _char(rng.choice("abc "), x0, top, rng.choice([5.0, 4.0, 6.5]))
        for top in range(0, 300, 10)
        for x0 in range(0, 400, 5)
    ]
    # midpoints on the left edge, the right edge, the top edge, the bottom edge
    chars += [
        _char("e", 97.5, 60),
        _char("f", 197.5, 60),
        _char("g", 120, 45),
        _char("h", 120, 195),
    ]
    cells = [(100.0, 50.0, 150.0, 100.0), (150.0, 50.0, 200.0, 100.0), (100, 100, 200, 200)]
    frags = [
        pdf_tables.fragment(cells, chars, 1, 842.0),
        pdf_tables.fragment([cells[0]], [], 1, 842.0),
    ]
    kept = [f for f in frags if f is not None]
    boxes = [(f.bbox.x0, f.bbox.top, f.bbox.x1, f.bbox.bottom) for f in kept]
    outside = [c for c in chars if not any(pdf_layout.mid_inside(c, b) for b in boxes)]
    expected = pdf_layout.text_lines(outside, 1)
    assert len(outside) < len(chars) and expected
    assert pdf._lines_outside(chars, kept, 1, None) == expected
    assert pdf._lines_outside(chars, kept, 1, pdf_words.columns_of(chars)) == expected


def _closing_by_every_rule(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The closing edges with every horizontal rule checked for every group."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    out = []
    for key in ("top", "bottom"):
        groups: dict[int, list[dict[str, Any]]] = {}
        for e in vertical:
            groups.setdefault(round(e[key]), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            y, x0, x1 = group[0][key], min(e["x0"] for e in group), max(e["x1"] for e in group)
            if not any(
                abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2
                for h in horizontal
            ):
                out.append({"x0": x0, "x1": x1, "top": y})
    return out


def test_closing_edges_equal_checking_every_horizontal_rule() -> None:
    rng = random.Random(3)
    for _ in range(200):
        edges = []
        for _ in range(rng.randint(0, 30)):
            x, y = rng.choice([50, 100, 150, 200.5]), rng.choice([100, 101.9, 102, 98, 300])
            length = rng.choice([20, 50, 200])
            if rng.random() < 0.5:
                edges.append({"orientation": "v", "x0": x, "x1": x, "top": y, "bottom": y + length})
            else:
                edges.append({"orientation": "h", "x0": x, "x1": x + length, "top": y, "bottom": y})
        found = [{k: e[k] for k in ("x0", "x1", "top")} for e in pdf._closing_edges(edges)]
        assert found == _closing_by_every_rule(edges)


def test_unruled_column_of_a_word_counts_the_cuts_left_of_it() -> None:
    cuts = [10.0, 20.0, 20.0, 35.5]
    for x0 in (0, 10, 15, 20, 30, 35.5, 99):
        assert pdf_unruled._col(cuts, x0) == sum(1 for c in cuts if c <= x0)


# --- identification ---------------------------------------------------------------------


@given(st.text(alphabet="ab E/ICEF2025-\t\u00a0\u202f\u00ad\u2010\u2011\u2012\u2018\u2019’é"))
def test_identify_fold_is_the_translation_table(text: str) -> None:
    table = str.maketrans(identify._FOLD)
    assert identify._fold(text) == identify._SPLIT_SYMBOL.sub(r"\1/", text.translate(table))
