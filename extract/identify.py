"""Who wrote a document, under which symbol, and as of which date: read from the document itself.

Only the opening of the document is read (its first two pages; for DOCX, which has no pages,
the first items up to about two pages of text), because that is where a report names its
author, its symbol and its reporting date, while the body cites other agencies and documents
freely. Knowledge of organizations lives in ``data/organizations.yaml``; nothing here knows
any agency or file by name.

Agency: every mention of a known organization scores, weighted by position (earlier counts
more, the title block before the first numbered paragraph double), with diminishing returns
for repetition, plus possessives ("UN-Women's policies"), author phrases ("prepared by",
"report of") and the prefix of a symbol the document clearly carries. Generic mentions
("United Nations") count little, and system-wide phrases ("United Nations system", the Joint
Inspection Unit) not at all. An organization missing from the YAML is named from how the
document introduces it ("... Organization (IFSO)", a title "IFSO Council").

Symbol: a document symbol standing alone on a line, or after "document", or repeated, or
whose prefix is the agency's. Parenthesized references ("the last report (WO/PBC/33/7)") are
citations; JIU symbols are never the document's own.

As-of date: the first "as at / as of <date>" in the opening. A month without a day
("as at end-March 2022", "as of May 2021") is taken as the month's last day, the date a status
is usually reported at; a bare "Update May 2021" is not an as-of date.
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
from typing import Any

import yaml

from core.model import Block, Document, Table

from .errors import ExtractError

DATA_FILE = Path(__file__).parent / "data" / "organizations.yaml"

# The opening that is read: PDF pages, or (DOCX, no pages) items and characters.
MAX_PAGES = 2
MAX_ITEMS = 60
MAX_CHARS = 8000

# Scoring weights. Position: a mention at the very top counts 1 + _TOP times, fading with a
# half-life of about _FADE characters.
_TOP = 2.0
_FADE = 400.0
_WEAK = 0.25  # weight of a generic mention ("United Nations")
_TITLE = 2.0  # a mention in the title block (before the first numbered paragraph) counts double
_TITLE_LINES = 15
_POSSESSIVE = 1.0
_AUTHOR = 3.0
_PREFIX = 4.0  # the document's own symbol carries the organization's prefix
_DAMPING = 0.5  # the k-th strongest mention of an organization counts 1/k**_DAMPING

_SYM_STANDALONE = 10.0
_SYM_DOCUMENT = 5.0
_SYM_CITED = -3.0
_SYM_AGENCY = 3.0
_SYM_MIN = 3.0


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
    org_words: frozenset[str] = field(default_factory=frozenset)


# --- loading ----------------------------------------------------------------------------


def _term_regex(term: str) -> str:
    """A term as a regex: any run of whitespace matches any other (titles wrap lines)."""
    body = r"\s+".join(re.escape(w) for w in term.split())
    return body if _is_acronym(term) else f"(?i:{body})"


def _is_acronym(term: str) -> bool:
    return not any(c.islower() for c in term)


def _key(text: str, acronym: bool) -> str:
    text = " ".join(text.split())
    return text if acronym else text.casefold()


def _prefix_regex(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix).replace("\\#", "#").replace("#", r"\d+"))


def _symbol_regex(prefixes: list[str]) -> re.Pattern[str]:
    """Generic symbols (letters/digits joined by / . -), plus prefixes with spaces or brackets
    from the YAML ("CL 170/5", "214 EX/5", "GC(66)/5") that the generic form cannot see."""
    seg = r"[A-Za-z0-9]+"
    tail = rf"(?:[./-]{seg})*(?:(?<=Doc)\.\s?\d+(?:\.\d+)*(?:\(\d+\))?)?"
    special = sorted(
        {p for p in prefixes if re.search(r"[^A-Za-z0-9./#-]", p)}, key=len, reverse=True
    )
    alts = [_prefix_regex(p).pattern + seg + tail for p in special]
    alts.append(rf"[A-Z][A-Za-z0-9]*{tail}")
    return re.compile(rf"(?<![\w/.-])(?:{'|'.join(alts)})")


def load_catalog(path: Path = DATA_FILE) -> Catalog:
    """Compile an organizations file (see the comments at the top of the YAML)."""
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractError(f"cannot read organizations file: {exc}", file=str(path)) from exc
    orgs: dict[str, Organization] = {}
    exact: dict[str, tuple[str | None, float]] = {}
    folded: dict[str, tuple[str | None, float]] = {}
    prefix_patterns: list[tuple[re.Pattern[str], int, str]] = []
    all_prefixes: list[str] = []

    def add(term: str, code: str | None, weight: float) -> None:
        acronym = _is_acronym(term)
        (exact if acronym else folded)[_key(term, acronym)] = (code, weight)

    for term in data.get("exclude") or []:
        add(str(term), None, 0.0)
    for entry in data.get("organizations") or []:
        code, name = str(entry["code"]), str(entry["name"])
        if code in orgs:
            raise ExtractError(f"organization code {code!r} listed twice", file=str(path))
        prefixes = tuple(str(p) for p in entry.get("prefixes") or [])
        orgs[code] = Organization(code, name, prefixes, bool(entry.get("language_suffix")))
        weak = {str(w) for w in entry.get("weak") or []}
        for term in [name, *(entry.get("names") or []), *(entry.get("aliases") or [])]:
            add(str(term), code, _WEAK if term in weak else 1.0)
        for term in weak:
            add(term, code, _WEAK)
        for p in prefixes:
            prefix_patterns.append((_prefix_regex(p), len(p), code))
        all_prefixes.extend(prefixes)

    terms = sorted({*exact, *folded}, key=len, reverse=True)
    alternation = "|".join(_term_regex(t) for t in terms)
    matcher = re.compile(rf"(?<!\w)(?<!\w-)(?:{alternation})(?!\w|-\w)")

    org_words = [str(w) for w in data.get("organization_words") or []]
    body_words = sorted((str(w) for w in data.get("body_words") or []), key=len, reverse=True)
    cap = r"[A-Z][\w'’.-]*"
    link = r"(?:of|for|on|the|and|in|de|la|le|les|des|du|pour|et|del|para|y)"
    definition_re = re.compile(
        rf"\b({cap}(?:[ ,]+(?:{cap}|{link}))*?)(?:'s|’s)?\s*\(\s*([A-Z][A-Z0-9&-]{{1,11}})\s*\)"
    )
    bodies = "|".join(map(re.escape, body_words))
    title_re = re.compile(rf"(?m)^\s*(?:the\s+)?([A-Z][A-Z0-9&-]{{1,11}})\s+(?:{bodies})\b")
    return Catalog(
        orgs=orgs,
        matcher=matcher,
        exact=exact,
        folded=folded,
        prefix_patterns=tuple(prefix_patterns),
        excluded_symbol_prefixes=tuple(str(p) for p in data.get("excluded_symbol_prefixes") or []),
        symbol_re=_symbol_regex(all_prefixes),
        definition_re=definition_re,
        title_re=title_re,
        org_words=frozenset(w.casefold() for w in org_words),
    )


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    return load_catalog(DATA_FILE)


# --- the opening of the document ---------------------------------------------------------

_FOLD = str.maketrans(
    {
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
)


def opening(doc: Document) -> str:
    """The text read for identification: pages 1-2, or (no pages) the first items and
    characters. Rows of a table that runs on past page 2 are left out."""
    parts: list[str] = []
    size = 0
    for n, item in enumerate(doc.items):
        page = item.prov.page if isinstance(item, Block) else item.page
        if page is not None:
            if page > MAX_PAGES:
                break
        elif n >= MAX_ITEMS or size >= MAX_CHARS:
            break
        texts = [item.text] if isinstance(item, Block) else _cell_texts(item)
        for text in texts:
            parts.append(text.translate(_FOLD))
            size += len(text) + 1
            if page is None and size >= MAX_CHARS:
                break
    return "\n".join(parts)


def _cell_texts(table: Table) -> list[str]:
    return [
        c.text
        for r in table.rows
        if r.prov.page is None or r.prov.page <= MAX_PAGES
        for c in r.cells
        if c.text.strip()
    ]


# --- agency --------------------------------------------------------------------------------

_AUTHOR_CUE = re.compile(
    r"(?i)\b(?:prepared|submitted|presented|issued|produced|transmitted)\s+by\s+(?:the\s+)?"
    r"(?:secretariat\s+of\s+(?:the\s+)?)?$|\b(?:report|note|document)\s+(?:of|by)\s+(?:the\s+)?$"
)
_POSSESSIVE_RE = re.compile(r"'s\b")
_FIRST_PARAGRAPH = re.compile(r"\s*(?:1|I)(?:\.\s*|\s+)[A-Z]")
_DEFINITION_GAP = re.compile(r"(?:'s)?\s*\(\s*")


def _position_weight(pos: int) -> float:
    return 1.0 + _TOP * math.exp(-pos / _FADE * math.log(2))


def title_end(text: str) -> int:
    """Where the title block ends: at the first numbered paragraph or section ("1. The ...",
    "I. Introduction") or after _TITLE_LINES lines, whichever comes first."""
    limit = 0
    for n, line in enumerate(text.split("\n")):
        if n >= _TITLE_LINES or _FIRST_PARAGRAPH.match(line):
            break
        limit += len(line) + 1
    return limit


def _mention_score(text: str, start: int, end: int, weight: float, title: int) -> float:
    score = weight * _position_weight(start) * (_TITLE if start < title else 1.0)
    if _POSSESSIVE_RE.match(text, end):
        score += weight * _POSSESSIVE
    if _AUTHOR_CUE.search(text[max(0, start - 60) : start]):
        score += weight * _AUTHOR
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

    @property
    def score(self) -> float:
        """Strongest mentions first, the k-th counting less: frequency matters, but
        forty passing "United Nations" do not outweigh a dozen named ones."""
        ranked = sorted(self.mentions, reverse=True)
        return self.bonus + sum(s / k**_DAMPING for k, s in enumerate(ranked, 1))


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
        cand.mentions.append(_mention_score(text, m.start(), m.end(), weight, title))
        cand.first = min(cand.first, m.start())


def _clean_name(name: str, cat: Catalog) -> str | None:
    """Trim a captured name to the capitalized run that holds an organization word."""
    words = name.replace(",", " ").split()
    while words and (words[0].islower() or words[0].casefold() in {"the", "la", "le", "el"}):
        words = words[1:]
    if not any(w.strip("'’.").casefold() in cat.org_words for w in words):
        return None
    return " ".join(words) or None


def _unknown_candidates(cat: Catalog, text: str, full_text: str) -> dict[str, str | None]:
    """Acronyms the document introduces for itself and the YAML does not know."""
    known = set(cat.exact) | {k.upper() for k in cat.folded}
    found: dict[str, str | None] = {}
    for m in cat.definition_re.finditer(text):
        acr = m.group(2)
        if acr in known or acr in found:
            continue
        name = _clean_name(m.group(1), cat)
        if name:
            found[acr] = name
    head = "\n".join(text.splitlines()[:12])
    for m in cat.title_re.finditer(head):
        acr = m.group(1)
        if acr not in known and acr not in found:
            found[acr] = None
    for acr, name in found.items():
        if name is None:  # named in a title only: look for its definition anywhere
            for m in cat.definition_re.finditer(full_text):
                if m.group(2) == acr:
                    found[acr] = _clean_name(m.group(1), cat)
                    break
    return found


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

_SUFFIX_RE = re.compile(r"/(?:Add|Rev|Corr|Amend)\.\d+$")
_LANGUAGE_RE = re.compile(r"-[EFSARC]$")
_STANDALONE_RE = re.compile(
    r"(?i)^\s*(?:document\s*(?:no\.?\s*)?:?\s*)?(?P<s>\S.*?)\s*(?:page\s*\d+)?\s*$"
)
_DOC_CUE = re.compile(r"(?i)(?:^|\(|\bthe\s+present\s+|\bthis\s+)\s*document\s*(?:no\.?\s*)?:?\s*$")
_ORG_DOC = re.compile(r"\b[A-Z][\w-]*\s+document\s*$")


def _in_brackets(before: str) -> bool:
    """An unclosed "(" just before: a reference, "the last report (WO/PBC/33/7)"."""
    opened = before.rfind("(")
    return opened >= len(before) - 40 and opened >= 0 and ")" not in before[opened:]


@dataclass
class _Symbol:
    score: float = 0.0
    first: int = 1 << 30
    standalone: bool = False
    owners: set[str] = field(default_factory=set)


def _symbol_candidates(cat: Catalog, text: str, extra: dict[str, str | None]) -> dict[str, _Symbol]:
    cands: dict[str, _Symbol] = defaultdict(_Symbol)
    lines = text.split("\n")
    offset = 0
    for line in lines:
        for m in cat.symbol_re.finditer(line):
            raw = m.group()
            if "/" not in raw or not re.search(r"\d", raw):
                continue
            if any(raw.startswith(p) for p in cat.excluded_symbol_prefixes):
                continue
            owners = _prefix_owners(cat, raw, extra)
            symbol = raw
            if any(cat.orgs[o].language_suffix for o in owners if o in cat.orgs):
                symbol = _LANGUAGE_RE.sub("", symbol)
            cand = cands[symbol]
            cand.owners = owners
            cand.first = min(cand.first, offset + m.start())
            cand.score += 1.0
            before = line[: m.start()]
            alone = _STANDALONE_RE.match(line)
            if alone and alone.group("s") == raw:
                cand.score += _SYM_STANDALONE
                cand.standalone = True
            elif _DOC_CUE.search(before):
                cand.score += _SYM_DOCUMENT
            elif _in_brackets(before) or _ORG_DOC.search(before):
                cand.score += _SYM_CITED
        offset += len(line) + 1
    return cands


def _pick_symbol(cands: dict[str, _Symbol], agency: str | None) -> str | None:
    def total(item: tuple[str, _Symbol]) -> float:
        sym = item[1]
        return sym.score + (_SYM_AGENCY if agency is not None and agency in sym.owners else 0.0)

    ranked = sorted(cands.items(), key=lambda it: (-total(it), it[1].first))
    if not ranked or total(ranked[0]) < _SYM_MIN:
        return None
    symbol, cand = ranked[0]
    # A document lists its own addenda ("CEB/2020/5/Add.1"); its symbol is their base.
    return symbol if cand.standalone else _SUFFIX_RE.sub("", symbol)


def _with_furniture(doc: Document, text: str) -> str:
    """The opening with the running header/footer lines first: some documents print their
    own symbol only there ("A/47/14 page 2"); such a line weighs as one standing alone at
    the top. Dropped from ``doc.items`` by the readers, they are kept in ``doc.furniture``."""
    lines = [b.text.translate(_FOLD) for b in doc.furniture]
    return "\n".join([*lines, text]) if lines else text


# --- as-of date ----------------------------------------------------------------------------

_MONTHS = {
    name.casefold(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<{g}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)(?![0-9])"
_DATES = (
    _DAY.format(g="d1")
    + r"\s+(?:of\s+)?"
    + _MONTH.format(g="m1")
    + r",?\s+"
    + _YEAR.format(g="y1"),
    _MONTH.format(g="m2") + r"\s+" + _DAY.format(g="d2") + r",?\s+" + _YEAR.format(g="y2"),
    r"(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)",
    r"(?:(?:the\s+)?end(?:\s+of|-)?\s*)?" + _MONTH.format(g="m4") + r",?\s+" + _YEAR.format(g="y4"),
)
_AS_OF = re.compile(
    r"(?i)\b(?:as\s+(?:at|of)|status\s+(?:at|on))\s+(?:the\s+)?(?:" + "|".join(_DATES) + ")"
)


def find_as_of(text: str) -> str | None:
    """The first valid "as at/of <date>" in ``text``, as an ISO date."""
    for m in _AS_OF.finditer(text):
        g = m.groupdict()
        try:
            if g["y1"]:
                d = date(int(g["y1"]), _MONTHS[g["m1"].casefold()], int(g["d1"]))
            elif g["y2"]:
                d = date(int(g["y2"]), _MONTHS[g["m2"].casefold()], int(g["d2"]))
            elif g["y3"]:
                d = date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
            else:
                year, month = int(g["y4"]), _MONTHS[g["m4"].casefold()]
                d = date(year, month, calendar.monthrange(year, month)[1])
        except ValueError:  # "as of 31 February": not a date
            continue
        return d.isoformat()
    return None


# --- putting it together -----------------------------------------------------------------


def identify(doc: Document) -> Identity:
    """Agency, symbol and as-of date of ``doc``, from its opening (see the module docstring)."""
    return identify_with(doc, default_catalog())


def identify_with(doc: Document, cat: Catalog) -> Identity:
    text = opening(doc)
    cands: dict[str, _Candidate] = defaultdict(_Candidate)
    title = title_end(text)
    _known_mentions(cat, text, cands, title)

    unknown = _unknown_candidates(cat, text, doc.text().translate(_FOLD))
    if unknown:
        acr_re = re.compile(
            r"(?<!\w)(?<!\w-)(" + "|".join(map(re.escape, unknown)) + r")(?!\w|-\w)"
        )
        for m in acr_re.finditer(text):
            cand = cands[m.group(1)]
            cand.name = unknown[m.group(1)]
            cand.mentions.append(_mention_score(text, m.start(), m.end(), 1.0, title))
            cand.first = min(cand.first, m.start())

    symbols = _symbol_candidates(cat, _with_furniture(doc, text), unknown)
    for sym in symbols.values():
        if sym.standalone or sym.score >= 1.0 + _SYM_DOCUMENT:
            for owner in sym.owners:
                cands[owner].bonus += _PREFIX
                cands[owner].first = min(cands[owner].first, sym.first)

    agency: str | None = None
    name: str | None = None
    if cands:
        scores = {code: cand.score for code, cand in cands.items()}
        agency = min(cands, key=lambda c: (-scores[c], cands[c].first))
        org = cat.orgs.get(agency)
        name = org.name if org else cands[agency].name
    else:
        agency, name = _self_named(cat, text)

    return Identity(
        agency=agency,
        agency_name=name,
        document_symbol=_pick_symbol(symbols, agency),
        as_of=find_as_of(text),
    )


_NAME_RE = re.compile(r"\b(?:[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|of|for|on|the|and|in))*")


def _self_named(cat: Catalog, text: str) -> tuple[str | None, str | None]:
    """Last resort, no acronym anywhere: a capitalized organization name in the first lines;
    its code is the initials of its capitalized words."""
    head = "\n".join(text.splitlines()[:12])
    for m in _NAME_RE.finditer(head):
        name = _clean_name(m.group(), cat)
        if name and len(name.split()) > 1:
            code = "".join(w[0] for w in name.split() if w[0].isupper())
            return code, name
    return None, None
