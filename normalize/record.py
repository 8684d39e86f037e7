"""One raw record into one :class:`Assessment`, following docs/status-scheme.md's rules.

Each field is mapped on its own; what no rule maps becomes `unknown` and is returned as an
:class:`Unmapped` beside the assessment, never guessed. Blank cells are not labels: they are
resolved by the scheme's rules and never reported.
"""

from __future__ import annotations

from core.model import Assessment, RawRecord, Unmapped
from normalize.addressee import infer_addressee, stated_addressee
from normalize.config import NormalizeConfig
from normalize.dates import parse_deadline
from normalize.labels import collapse, first_sentence, match_label
from normalize.prose import read_acceptance
from normalize.review import review_key
from normalize.scheme import NOTHING_TO_IMPLEMENT, UNKNOWN
from normalize.text import join_lines
from normalize.vocabulary import Vocabulary


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _acceptance(
    raw: RawRecord, agency: str | None, vocab: Vocabulary, out: list[Unmapped]
) -> tuple[str, str | None]:
    page = raw.prov.page
    if raw.acceptance_raw is not None and not _blank(raw.acceptance_raw):
        found = match_label(raw.acceptance_raw, vocab.tables_for("acceptance", agency))
        if found is not None:
            return found.value, found.raw
        label = collapse(raw.acceptance_raw)
        out.append(Unmapped("acceptance", label, page))
        return UNKNOWN, label
    if raw.acceptance_prose is not None and not _blank(raw.acceptance_prose):
        found = read_acceptance(raw.acceptance_prose, vocab)
        if found is not None:
            return found.value, found.raw
        out.append(Unmapped("acceptance", first_sentence(raw.acceptance_prose), page))
    return UNKNOWN, None


def _implementation(
    raw: RawRecord, acceptance: str, agency: str | None, vocab: Vocabulary, out: list[Unmapped]
) -> tuple[str, str | None, int | None]:
    if raw.implementation_raw is None or _blank(raw.implementation_raw):
        blank_value = "not_applicable" if acceptance in NOTHING_TO_IMPLEMENT else UNKNOWN
        return blank_value, None, None
    found = match_label(raw.implementation_raw, vocab.tables_for("implementation", agency))
    if found is not None:
        return found.value, found.raw, found.year
    label = collapse(raw.implementation_raw)
    out.append(Unmapped("implementation", label, raw.prov.page))
    return UNKNOWN, label, None


def _previous(
    raw: RawRecord, agency: str | None, vocab: Vocabulary, out: list[Unmapped]
) -> str | None:
    if raw.previous_raw is None or _blank(raw.previous_raw):
        return None
    # Extract hands over the status alone (its prefix list is in extract/data/headers.yaml).
    tables = vocab.tables_for("implementation", agency) + vocab.tables_for("acceptance", agency)
    found = match_label(raw.previous_raw, tables)
    if found is not None:
        return found.value
    out.append(Unmapped("previous_implementation", collapse(raw.previous_raw), raw.prov.page))
    return UNKNOWN


def _addressee(raw: RawRecord, agency: str | None, vocab: Vocabulary, out: list[Unmapped]) -> str:
    if raw.addressee_raw is not None and not _blank(raw.addressee_raw):
        found = stated_addressee(raw.addressee_raw, vocab, agency)
        if found is not None:
            return found.value
        out.append(Unmapped("addressee", collapse(raw.addressee_raw), raw.prov.page))
        # The stated label is reported; the wording can still name the addressee.
    return infer_addressee(raw.rec_text, vocab)


def normalize_record(
    raw: RawRecord,
    agency: str | None,
    vocab: Vocabulary,
    config: NormalizeConfig | None = None,
    seen: frozenset[str] = frozenset(),
) -> tuple[Assessment, list[Unmapped]]:
    """The record in the common scheme, and the labels of it that no rule maps.

    ``seen``: the words its document prints unbroken (:func:`normalize.text.words`), which
    decide whether a hyphen at a line end of its text is a broken word or a compound."""
    config = config or NormalizeConfig()
    unmapped: list[Unmapped] = []
    acceptance, acceptance_raw = _acceptance(raw, agency, vocab, unmapped)
    implementation, implementation_raw, year = _implementation(
        raw, acceptance, agency, vocab, unmapped
    )
    assessment = Assessment(
        review_symbol=review_key(raw.review_symbol, raw.review_title, agency, config.slug_words),
        rec_number=raw.rec_number,
        rec_id=raw.rec_id or (str(raw.rec_number) if raw.rec_number is not None else ""),
        review_title=raw.review_title,
        rec_text=join_lines(raw.rec_text, seen),
        rec_text_raw=raw.rec_text or None,
        body=raw.body or "other",
        status_page=(raw.status_prov.page if raw.status_prov else None) or raw.prov.page,
        addressee=_addressee(raw, agency, vocab, unmapped),
        acceptance=acceptance,
        acceptance_raw=acceptance_raw,
        implementation=implementation,
        implementation_raw=implementation_raw,
        previous_implementation=_previous(raw, agency, vocab, unmapped),
        completed_year=year,
        deadline=parse_deadline(raw.rec_text, raw.deadline_raw),
        responsible=raw.responsible,
        comment=raw.comment,
        page=raw.prov.page,
        bbox=raw.prov.bbox,
        recognizer=raw.recognizer,
    )
    return assessment, unmapped
