"""identify(): agency, symbol and as-of date read from the document, not its file name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.datafile import DataFileError
from core.model import Block, Cell, Document, Origin, Prov, Row, Table
from extract.errors import ExtractError
from extract.identify import (
    DATA_FILE,
    SETTINGS_FILE,
    Identity,
    default_catalog,
    find_as_of,
    identify,
    identify_with,
    load_catalog,
    load_settings,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# What each corpus report says about itself (checked by reading it).
# Symbol None: the report prints no symbol of its own in the text a reader keeps. The ITU file
# (an annex, cut from its Council document) prints neither a symbol nor any date but the years
# of the reviews it covers ("2020- 2021 JIU UN SYSTEM-WIDE REPORTS"). UN-Women prints no
# symbol; its status column is headed "Status Update May 2021" (page 4), a status date.
EXPECTED = {
    "WO_PBC_34_6": ("WIPO", "WO/PBC/34/6", "2022-03-31"),
    "ITU_C22-61_JIU_system-wide_reports": ("ITU", None, None),
    "UNW_2021_SEA-SH_review_update": ("UN-Women", None, "2021-05-31"),
    "WIPO_A_47_14_security_accountability": ("WIPO", "A/47/14", None),
    "CEB_2020_5_HLCM_40th_session": ("CEB", "CEB/2020/5", None),
}

# The 8 real 2025 UN documents of corpus/real (notes in corpus/real/SOURCES.md), checked by
# reading them. as_of: where the document dates statuses -- DP/2025/12/Add.1 Annex III
# "... issued in JIU reports in 2023, as at 28 February 2025" (p. 17, the year printed with a
# footnote mark: "20252"); DP/FPA/2025/4 (Part II) Annex II "... as of 31 March 2025" (p. 8);
# DP/2025/4 para. 7 "As of October 2024, of the 24 audit recommendations ..." (p. 3). The
# others print only their issue date, which is not an as-at date. DP/FPA/2025/4 (Part II)
# carries old symbols in some running headers ("DP/FPA/2023/4 (Part II)"): page 1 decides.
REAL = CORPUS / "real"
EXPECTED_REAL = {
    "DP_2025_12_Add.1": ("UNDP", "DP/2025/12/Add.1", "2025-02-28"),
    "DP_2025_7": ("UNDP", "DP/2025/7", None),
    "DP_FPA_2025_4 (Part II)": ("UNFPA", "DP/FPA/2025/4 (Part II)", "2025-03-31"),
    "DP_FPA_2025_5": ("UNFPA", "DP/FPA/2025/5", None),
    "E_ICEF_2025_4": ("UNICEF", "E/ICEF/2025/4", None),
    "E_ICEF_2025_8": ("UNICEF", "E/ICEF/2025/8", None),
    "DP_2025_4": ("UNCDF", "DP/2025/4", "2024-10-31"),
    "E_AC.51_2025_2": ("OIOS", "E/AC.51/2025/2", None),
}

ITU_NAME = "International Telecommunication Union"

JIU_PARTICIPATING = [
    "UN",
    "UNCTAD",
    "UNDP",
    "UNEP",
    "UNFPA",
    "UN-Habitat",
    "UNHCR",
    "UNICEF",
    "UNODC",
    "UNOPS",
    "UNRWA",
    "UN-Women",
    "WFP",
    "FAO",
    "IAEA",
    "ICAO",
    "ILO",
    "IMO",
    "ITU",
    "UNAIDS",
    "UNESCO",
    "UNIDO",
    "UNWTO",
    "UPU",
    "WHO",
    "WIPO",
    "WMO",
    "ITC",
]


def doc_of(*lines: str, pdf: bool = False) -> Document:
    """A small document, one block per line (on page 1 when ``pdf``)."""
    prov = Prov(page=1) if pdf else Prov()
    return Document(
        origin=Origin("test", "0", "pdf" if pdf else "docx"),
        items=[Block(text, prov) for text in lines],
    )


def printed(doc: Document) -> str:
    """Body text and the running header/footer lines the reader kept."""
    return "\n".join([doc.text(), *(b.text for b in doc.furniture)])


def check(found: Identity, expected: tuple[str, str | None, str | None], text: str) -> None:
    agency, symbol, as_of = expected
    assert found.agency == agency
    assert found.agency_name == default_catalog().orgs[agency].name
    # A symbol printed only in running headers counts where the reader keeps them as furniture.
    assert found.document_symbol == (symbol if symbol and symbol in text else None)
    assert found.as_of == as_of


# --- the organizations file ------------------------------------------------------------


def test_every_entry_has_a_code_and_a_name_and_codes_are_unique() -> None:
    entries = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["organizations"]
    codes = [e.get("code") for e in entries]
    assert all(codes) and all(e.get("name") for e in entries)
    assert len(codes) == len(set(codes))
    assert set(JIU_PARTICIPATING) <= set(codes)


def test_a_code_listed_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orgs.yaml"
    path.write_text(
        "organizations:\n  - {code: X, name: X Org}\n  - {code: X, name: Other}\n",
        encoding="utf-8",
    )
    with pytest.raises(ExtractError, match="twice"):
        load_catalog(path)


def test_an_entry_without_a_name_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "orgs.yaml"
    path.write_text(
        "organizations:\n  - {code: X, name: X Org}\n  - {code: Y, alias: [Y]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"orgs\.yaml:3: organizations\.1\."):
        load_catalog(path)


def test_the_settings_file_is_checked(tmp_path: Path) -> None:
    text = SETTINGS_FILE.read_text(encoding="utf-8").replace("  damping: 0.5", "  dampin: 0.5")
    path = tmp_path / "identify.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"identify\.yaml:\d+: agency\."):
        load_settings(path)


def test_an_analyst_adds_an_agency_with_an_entry(tmp_path: Path) -> None:
    path = tmp_path / "orgs.yaml"
    path.write_text(
        "organizations:\n"
        "  - {code: ZZO, name: Zeta Zone Organization, aliases: [ZZO], prefixes: ['ZZ/']}\n",
        encoding="utf-8",
    )
    found = identify_with(
        doc_of("ZZ/12/3", "Report of the Zeta Zone Organization"), load_catalog(path)
    )
    assert (found.agency, found.agency_name, found.document_symbol) == (
        "ZZO",
        "Zeta Zone Organization",
        "ZZ/12/3",
    )


# --- corpus ----------------------------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_corpus_docx(stem: str) -> None:
    from extract.docx import convert

    doc = convert(CORPUS / f"{stem}.docx")
    check(identify(doc), EXPECTED[stem], printed(doc))


def first_pages(path: Path, tmp: Path, n: int = 5) -> Path:
    """The file cut to its first pages: the opening identify() reads and the corpus files'
    status-date headings (UN-Women: page 4), at a fraction of the cost."""
    pdfium = pytest.importorskip("pypdfium2")
    src = pdfium.PdfDocument(path)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, list(range(min(n, len(src)))))
    cut = tmp / path.name
    out.save(cut)
    return cut


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_corpus_pdf_opening(stem: str, tmp_path: Path) -> None:
    pdf = pytest.importorskip("extract.pdf")
    doc = pdf.convert(first_pages(CORPUS / f"{stem}.pdf", tmp_path))
    check(identify(doc), EXPECTED[stem], printed(doc))


@pytest.mark.slow
@pytest.mark.parametrize(
    "stem", ["ITU_C22-61_JIU_system-wide_reports", "WIPO_A_47_14_security_accountability"]
)
def test_corpus_pdf_whole_file(stem: str) -> None:
    pdf = pytest.importorskip("extract.pdf")
    doc = pdf.convert(CORPUS / f"{stem}.pdf")
    check(identify(doc), EXPECTED[stem], printed(doc))


@pytest.mark.slow
@pytest.mark.parametrize("stem", sorted(EXPECTED_REAL))
def test_real_documents(stem: str) -> None:
    """The whole document: the as-at dates of three of them are printed past page 2."""
    pdf = pytest.importorskip("extract.pdf")
    found = identify(pdf.convert(REAL / f"{stem}.pdf"))
    agency, symbol, as_of = EXPECTED_REAL[stem]
    assert (found.agency, found.document_symbol, found.as_of) == (agency, symbol, as_of)
    assert found.agency_name == default_catalog().orgs[agency].name


def test_real_documents_are_all_checked() -> None:
    assert {p.stem for p in REAL.glob("*.pdf")} == set(EXPECTED_REAL)


# --- agency ----------------------------------------------------------------------------


def test_an_organization_missing_from_the_file_is_named_from_its_own_words() -> None:
    doc = doc_of(
        "IFSO Council",
        "Hundred and Second Session",
        "1. The International Fictional Standards Organization (IFSO) reports on the "
        "implementation of recommendations of the Joint Inspection Unit (JIU) addressed to "
        "United Nations system organizations, with UNDP and WHO as observers.",
        "2. IFSO accepted all recommendations; IFSO's Secretariat will report again.",
        pdf=True,
    )
    found = identify(doc)
    assert found.agency == "IFSO"
    assert found.agency_name == "International Fictional Standards Organization"


def test_a_title_alone_names_an_unknown_organization_and_its_name_is_found_later() -> None:
    items = ["IFSO Council", "Report on JIU recommendations"] + ["text"] * 70
    items.append("Annex: about the Fictional Standards Office (IFSO)")
    found = identify(doc_of(*items))
    assert (found.agency, found.agency_name) == ("IFSO", "Fictional Standards Office")


@pytest.mark.parametrize(
    "lines",
    [
        # No organization named: the old reader made "ICPELICPELHD"-like codes from the
        # initials of capitalized words running over several lines.
        (
            "Independent Country Programme Evaluation Lebanon",
            "Independent Country Programme Evaluation Lebanon",
            "Human Development",
            "Management response",
            "1. The country office welcomes the evaluation.",
        ),
        (
            "Management Response",
            "Independent Country Programme Evaluation: Lebanon",
            "Independent Country Programme Evaluation Lebanon Human Development",
        ),
        # An evaluation defined with its acronym is not an organization.
        (
            "Independent Country Programme Evaluation (ICPE) of Lebanon",
            "Management response",
            "1. The ICPE of Lebanon was conducted in 2024. The ICPE recommends ...",
        ),
    ],
)
def test_no_agency_is_made_up_from_a_title(lines: tuple[str, ...]) -> None:
    assert identify(doc_of(*lines, pdf=True)).agency is None


def test_the_evaluated_organization_is_named_when_the_document_names_it() -> None:
    doc = doc_of(
        "Independent Country Programme Evaluation (ICPE) of Lebanon",
        "UNDP management response",
        "1. UNDP welcomes the ICPE. The ICPE recommends that UNDP ...",
        pdf=True,
    )
    assert identify(doc).agency == "UNDP"


def test_a_self_named_organization_needs_its_head_word_and_a_short_code() -> None:
    found = identify(doc_of("Fictional Standards Office", "Progress report", pdf=True))
    assert (found.agency, found.agency_name) == ("FSO", "Fictional Standards Office")


def test_an_organization_named_once_in_passing_is_a_topic_not_the_author() -> None:
    doc = doc_of(
        "United Nations S/2025/225",
        "Security Council",
        "Letter dated 9 April 2025 from the President of the Security Council",
        "... an independent strategic review of the United Nations Support Office in "
        "Somalia (UNSOS) and to submit it to the Council ...",
        pdf=True,
    )
    assert identify(doc).agency == "UN"


def test_a_definition_is_trimmed_to_the_words_its_acronym_spells() -> None:
    doc = doc_of(
        "Cooperation between the United Nations and the Organization of Islamic Cooperation (OIC)",
        "1. The OIC and its members; the OIC secretariat reports.",
        pdf=True,
    )
    found = identify(doc)
    assert (found.agency, found.agency_name) == ("OIC", "Organization of Islamic Cooperation")


def test_a_governing_organ_defined_with_an_acronym_is_not_an_organization() -> None:
    doc = doc_of(
        "Executive Board (EB)",
        "Annual session",
        "1. The EB took note of WFP's progress report. The EB and the EB Bureau agreed.",
    )
    assert identify(doc).agency == "WFP"


def test_nothing_named_gives_none() -> None:
    found = identify(doc_of("Progress report", "1. All recommendations were implemented."))
    assert found == Identity()


def test_joint_inspection_unit_and_system_phrases_never_win() -> None:
    doc = doc_of(
        "Review of the Joint Inspection Unit (JIU) recommendations",
        "JIU JIU JIU. The United Nations system organizations and the UN system at large.",
        "The International Labour Office has implemented the JIU recommendations.",
    )
    assert identify(doc).agency == "ILO"


def test_the_author_outweighs_agencies_listed_in_the_body() -> None:
    body = [
        f"{n}. Participants from UNDP, UNICEF, WFP, FAO, ILO and UNHCR discussed item {n}."
        for n in range(1, 8)
    ]
    doc = doc_of(
        "CEB",
        "Chief Executives Board",
        "for Coordination",
        "Conclusions of the High-Level Committee on Management",
        *body,
    )
    assert identify(doc).agency == "CEB"


def test_united_nations_in_many_phrases_does_not_beat_the_named_agency() -> None:
    doc = doc_of(
        "Accountability framework of WIPO",
        *[
            "The United Nations Under-Secretary-General reports to the United Nations "
            "Secretary-General on the United Nations security management system."
        ]
        * 6,
        "WIPO applies it; the Director General of WIPO is accountable.",
    )
    assert identify(doc).agency == "WIPO"


def test_possessive_in_the_title_names_the_author() -> None:
    doc = doc_of(
        "Update on the review of UN-Women's policies",
        "1. The CEB Task Force and UNFPA, UNICEF and UNDP were consulted.",
    )
    assert identify(doc).agency == "UN-Women"


@pytest.mark.parametrize(
    ("lines", "agency", "symbol"),
    [
        (("IDB.50/2", "Industrial Development Board", "Fiftieth session"), "UNIDO", "IDB.50/2"),
        (("EC-76/Doc. 4.2", "Executive Council", "Report of WMO"), "WMO", "EC-76/Doc. 4.2"),
        (("CL 170/5", "Council", "Hundred and Seventieth Session", "FAO"), "FAO", "CL 170/5"),
        (("214 EX/5", "Executive Board", "UNESCO"), "UNESCO", "214 EX/5"),
        (("GB.344/PFA/3", "Governing Body", "International Labour Office"), "ILO", "GB.344/PFA/3"),
        (
            ("E/ICEF/2022/5", "United Nations Children's Fund", "Executive Board"),
            "UNICEF",
            "E/ICEF/2022/5",
        ),
        (("Document C22/61-E", "Council 2022", "ITU"), "ITU", "C22/61"),
        (("EB150/33", "EXECUTIVE BOARD", "World Health Organization"), "WHO", "EB150/33"),
    ],
)
def test_other_agencies_and_their_symbols(lines: tuple[str, ...], agency: str, symbol: str) -> None:
    found = identify(doc_of(*lines))
    assert (found.agency, found.document_symbol) == (agency, symbol)


def test_a_symbol_prefix_alone_names_the_agency() -> None:
    found = identify(doc_of("IDB.51/7", "Progress report on recommendations"))
    assert (found.agency, found.document_symbol) == ("UNIDO", "IDB.51/7")


# --- the "A/" ambiguity ------------------------------------------------------------------


def test_a_slash_with_wipo_named_is_wipo() -> None:
    doc = doc_of(
        "A/63/5",
        "Assemblies of the Member States of WIPO",
        "Sixty-Third Series of Meetings",
        "1. The Assemblies of WIPO are invited to note the report of the United Nations.",
    )
    found = identify(doc)
    assert (found.agency, found.document_symbol) == ("WIPO", "A/63/5")


def test_a_shared_prefix_and_nothing_else_goes_to_the_first_listed() -> None:
    """No name decides between the UN and WIPO ("A/"): the YAML's order does, on every run."""
    assert identify(doc_of("A/50/610", "Fiftieth session", pdf=True)).agency == "UN"


def test_a_slash_with_the_united_nations_named_is_the_un() -> None:
    doc = doc_of(
        "A/77/123",
        "General Assembly",
        "Report of the Secretary-General on the United Nations Secretariat",
        "1. The Secretariat of the United Nations reports on JIU recommendations.",
    )
    found = identify(doc)
    assert (found.agency, found.agency_name, found.document_symbol) == (
        "UN",
        "United Nations",
        "A/77/123",
    )


# --- symbol --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("masthead", "symbol"),
    [
        ("United Nations DP/FPA/2025/4 (Part II)", "DP/FPA/2025/4 (Part II)"),
        ("United Nations E /ICEF/2025/4", "E/ICEF/2025/4"),
        ("United Nations DP / 2025/19", "DP/2025/19"),
        ("United Nations S /RES/2770 (2025)", "S/RES/2770 (2025)"),
        ("United Nations A/78/5 (Vol. I)", "A/78/5 (Vol. I)"),
        ("United Nations A /ES-10/1027- S/2025/173", "A/ES-10/1027"),
        ("United Nations A/79/859-S/2025/220", "A/79/859"),
        ("Naciones Unidas A/AC.292/2024/3", "A/AC.292/2024/3"),
    ],
)
def test_the_un_masthead_symbol(masthead: str, symbol: str) -> None:
    doc = doc_of(
        masthead,
        "General Assembly Distr.: General",
        "Letter dated 20 March 2025 (see S/2025/100 and A/79/12)",
        pdf=True,
    )
    assert identify(doc).document_symbol == symbol


def test_page_one_beats_old_symbols_in_running_headers() -> None:
    items: list[Block | Table] = [
        Block("United Nations DP/FPA/2025/4 (Part II)", Prov(page=1)),
        Block("United Nations Population Fund", Prov(page=1)),
        Block("DP/FPA/2023/4 (Part II)", Prov(page=2)),
        Block("1. UNFPA reports on the JIU recommendations.", Prov(page=2)),
        Block("DP/FPA/2023/4 (Part II)", Prov(page=2)),
    ]
    doc = Document(Origin("t", "0", "pdf"), items=items)
    doc.furniture = [Block("DP/FPA/2021/4 (Part II)", Prov(page=3), style="furniture")]
    assert identify(doc).document_symbol == "DP/FPA/2025/4 (Part II)"


def test_a_cited_symbol_is_not_the_documents_own() -> None:
    doc = doc_of(
        "Program and Budget Committee",
        "1. Since the last report (WO/PBC/33/7) and the JIU review (JIU/REP/2021/6), WIPO ...",
        "2. WIPO notes the UN document A/57/365.",
    )
    assert identify(doc).document_symbol is None


def test_the_symbol_after_document_is_the_documents_own() -> None:
    doc = doc_of(
        "Program and Budget Committee",
        "1. Since the last report (WO/PBC/33/7), WIPO ...",
        "2. The Committee took note of the present report (document WO/PBC/34/6).",
    )
    assert identify(doc).document_symbol == "WO/PBC/34/6"


def test_a_repeated_symbol_is_the_documents_own() -> None:
    doc = doc_of(
        "Progress report of the Fictional Fund (FIFU)",
        "1. Report XB/2022/4 covers all open recommendations.",
        "2. XB/2022/4 is the third such report; XB/2022/4 replaces the earlier one.",
        "3. It follows XB/2021/9.",
    )
    assert identify(doc).document_symbol == "XB/2022/4"


def test_jiu_symbols_are_never_the_document_symbol() -> None:
    doc = doc_of("JIU/REP/2021/6", "WIPO", "JIU/REP/2021/6 JIU/REP/2021/5")
    assert identify(doc).document_symbol is None


def test_symbol_in_a_table_cell_on_the_title_page() -> None:
    table = Table(
        rows=[Row([Cell("UNW/2021/3", 0, 0), Cell("UN-Women Executive Board", 0, 1)])],
        n_cols=2,
        prov=[Prov(page=1)],
    )
    doc = Document(Origin("t", "0", "pdf"), items=[table, Block("Annual session", Prov(page=1))])
    found = identify(doc)
    assert (found.agency, found.document_symbol) == ("UN-Women", "UNW/2021/3")


def test_only_the_first_pages_are_read() -> None:
    doc = Document(
        Origin("t", "0", "pdf"),
        items=[
            Block("Progress report", Prov(page=1)),
            Block("WFP/EB.A/2022/4", Prov(page=3)),
            Block("World Food Programme as at 31 December 2021", Prov(page=3)),
        ],
    )
    assert identify(doc) == Identity()


def test_rows_of_a_table_running_past_page_two_are_not_read() -> None:
    rows = [
        Row([Cell("ITU Focal Point", 0, 0)], prov=Prov(page=2)),
        Row([Cell("UNDP contributions as at 30 June 2023", 1, 0)], prov=Prov(page=3)),
    ]
    table = Table(rows=rows, n_cols=1, prov=[Prov(page=2), Prov(page=3)])
    doc = Document(Origin("t", "0", "pdf"), items=[Block("Report", Prov(page=1)), table])
    assert identify(doc) == Identity(agency="ITU", agency_name=ITU_NAME)


def test_an_unpaged_document_is_read_to_about_two_pages() -> None:
    table = Table(
        rows=[Row([Cell("UN-Women " * 20, i, 0)]) for i in range(200)]
        + [Row([Cell("as at 30 June 2023", 200, 0)])],
        n_cols=1,
    )
    found = identify(Document(Origin("t", "0", "docx"), items=[table]))
    assert (found.agency, found.as_of) == ("UN-Women", None)


# --- as-of date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Status as at March 31, 2022¹", "2022-03-31"),
        ("implementation status as of 31 December 2021.", "2021-12-31"),
        ("AS AT 30 JUNE 2023", "2023-06-30"),
        ("as at the 1st of April 2020", "2020-04-01"),
        ("as of 2021-09-30", "2021-09-30"),
        ("STATUS AS AT END-MARCH 2022", "2022-03-31"),
        ("as of February 2024", "2024-02-29"),
        ("as at Sept. 30, 2019", "2019-09-30"),
        ("Update May 2021", None),
        ("as of internal controls", None),
        ("as at 31 February 2022", None),
    ],
)
def test_as_of(text: str, iso: str | None) -> None:
    assert find_as_of(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Status as at 28 February 20252", "2025-02-28"),  # footnote mark on the year
        ("Status update May 2021", "2021-05-31"),
        ("status update as of 30 June 2023", "2023-06-30"),
        ("situation au 31 mars 2022", None),
        ("as at 31 mars 2022", "2022-03-31"),
    ],
)
def test_as_of_more_forms(text: str, iso: str | None) -> None:
    assert find_as_of(text) == iso


def doc_over_pages(*pages: list[str]) -> Document:
    items: list[Block | Table] = [
        Block(t, Prov(page=n)) for n, lines in enumerate(pages, 1) for t in lines
    ]
    return Document(Origin("t", "0", "pdf"), items=items)


@pytest.mark.parametrize(
    ("late", "iso"),
    [
        (
            "Annex III Status of implementation of JIU recommendations issued in 2023, "
            "as at 28 February 2025",
            "2025-02-28",
        ),
        (
            "7. As of October 2024, of the 24 audit recommendations, all were implemented.",
            "2024-10-31",
        ),
        ("Status Update May 2021", "2021-05-31"),
        # Dates of other things: no status date.
        ("As of December 2024, 98 per cent of country offices were staffed.", None),
        ("Membership of the Committee as at 21 February 2025", None),
        (
            "Since obtaining consultative status on 27 July 2012, our organization has been "
            "continuing its work, with a primary focus on children.",
            None,
        ),
    ],
)
def test_a_status_date_past_the_opening(late: str, iso: str | None) -> None:
    doc = doc_over_pages(["UNDP report"], ["Introduction"], ["Text"], [late])
    assert identify(doc).as_of == iso


def test_the_openings_as_of_comes_before_a_later_status_date() -> None:
    doc = doc_over_pages(
        ["UNDP report, status as at 31 December 2024"],
        [],
        ["Status of recommendations as at 28 February 2025"],
    )
    assert identify(doc).as_of == "2024-12-31"


def test_as_of_is_the_first_in_the_opening() -> None:
    doc = doc_of(
        "WIPO progress report",
        "1. The period January 1, 2016, to March 31, 2022.",
        "2. Status as at March 31, 2022; previous status as at March 31, 2021.",
    )
    assert identify(doc).as_of == "2022-03-31"


def test_symbol_printed_only_in_running_header_is_read_from_furniture() -> None:
    doc = doc_of("Assemblies of the Member States of WIPO", "Report on security", pdf=True)
    assert identify(doc).document_symbol is None
    doc.furniture = [Block("XY/51/7 page 2", Prov(page=2), style="furniture")]
    assert identify(doc).document_symbol == "XY/51/7"
