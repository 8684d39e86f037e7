"""Who wrote a document, under which symbol, and as of which date: read from the document itself.

The agency and the symbol are read from the opening of the document (its first two pages; for
DOCX, which has no pages, the first items up to about two pages of text) and its running
headers, because that is where a report names its author and its symbol, while the body cites
other agencies and documents freely. Knowledge of organizations lives in
``data/organizations.yaml``; weights, word lists, symbol suffixes and month names in
``data/identify.yaml`` (with a note of how the weights were chosen); nothing here knows any
agency or file by name.

Agency: every mention of a known organization scores, weighted by position (earlier counts
more, the title block before the first numbered paragraph double), with diminishing returns
for repetition, plus possessives ("UN-Women's policies"), author phrases ("prepared by",
"report of") and the prefix of a symbol the document clearly carries. Generic mentions
("United Nations") count little, and system-wide phrases ("United Nations system", the Joint
Inspection Unit) not at all. An organization missing from the YAML is named from how the
document introduces it ("... Organization (IFSO)", a title "IFSO Council"), if it names it
more than once in passing and the name's head is an organization word ("Office of ...",
"... Fund"): an "Independent Country Programme Evaluation (ICPE)" is not an organization, and
no code is ever made from the initials of words running over several lines.

Symbol: a document symbol standing alone on a line, or beside nothing but an organization's
name (the UN masthead "United Nations DP/FPA/2025/4 (Part II)", its letters sometimes printed
apart: "E /ICEF/2025/4"), or after "document", or repeated, or whose prefix is the agency's;
on the first lines of page 1 it counts most, so a running header that repeats an old symbol
does not win. "(Part II)", "(Vol. I)" and a resolution's "(2025)" belong to it. Parenthesized
references ("the last report (WO/PBC/33/7)") are citations; JIU symbols are never the
document's own.

As-of date: the first "as at / as of <date>" in the opening; failing that, the first in the
whole document that dates statuses -- in a line or sentence about recommendations (an annex
title "Status of implementation of JIU recommendations ..., as at 28 February 2025") or a short
heading that is itself a status date ("Status Update May 2021"). A month without a day is taken
as the month's last day, the date a status is usually reported at; a bare "Update May 2021" is
not an as-of date.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from core import datafile
from core.datafile import Strict
from core.model import Block, Document, Table
from core.text import fold

from .errors import ExtractError

DATA_FILE = Path(__file__).parent / "data" / "organizations.yaml"
SETTINGS_FILE = Path(__file__).parent / "data" / "identify.yaml"


@dataclass(frozen=True)
class Settings:
    """The weights, word lists and patterns of ``data/identify.yaml`` (how they were chosen is
    noted there)."""

    max_pages: int
    max_items: int
    max_chars: int
    agency: dict[str, float]
    symbol: dict[str, float]
    author_cue: re.Pattern[str]
    name_links: tuple[str, ...]
    articles: frozenset[str]
    symbol_suffixes: tuple[tuple[re.Pattern[str], re.Pattern[str] | None], ...]
    addendum_suffix: re.Pattern[str]
    language_suffix: re.Pattern[str]
    standalone_line: re.Pattern[str]
    document_cue: re.Pattern[str]
    cited_after: re.Pattern[str]
    as_of_re: re.Pattern[str]
    as_of_cue: re.Pattern[str]
    as_of_heading_max: int
    months: dict[str, int]


class _AgencyWeights(Strict):
    top: float
    fade: float
    weak: float
    title: float
    title_lines: int
    possessive: float
    author: float
    prefix: float
    masthead: float
    damping: float
    unknown_min_mentions: int
    max_code_length: int


class _SymbolWeights(Strict):
    standalone: float
    document: float
    cited: float
    agency: float
    first_page_top: float
    first_page_lines: int
    min: float


class _Opening(Strict):
    max_pages: int
    max_items: int
    max_chars: int


class _Suffix(Strict):
    pattern: str
    when: str | None = None


class _SymbolLines(Strict):
    standalone_line: str
    document_cue: str
    cited_after: str


class _SettingsFile(Strict):
    """Schema of ``data/identify.yaml``."""

    opening: _Opening
    agency: _AgencyWeights
    symbol: _SymbolWeights
    author_cues: list[str]
    name_links: list[str]
    articles: list[str]
    symbol_suffixes: list[_Suffix]
    symbol_lines: _SymbolLines
    addendum_suffix: str
    language_suffix: str
    as_of_phrases: list[str]
    as_of_cues: list[str]
    as_of_heading_max_chars: int
    months: dict[int, list[str]]


def load_settings(path: Path = SETTINGS_FILE) -> Settings:
    """Compile ``identify.yaml`` (one schema, errors name the file, key and line)."""
    f = datafile.load(path, _SettingsFile)
    try:
        months = {n.casefold(): m for m, names in f.months.items() for n in names}
        return Settings(
            max_pages=f.opening.max_pages,
            max_items=f.opening.max_items,
            max_chars=f.opening.max_chars,
            agency={k: float(v) for k, v in f.agency.model_dump().items()},
            symbol={k: float(v) for k, v in f.symbol.model_dump().items()},
            author_cue=re.compile("(?i)" + "|".join(f"(?:{c})" for c in f.author_cues)),
            name_links=tuple(f.name_links),
            articles=frozenset(w.casefold() for w in f.articles),
            symbol_suffixes=tuple(
                (re.compile(e.pattern), re.compile(e.when) if e.when else None)
                for e in f.symbol_suffixes
            ),
            addendum_suffix=re.compile(f.addendum_suffix),
            language_suffix=re.compile(f.language_suffix),
            standalone_line=re.compile(f.symbol_lines.standalone_line),
            document_cue=re.compile(f.symbol_lines.document_cue),
            cited_after=re.compile(f.symbol_lines.cited_after),
            as_of_re=_as_of_regex(f.as_of_phrases, months),
            as_of_cue=re.compile("(?i)" + "|".join(f.as_of_cues)),
            as_of_heading_max=f.as_of_heading_max_chars,
            months=months,
        )
    except re.error as exc:
        raise datafile.DataFileError(f"{path}: bad pattern {exc.pattern!r}: {exc}") from exc


class _OrganizationEntry(Strict):
    code: str
    name: str
    names: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    language_suffix: bool = False


class _OrganizationsFile(Strict):
    """Schema of ``data/organizations.yaml`` (its comments say what each key means)."""

    exclude: list[str] = Field(default_factory=list)
    excluded_symbol_prefixes: list[str] = Field(default_factory=list)
    organization_words: list[str] = Field(default_factory=list)
    body_words: list[str] = Field(default_factory=list)
    organizations: list[_OrganizationEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class Identity:
    """What a document says about itself; None where it does not say."""

    agency: str | None = None
    agency_name: str | None = None
    document_symbol: str | None = None
    as_of: str | None = None  # ISO date


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    prefixes: tuple[str, ...] = ()
    language_suffix: bool = False


@dataclass(frozen=True)
class Catalog:
    """The YAML compiled once: one matcher for every name, alias and excluded phrase."""

    orgs: dict[str, Organization]
    matcher: re.Pattern[str]
    exact: dict[str, tuple[str | None, float]]  # case-sensitive terms -> (code, weight)
    folded: dict[str, tuple[str | None, float]]  # case-insensitive terms, casefolded
    prefix_patterns: tuple[tuple[re.Pattern[str], int, str], ...]  # (regex, length, code)
    excluded_symbol_prefixes: tuple[str, ...]
    symbol_re: re.Pattern[str]
    definition_re: re.Pattern[str]
    title_re: re.Pattern[str]
    name_re: re.Pattern[str]
    settings: Settings
    org_words: frozenset[str] = field(default_factory=frozenset)


# --- loading ----------------------------------------------------------------------------


def _term_regex(term: str) -> str:
    """A term as a regex: any run of whitespace matches any other (titles wrap lines)."""
    body = r"\s+".join(re.escape(w) for w in term.split())
    return body if _is_acronym(term) else f"(?i:{body})"


def _is_acronym(term: str) -> bool:
    return not any(c.islower() for c in term)


def _key(text: str, acronym: bool) -> str:
    text = fold(text)
    return text if acronym else text.casefold()


def _prefix_regex(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix).replace("\\#", "#").replace("#", r"\d+"))


def _symbol_regex(prefixes: list[str]) -> re.Pattern[str]:
    """Generic symbols (letters/digits joined by / . -), plus prefixes with spaces or brackets
    from the YAML ("CL 170/5", "214 EX/5", "GC(66)/5") that the generic form cannot see."""
    seg = r"[A-Za-z0-9]+"
    # "-" joins the parts of one symbol ("A/ES-10/1027") but not two symbols
    # ("A/79/859-S/2025/220": a joint document of two organs).
    tail = (
        rf"(?:[./]{seg}|-(?![A-Z][A-Za-z.]*/){seg})*"
        r"(?:(?<=Doc)\.\s?\d+(?:\.\d+)*(?:\(\d+\))?)?"
    )
    special = sorted(
        {p for p in prefixes if re.search(r"[^A-Za-z0-9./#-]", p)}, key=len, reverse=True
    )
    alts = [_prefix_regex(p).pattern + seg + tail for p in special]
    alts.append(rf"[A-Z][A-Za-z0-9]*{tail}")
    return re.compile(rf"(?<![\w/.-])(?:{'|'.join(alts)})")


def load_catalog(path: Path = DATA_FILE, settings: Settings | None = None) -> Catalog:
    """Compile an organizations file (see the comments at the top of the YAML)."""
    settings = settings or default_settings()
    data = datafile.load(path, _OrganizationsFile)
    orgs: dict[str, Organization] = {}
    exact: dict[str, tuple[str | None, float]] = {}
    folded: dict[str, tuple[str | None, float]] = {}
    prefix_patterns: list[tuple[re.Pattern[str], int, str]] = []
    all_prefixes: list[str] = []
    weak_weight = settings.agency["weak"]

    def add(term: str, code: str | None, weight: float) -> None:
        acronym = _is_acronym(term)
        (exact if acronym else folded)[_key(term, acronym)] = (code, weight)

    for term in data.exclude:
        add(term, None, 0.0)
    for entry in data.organizations:
        code, name = entry.code, entry.name
        if code in orgs:
            raise ExtractError(f"organization code {code!r} listed twice", file=str(path))
        orgs[code] = Organization(code, name, tuple(entry.prefixes), entry.language_suffix)
        weak = set(entry.weak)
        for term in [name, *entry.names, *entry.aliases]:
            add(term, code, weak_weight if term in weak else 1.0)
        for term in weak:
            add(term, code, weak_weight)
        for p in entry.prefixes:
            prefix_patterns.append((_prefix_regex(p), len(p), code))
        all_prefixes.extend(entry.prefixes)

    terms = sorted({*exact, *folded}, key=len, reverse=True)
    alternation = "|".join(_term_regex(t) for t in terms)
    matcher = re.compile(rf"(?<!\w)(?<!\w-)(?:{alternation})(?!\w|-\w)")

    org_words = data.organization_words
    body_words = sorted(data.body_words, key=len, reverse=True)
    cap = r"[A-Z][\w'.-]*"
    link = "(?:" + "|".join(map(re.escape, settings.name_links)) + ")"
    definition_re = re.compile(
        rf"\b({cap}(?:[ ,]+(?:{cap}|{link}))*?)(?:'s)?\s*\(\s*([A-Z][A-Z0-9&-]{{1,11}})\s*\)"
    )
    bodies = "|".join(map(re.escape, body_words))
    title_re = re.compile(rf"(?m)^\s*(?:the\s+)?([A-Z][A-Z0-9&-]{{1,11}})\s+(?:{bodies})\b")
    # A capitalized name within one line (a title block's lines are separate names).
    name_re = re.compile(rf"\b{cap}(?:[ \t]+(?:{cap}|{link}))*")
    return Catalog(
        orgs=orgs,
        matcher=matcher,
        exact=exact,
        folded=folded,
        prefix_patterns=tuple(prefix_patterns),
        excluded_symbol_prefixes=tuple(data.excluded_symbol_prefixes),
        symbol_re=_symbol_regex(all_prefixes),
        definition_re=definition_re,
        title_re=title_re,
        name_re=name_re,
        settings=settings,
        org_words=frozenset(w.casefold() for w in org_words),
    )


@lru_cache(maxsize=1)
def default_settings() -> Settings:
    return load_settings(SETTINGS_FILE)


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    return load_catalog(DATA_FILE)


# --- the opening of the document ---------------------------------------------------------

# Folded before identification: hyphens, the soft hyphen, no-break spaces, curly quotes, tabs.
# No replacement is itself folded, so replacing one character after another is the same as
# ``str.translate``, which reads a non-ASCII text char by char through the table (it was 25
# times slower on the documents' full texts).
_FOLD = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u00ad": "",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\t": " ",
}
# A masthead prints the symbol's first letters apart from the rest ("E /ICEF/2025/4",
# "DP / 2025/19"): joined again before symbols are looked for.
_SPLIT_SYMBOL = re.compile(r"(?<![\w/])([A-Z]{1,6})(?: /|/ | / )(?=[A-Z0-9][A-Za-z0-9.-]*/)")


def _fold(text: str) -> str:
    for char, replacement in _FOLD.items():
        text = text.replace(char, replacement)
    return _SPLIT_SYMBOL.sub(r"\1/", text)


def opening(doc: Document, settings: Settings | None = None) -> str:
    """The text read for identification: pages 1-2, or (no pages) the first items and
    characters. Rows of a table that runs on past page 2 are left out."""
    return "\n".join(text for _, text in _opening_parts(doc, settings or default_settings()))


def _opening_parts(doc: Document, st: Settings) -> list[tuple[int | None, str]]:
    """The opening's texts with their pages (None: an unpaged document)."""
    parts: list[tuple[int | None, str]] = []
    size = 0
    for n, item in enumerate(doc.items):
        page = item.prov.page if isinstance(item, Block) else item.page
        if page is not None:
            if page > st.max_pages:
                break
        elif n >= st.max_items or size >= st.max_chars:
            break
        texts = [item.text] if isinstance(item, Block) else _cell_texts(item, st.max_pages)
        for text in texts:
            parts.append((page, _fold(text)))
            size += len(text) + 1
            if page is None and size >= st.max_chars:
                break
    return parts


def _top_lines(parts: list[tuple[int | None, str]], n_lines: int) -> int:
    """How many lines of the opening are the top of page 1 (its masthead): at most
    ``n_lines``, none of a later page."""
    count = 0
    for page, text in parts:
        if (page or 1) > 1:
            break
        count += text.count("\n") + 1
        if count >= n_lines:
            return n_lines
    return count


def _cell_texts(table: Table, max_pages: int) -> list[str]:
    return [
        c.text
        for r in table.rows
        if r.prov.page is None or r.prov.page <= max_pages
        for c in r.cells
        if c.text.strip()
    ]


# --- agency --------------------------------------------------------------------------------

_POSSESSIVE_RE = re.compile(r"'s\b")
_FIRST_PARAGRAPH = re.compile(r"\s*(?:1|I)(?:\.\s*|\s+)[A-Z]")
_DEFINITION_GAP = re.compile(r"(?:'s)?\s*\(\s*")


def _position_weight(pos: int, w: dict[str, float]) -> float:
    return 1.0 + w["top"] * math.exp(-pos / w["fade"] * math.log(2))


def title_end(text: str, settings: Settings | None = None) -> int:
    """Where the title block ends: at the first numbered paragraph or section ("1. The ...",
    "I. Introduction") or after ``title_lines`` lines, whichever comes first."""
    lines_max = (settings or default_settings()).agency["title_lines"]
    limit = 0
    for n, line in enumerate(text.split("\n")):
        if n >= lines_max or _FIRST_PARAGRAPH.match(line):
            break
        limit += len(line) + 1
    return limit


def _mention_score(
    cat: Catalog, text: str, start: int, end: int, weight: float, title: int
) -> float:
    w = cat.settings.agency
    score = weight * _position_weight(start, w) * (w["title"] if start < title else 1.0)
    if _POSSESSIVE_RE.match(text, end):
        score += weight * w["possessive"]
    if cat.settings.author_cue.search(text[max(0, start - 60) : start]):
        score += weight * w["author"]
    return score


def _lookup(cat: Catalog, found: str) -> tuple[str | None, float] | None:
    hit = cat.exact.get(_key(found, True))
    return hit if hit is not None else cat.folded.get(_key(found, False))


@dataclass
class _Candidate:
    mentions: list[float] = field(default_factory=list)
    bonus: float = 0.0
    first: int = 1 << 30
    name: str | None = None

    def score(self, damping: float) -> float:
        """Strongest mentions first, the k-th counting less: frequency matters, but
        forty passing "United Nations" do not outweigh a dozen named ones."""
        ranked = sorted(self.mentions, reverse=True)
        return self.bonus + sum(s / k**damping for k, s in enumerate(ranked, 1))


def _known_mentions(cat: Catalog, text: str, cands: dict[str, _Candidate], title: int) -> None:
    """Score every mention of a known organization (excluded phrases match, and count nothing)."""
    last_code: str | None = None
    last_end = -1
    for m in cat.matcher.finditer(text):
        hit = _lookup(cat, m.group())
        if hit is None or hit[0] is None:
            continue
        code, weight = hit[0], hit[1]
        # "Chief Executives Board (CEB)": a name and its acronym are one mention.
        gap = text[last_end : m.start()]
        last_code, last_end, repeated = code, m.end(), code == last_code
        if repeated and _DEFINITION_GAP.fullmatch(gap):
            continue
        cand = cands[code]
        cand.mentions.append(_mention_score(cat, text, m.start(), m.end(), weight, title))
        cand.first = min(cand.first, m.start())


def _masthead(cat: Catalog, text: str, cands: dict[str, _Candidate]) -> None:
    """An organization's full name alone on the document's first line is its masthead: the
    author, whichever of its offices the title then names ("International Atomic Energy
    Agency" above "Office of Internal Oversight Services (OIOS)")."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    hit = _lookup(cat, first) if first and not _is_acronym(first) else None
    if hit is not None and hit[0] is not None and hit[1] >= 1.0:
        cands[hit[0]].bonus += cat.settings.agency["masthead"]


def _initials(words: list[str], links: tuple[str, ...]) -> str:
    return "".join(w[0].upper() for w in words if w.casefold() not in links)


def _clean_name(name: str, cat: Catalog, acronym: str | None = None) -> str | None:
    """An organization's name from a captured run of capitalized words, or None when the run
    names something else ("Independent Country Programme Evaluation", "Executive Board").

    Trimmed at the front to the shortest tail whose initials spell ``acronym`` ("cooperation
    between the United Nations and the Organization of Islamic Cooperation (OIC)" -> the last
    four words), and accepted only if one of its words is an organization word that ends the
    name or is followed by a linking word ("... Organization", "Office of ...", "Mission in
    ..."): in "Country Programme Evaluation" the organization word is not the head."""
    st = cat.settings
    words = name.replace(",", " ").split()
    while words and (words[0].islower() or words[0].casefold() in st.articles):
        words = words[1:]
    if acronym:
        for k in range(len(words) - 1, -1, -1):
            if words[k][0].isupper() and _initials(words[k:], st.name_links) == acronym.upper():
                words = words[k:]
                break
    links = set(st.name_links)
    heads = [
        i
        for i, w in enumerate(words)
        if w.strip("'.").casefold() in cat.org_words
        and (i == len(words) - 1 or words[i + 1].casefold() in links)
    ]
    if not heads:
        return None
    while words and words[-1].casefold() in links:
        words = words[:-1]
    return " ".join(words) or None


def _unknown_candidates(
    cat: Catalog, text: str, full_text: str
) -> tuple[dict[str, str | None], set[str]]:
    """Acronyms the document introduces for itself and the YAML does not know, and those of
    them that head the title block as an organization with its organ ("IFSO Council")."""
    known = set(cat.exact) | {k.upper() for k in cat.folded}
    found: dict[str, str | None] = {}
    for m in cat.definition_re.finditer(text):
        acr = m.group(2)
        if acr in known or acr in found:
            continue
        name = _clean_name(m.group(1), cat, acr)
        # an excluded phrase ("Office of the Inspector General (OIG)") names no author
        if name and cat.folded.get(_key(name, False), ("", 1.0))[0] is not None:
            found[acr] = name
    head = "\n".join(text.splitlines()[:12])
    titled: set[str] = set()
    for m in cat.title_re.finditer(head):
        acr = m.group(1)
        if acr not in known:
            titled.add(acr)
            found.setdefault(acr, None)
    for acr, name in found.items():
        if name is None:  # named in a title only: look for its definition anywhere
            for m in cat.definition_re.finditer(full_text):
                if m.group(2) == acr:
                    found[acr] = _clean_name(m.group(1), cat, acr)
                    break
    return found, titled


def _prefix_owners(cat: Catalog, symbol: str, extra: dict[str, str | None]) -> set[str]:
    """Organizations whose symbol prefix (the longest that fits) begins ``symbol``."""
    best, owners = 0, set()
    for regex, length, code in cat.prefix_patterns:
        if regex.match(symbol):
            if length > best:
                best, owners = length, {code}
            elif length == best:
                owners.add(code)
    for acr in extra:  # an unknown organization's own code as a prefix ("IFSO/C/3")
        if symbol.startswith(acr + "/") and len(acr) + 1 >= best:
            best, owners = len(acr) + 1, {acr}
    return owners


# --- symbol --------------------------------------------------------------------------------


def _in_brackets(before: str) -> bool:
    """An unclosed "(" just before: a reference, "the last report (WO/PBC/33/7)"."""
    opened = before.rfind("(")
    return opened >= len(before) - 40 and opened >= 0 and ")" not in before[opened:]


@dataclass
class _Symbol:
    score: float = 0.0
    first: int = 1 << 30
    standalone: bool = False
    top: bool = False
    owners: set[str] = field(default_factory=set)


def _with_suffix(cat: Catalog, line: str, end: int, raw: str) -> str:
    """The symbol with what belongs to it after it: "(Part II)", a resolution's "(2025)"."""
    for pattern, when in cat.settings.symbol_suffixes:
        if when is not None and not when.search(raw):
            continue
        m = pattern.match(line, end + 1 if line[end : end + 1] == " " else end)
        if m:
            return f"{raw} {m.group()}"
    return raw


# After a masthead symbol: nothing, or the joint organ's symbol ("A/ES-10/1027- S/2025/173").
_JOINT = re.compile(r"\s*(?:[-\u2013\u2014]\s*[A-Z][\w./-]*\s*)?")


def _is_name(cat: Catalog, text: str) -> bool:
    """``text`` is nothing but organization names ("United Nations" beside a masthead symbol)."""
    text = text.strip(" ,;:-")
    return bool(text) and not cat.matcher.sub("", text).strip(" ,;:-")


def _symbol_candidates(
    cat: Catalog, text: str, extra: dict[str, str | None], top: range = range(0)
) -> dict[str, _Symbol]:
    """Every symbol-like token of ``text`` with its score; the lines numbered in ``top`` are
    the top of page 1 (the masthead)."""
    st = cat.settings
    w = st.symbol
    cands: dict[str, _Symbol] = defaultdict(_Symbol)
    offset = 0
    for n, line in enumerate(text.split("\n")):
        at_top = n in top
        for m in cat.symbol_re.finditer(line):
            raw = m.group()
            if "/" not in raw or not re.search(r"\d", raw):
                continue
            if any(raw.startswith(p) for p in cat.excluded_symbol_prefixes):
                continue
            owners = _prefix_owners(cat, raw, extra)
            symbol = _with_suffix(cat, line, m.end(), raw)
            if any(cat.orgs[o].language_suffix for o in owners if o in cat.orgs):
                symbol = st.language_suffix.sub("", symbol)
            cand = cands[symbol]
            cand.owners = owners
            cand.first = min(cand.first, offset + m.start())
            cand.score += 1.0
            before, after = line[: m.start()], line[m.start() + len(symbol) :]
            alone = st.standalone_line.match(line)
            if (alone and alone.group("s") == symbol) or (
                _JOINT.fullmatch(after) and _is_name(cat, before)
            ):
                if not cand.standalone:
                    cand.score += w["standalone"]
                cand.standalone = True
                if at_top and not cand.top:
                    cand.score += w["first_page_top"]
                    cand.top = True
            elif st.document_cue.search(before):
                cand.score += w["document"]
            elif _in_brackets(before) or st.cited_after.search(before):
                cand.score += w["cited"]
        offset += len(line) + 1
    return cands


def _pick_symbol(cat: Catalog, cands: dict[str, _Symbol], agency: str | None) -> str | None:
    w = cat.settings.symbol

    def total(item: tuple[str, _Symbol]) -> float:
        sym = item[1]
        return sym.score + (w["agency"] if agency is not None and agency in sym.owners else 0.0)

    ranked = sorted(cands.items(), key=lambda it: (-total(it), it[1].first))
    if not ranked or total(ranked[0]) < w["min"]:
        return None
    symbol, cand = ranked[0]
    # A document lists its own addenda ("CEB/2020/5/Add.1"); its symbol is their base.
    return symbol if cand.standalone else cat.settings.addendum_suffix.sub("", symbol)


def _with_furniture(doc: Document, text: str) -> tuple[str, int]:
    """The opening with the running header/footer lines first, and how many lines they take:
    some documents print their own symbol only there ("A/47/14 page 2"); such a line weighs
    as one standing alone. Dropped from ``doc.items`` by the readers, they are kept in
    ``doc.furniture``."""
    lines = [_fold(b.text) for b in doc.furniture]
    return "\n".join([*lines, text]), sum(line.count("\n") + 1 for line in lines)


# --- as-of date ----------------------------------------------------------------------------

_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
# A footnote mark printed against the year ("as at 28 February 20252") is not part of it.
_YEAR = r"(?P<{g}>(?:19|20)\d\d)(?:\d{{1,2}})?(?![0-9])"


def _as_of_regex(phrases: list[str], months: dict[str, int]) -> re.Pattern[str]:
    month = r"(?P<{g}>" + "|".join(map(re.escape, sorted(months, key=len, reverse=True))) + r")\.?"
    dates = (
        _DAY.format(g="d1")
        + r"\s+(?:of\s+)?"
        + month.format(g="m1")
        + r",?\s+"
        + _YEAR.format(g="y1"),
        month.format(g="m2") + r"\s+" + _DAY.format(g="d2") + r",?\s+" + _YEAR.format(g="y2"),
        r"(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)",
        r"(?:(?:the\s+)?end(?:\s+of|-)?\s*)?"
        + month.format(g="m4")
        + r",?\s+"
        + _YEAR.format(g="y4"),
    )
    return re.compile(
        r"(?i)\b(?:" + "|".join(phrases) + r")\s+(?:the\s+)?(?:" + "|".join(dates) + ")"
    )


def _dates(text: str, st: Settings) -> list[tuple[int, int, str]]:
    """Every valid as-at date in ``text``: (start, end, ISO date)."""
    out: list[tuple[int, int, str]] = []
    for m in st.as_of_re.finditer(text):
        g = m.groupdict()
        try:
            if g["y1"]:
                d = date(int(g["y1"]), st.months[g["m1"].casefold()], int(g["d1"]))
            elif g["y2"]:
                d = date(int(g["y2"]), st.months[g["m2"].casefold()], int(g["d2"]))
            elif g["y3"]:
                d = date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
            else:
                year, month = int(g["y4"]), st.months[g["m4"].casefold()]
                d = date(year, month, calendar.monthrange(year, month)[1])
        except ValueError:  # "as of 31 February": not a date
            continue
        out.append((m.start(), m.end(), d.isoformat()))
    return out


def find_as_of(text: str, settings: Settings | None = None) -> str | None:
    """The first valid "as at/of <date>" in ``text``, as an ISO date."""
    found = _dates(text, settings or default_settings())
    return found[0][2] if found else None


_SENTENCE_END = re.compile(r"[.;]\s|\n")
_SENTENCE_MAX = 400  # how far back a sentence is looked for (a long document has many dates)


def find_status_date(text: str, settings: Settings | None = None) -> str | None:
    """The first as-at date anywhere in ``text`` that dates statuses: in a line or sentence
    that speaks of recommendations (a status table's title "Status of implementation ..., as
    at 28 February 2025"), or a short line that is itself a status date (a column "Status
    Update May 2021")."""
    st = settings or default_settings()
    for start, end, iso in _dates(text, st):
        lo = max(0, start - _SENTENCE_MAX)
        ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
        left = ends[-1] if ends else lo
        after = _SENTENCE_END.search(text, end)
        right = after.start() if after else len(text)
        if st.as_of_cue.search(text[left:right]):
            return iso
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if text[start:end].casefold().startswith("status") and len(line) <= st.as_of_heading_max:
            return iso
    return None


# --- putting it together -----------------------------------------------------------------


def identify(doc: Document) -> Identity:
    """Agency, symbol and as-of date of ``doc``, from its opening (see the module docstring)."""
    return identify_with(doc, default_catalog())


def identify_with(doc: Document, cat: Catalog) -> Identity:
    st = cat.settings
    parts = _opening_parts(doc, st)
    text = "\n".join(t for _, t in parts)
    cands: dict[str, _Candidate] = defaultdict(_Candidate)
    title = title_end(text, st)
    _known_mentions(cat, text, cands, title)
    _masthead(cat, text, cands)

    full_text = _fold(doc.text())
    unknown, titled = _unknown_candidates(cat, text, full_text)
    if unknown:
        acr_re = re.compile(
            r"(?<!\w)(?<!\w-)(" + "|".join(map(re.escape, unknown)) + r")(?!\w|-\w)"
        )
        mentions: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in acr_re.finditer(text):
            mentions[m.group(1)].append((m.start(), m.end()))
        for acr, spans in mentions.items():
            if len(spans) < st.agency["unknown_min_mentions"] and acr not in titled:
                continue  # named once in passing: a topic, not the author
            cand = cands[acr]
            cand.name = unknown[acr]
            for a, b in spans:
                cand.mentions.append(_mention_score(cat, text, a, b, 1.0, title))
                cand.first = min(cand.first, a)

    symbol_text, skip = _with_furniture(doc, text)
    top = range(skip, skip + _top_lines(parts, int(st.symbol["first_page_lines"])))
    symbols = _symbol_candidates(cat, symbol_text, unknown, top)
    for sym in symbols.values():
        if sym.standalone or sym.score >= 1.0 + st.symbol["document"]:
            for owner in sym.owners:
                if owner in cat.orgs or owner in cands:
                    cands[owner].bonus += st.agency["prefix"]
                    cands[owner].first = min(cands[owner].first, sym.first)

    agency: str | None = None
    name: str | None = None
    if cands:
        damping = st.agency["damping"]
        scores = {code: cand.score(damping) for code, cand in cands.items()}
        # A tie (a shared symbol prefix, "A/", and no name to decide) goes to the
        # organization listed first in the YAML: the same answer on every run.
        order = {code: n for n, code in enumerate(cat.orgs)}
        agency = min(cands, key=lambda c: (-scores[c], cands[c].first, order.get(c, len(order)), c))
        org = cat.orgs.get(agency)
        name = org.name if org else cands[agency].name
    else:
        agency, name = _self_named(cat, text)

    return Identity(
        agency=agency,
        agency_name=name,
        document_symbol=_pick_symbol(cat, symbols, agency),
        as_of=find_as_of(text, st) or find_status_date(full_text, st),
    )


def _self_named(cat: Catalog, text: str) -> tuple[str | None, str | None]:
    """Last resort, no acronym anywhere: a capitalized organization name on one of the first
    lines; its code is the initials of its capitalized words, if that makes a short code."""
    for line in text.splitlines()[:12]:
        for m in cat.name_re.finditer(line):
            name = _clean_name(m.group(), cat)
            if not name or len(name.split()) < 2:
                continue
            code = "".join(w[0] for w in name.split() if w[0].isupper())
            if 2 <= len(code) <= cat.settings.agency["max_code_length"]:
                return code, name
    return None, None
