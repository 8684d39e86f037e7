"""body_of(): the oversight body of a recommendation, from its review's symbol and title and
cue phrases, on real symbols and titles and on the real documents of corpus/real."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from core.datafile import DataFileError
from extract.bodies import (
    BODIES,
    DATA_FILE,
    body_of,
    body_of_record,
    body_of_symbol,
    body_of_text,
    body_of_title,
    default_bodies,
    load_bodies,
)
from extract.identify import opening

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "corpus" / "real"
GOLD = ROOT / "tests" / "gold_real_visible.csv"

# The body of each gold document's recommendations, decided by reading the document.
# DP_2025_7 is a management response to "the independent review of the UNDP evaluation
# policy": the Executive Board had the Independent Evaluation Office *facilitate* it and "an
# independent team of evaluators carried out the review" (para. 1). The scheme puts
# independent reviews under `other` and keeps `evaluation` for reports of an organization's
# own evaluation office, so it is `other`.
REAL_BODY = {
    "DP_2025_12_Add.1": "JIU",
    "DP_FPA_2025_4 (Part II)": "JIU",
    "E_ICEF_2025_8": "JIU",
    "E_ICEF_2025_4": "evaluation",
    "DP_2025_7": "other",
    "E_AC.51_2025_2": "oios",
}


# --- symbols -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "body"),
    [
        ("JIU/REP/2023/6", "JIU"),
        ("JIU/REP/2024/3 (Part I)", "JIU"),
        ("JIU/NOTE/2022/1/Rev.1", "JIU"),
        ("JIU/ML/2021/1", "JIU"),
        ("A/79/5/Add.2", "board_of_auditors"),
        ("A/79/5/Add.11", "board_of_auditors"),
        ("A/78/5 (Vol. I)", "board_of_auditors"),
        ("A/78/5", "board_of_auditors"),
        ("E/AC.51/2022/7", "oios"),
        ("IED-23-005", "oios"),
        ("A/79/50", None),  # an ordinary General Assembly report
        ("A/79/5/Add.2/Corr.1", None),
        ("DP/2025/7", None),
        ("E/AC.51/2025/L.4/Add.32", None),  # the Committee's own draft report
        ("jiu/rep/2023/6", None),  # symbols are printed in capitals
        ("", None),
        (None, None),
    ],
)
def test_body_of_symbol(symbol: str | None, body: str | None) -> None:
    assert body_of_symbol(symbol) == body


def test_a_symbol_broken_over_lines_is_read_whole() -> None:
    assert body_of_symbol("A/78/5\n(Vol. I)") == "board_of_auditors"


def test_review_symbols_of_every_body_are_found_in_running_text() -> None:
    text = (
        "Following JIU/REP/2023/6 and the Board's report (A/79/5/Add.2), and OIOS "
        "(E/AC.51/2022/7; IED-23-005), see also A/79/50, DP/2025/7 and A/78/5 (Vol. I)."
    )
    found = [m.group() for m in default_bodies().review_symbol_re.finditer(text)]
    assert found == [
        "JIU/REP/2023/6",
        "A/79/5/Add.2",
        "E/AC.51/2022/7",
        "IED-23-005",
        "A/78/5 (Vol. I)",
    ]


# --- titles and cues ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Evaluation of the UNICEF Strategic Plan, 2022–2025", "evaluation"),
        ("Independent Country Programme Evaluation: Lebanon", "evaluation"),
        ("Independent review of the UNDP evaluation policy", "other"),
        ("The independent and victim-centred review of UN-Women's policies", "other"),
        ("Evaluation of the independent review mechanism", "evaluation"),
        ("External assessment of the internal audit function", "other"),
        ("Audit of the UNDP country office in Lebanon", "internal_audit"),
        (
            "Financial report and audited financial statements for the year ended "
            "31 December 2023 and Report of the Board of Auditors",
            "board_of_auditors",
        ),
        ("Report of the Office of Internal Oversight Services on the evaluation of ECLAC", "oios"),
        ("Review of mainstreaming environmental sustainability", None),
        (None, None),
    ],
)
def test_body_of_title(title: str | None, body: str | None) -> None:
    assert body_of_title(title) == body


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("In paragraph 36, the Board recommended that UNOPS review its ...", "board_of_auditors"),
        ("In paragraph 36, the Board\nrecommended that UNOPS ...", "board_of_auditors"),
        ("Management response to the evaluation of the UNICEF Strategic Plan", "evaluation"),
        (
            "Management response to the independent review of the UNDP evaluation policy. "
            "1. The Executive Board mandated the Independent Evaluation Office ...",
            "other",
        ),
        ("Report on the recommendations of the Joint Inspection Unit in 2024", "JIU"),
        ("OAI issued 45 audit reports; the internal audit plan ...", "internal_audit"),
        ("Based on this evidence, OIOS considers this recommendation implemented.", "oios"),
        ("The Committee took note of the report.", None),
    ],
)
def test_body_of_text(text: str, body: str | None) -> None:
    assert body_of_text(text) == body


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("In paragraph 12, the Board recommended that UNDP strengthen ...", "board_of_auditors"),
        ("Evaluation recommendation 3: UNICEF should ...", "evaluation"),
        ("Based on this evidence, OIOS considers this recommendation implemented.", "oios"),
        (
            "The executive heads of the United Nations system\norganizations should ...",
            "JIU",
        ),
        # Offices a response mentions in passing say nothing of who made the recommendation.
        ("Oversight functions provide independent reports through internal audits.", None),
        ("UNDP welcomes the Independent Evaluation Office's work.", None),
        (None, None),
    ],
)
def test_body_of_record(text: str | None, body: str | None) -> None:
    assert body_of_record(text) == body


def test_the_records_own_words_come_before_the_documents() -> None:
    document = "Report of UNDP on the recommendations of the Joint Inspection Unit"
    region = "In paragraph 12, the Board recommended that UNDP strengthen ..."
    assert body_of(None, None, document, record_text=region) == "board_of_auditors"
    passing = "UNDP reports through internal audits, investigations and evaluations."
    assert body_of(None, None, document, record_text=passing) == "JIU"


def test_the_first_text_with_a_cue_wins() -> None:
    assert body_of_text(["Progress report", "Management response to the evaluation"]) == (
        "evaluation"
    )


def test_symbol_then_title_then_cues_then_other() -> None:
    jiu = "Report on the recommendations of the Joint Inspection Unit"
    assert body_of("A/79/5/Add.2", "Evaluation of X", jiu) == "board_of_auditors"
    assert body_of(None, "Evaluation of X", jiu) == "evaluation"
    assert body_of(None, None, jiu) == "JIU"
    assert body_of(None, None, "Progress report") == "other"
    assert body_of("DP/2025/7", "Progress report", ()) == "other"


# --- the data file ------------------------------------------------------------------------


def test_every_body_of_the_scheme_is_in_the_file_and_nothing_else() -> None:
    bodies = load_bodies(DATA_FILE)
    named = {b for b, _ in bodies.titles} | {b for b, _ in bodies.cues}
    assert {b for b, _ in bodies.record_cues} <= named
    assert named == BODIES
    assert bodies.default in BODIES


def test_a_body_outside_the_scheme_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bodies.yaml"
    path.write_text("default: other\nbodies:\n  JIU: {}\n  auditors: {}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bodies\.yaml:2: bodies: .*auditors"):
        load_bodies(path)


def test_a_bad_pattern_names_its_body(tmp_path: Path) -> None:
    path = tmp_path / "bodies.yaml"
    path.write_text("default: other\nbodies:\n  JIU: {cues: ['(unclosed']}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bodies\.JIU\.cues"):
        load_bodies(path)


def test_an_analyst_adds_a_numbering_scheme(tmp_path: Path) -> None:
    path = tmp_path / "bodies.yaml"
    path.write_text(
        "default: other\nbodies:\n  internal_audit: {symbols: ['(?-i:OAI/\\d{4}/\\d+)']}\n",
        encoding="utf-8",
    )
    bodies = load_bodies(path)
    assert body_of("OAI/2024/17", bodies=bodies) == "internal_audit"
    assert body_of("JIU/REP/2023/6", bodies=bodies) == "other"


# --- real documents -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_opening(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """The opening of a real document, read from its first two pages (all ``opening`` reads)."""
    pdf = pytest.importorskip("extract.pdf")
    pdfium = pytest.importorskip("pypdfium2")
    tmp = tmp_path_factory.mktemp("real")

    @cache
    def read(source: str) -> str:
        src = pdfium.PdfDocument(REAL / f"{source}.pdf")
        out = pdfium.PdfDocument.new()
        out.import_pages(src, list(range(min(2, len(src)))))
        cut = tmp / f"{source}.pdf"
        out.save(cut)
        return opening(pdf.convert(cut))

    return read


def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_gold_covers_the_documents_named_here() -> None:
    assert {r["source"] for r in gold_rows()} == set(REAL_BODY)


@pytest.mark.parametrize("source", sorted(REAL_BODY))
def test_every_gold_row_of_a_real_document(source: str, real_opening: Callable[[str], str]) -> None:
    """Each gold row's review (a symbol, or a title where the document gives none) with the
    document's opening as cues gives the document's body."""
    cues = real_opening(source)
    rows = [r for r in gold_rows() if r["source"] == source]
    assert rows
    for row in rows:
        review = row["review"]
        symbol, title = (review, None) if "/" in review else (None, review)
        assert body_of(symbol, title, cues) == REAL_BODY[source], review


@pytest.mark.parametrize("source", sorted(REAL_BODY))
def test_a_real_documents_opening_alone_names_its_body(
    source: str, real_opening: Callable[[str], str]
) -> None:
    """Without any review symbol or title (a recognizer that found neither)."""
    assert body_of(None, None, real_opening(source)) == REAL_BODY[source]


@pytest.mark.parametrize(
    ("source", "body"), [("DP_2025_4", "board_of_auditors"), ("DP_FPA_2025_5", "evaluation")]
)
def test_the_look_alikes_openings_name_their_body(
    source: str, body: str, real_opening: Callable[[str], str]
) -> None:
    assert body_of_text(real_opening(source)) == body


# --- the hook in recognize ----------------------------------------------------------------


def test_recognize_gives_every_record_its_body() -> None:
    from extract.docx import convert
    from extract.recognizers import recognize

    records = recognize(convert(ROOT / "corpus" / "WO_PBC_34_6.docx"))
    assert records
    assert {r.body for r in records} == {"JIU"}


def test_recognize_on_a_real_jiu_report_gives_jiu_only() -> None:
    """DP/2025/12/Add.1: UNDP's responses mention "internal audits" and its "Audit and
    Evaluation Advisory Committee"; every recommendation is still the JIU's."""
    pdf = pytest.importorskip("extract.pdf")
    from extract.recognizers import recognize

    records = recognize(pdf.convert(REAL / "DP_2025_12_Add.1.pdf"))
    assert records
    assert {r.body for r in records} == {"JIU"}
