"""Text as people read it: the hard line breaks a PDF puts in a paragraph, joined.

A PDF cell or paragraph arrives with a line break wherever the printed line ended. Readers of
the database want the sentence, so :func:`join_lines` joins those lines with a space, and a
word broken across lines ("imple-\\nmentation") without its hyphen. A hyphen at a line end is
not always a break, though: in UN reports it is more often a compound that happened to end the
line ("decision-\\nmaking", "cross-\\nborder", "follow-\\nup"), and that hyphen is kept. Which
one it is gets decided from evidence, in this order:

1. the document's own words (``seen``): a form the document prints unbroken elsewhere wins
   ("accountability" in one row decides "account-\\nability" in another);
2. how often English writes the joined word versus the hyphenated one (wordfreq's small
   English list): "implementation" is a word and "imple-mentation" is not, while
   "followup" is rarer than "follow-up".

A right part starting with a capital or a digit keeps the hyphen ("UN-\\nWomen", "2020-\\n2021").
Blank lines (paragraph breaks) and lines starting a list item ("(a)", "•") after a line that
ends a clause are kept as line breaks, so a list still reads as a list. The raw text is kept
beside the joined one (``Assessment.rec_text_raw``): nothing here can lose what was printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_SOFT_HYPHEN = "\u00ad"
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*")
# A line that starts a list item: a bullet glyph, or an enumerator such as (a), (iv), a), 1.
_ITEM = re.compile(r"^(?:[•▪■◦●‣∙·–—]\s|\(?[a-z]\)\s|\((?:[ivx]+|\d+)\)\s|\d+\.\s)", re.I)
_CLAUSE_END = (":", ";", ".")


def words(texts: Iterable[str]) -> frozenset[str]:
    """The words printed unbroken in ``texts`` (lower case; hyphenated compounds whole), the
    evidence :func:`join_lines` reads first. Words split across a line are not counted."""
    out: set[str] = set()
    for text in texts:
        for line in text.replace(_SOFT_HYPHEN, "").splitlines():
            out.update(m.group(0).lower() for m in _WORD.finditer(line.strip()))
    return frozenset(out)


def join_lines(text: str, seen: frozenset[str] = frozenset()) -> str:
    """``text`` with its hard line breaks joined (see the module docstring for the rules).

    ``seen`` are the words the document prints unbroken (:func:`words`); the text's own words
    are always added. Pure and idempotent: text without line breaks comes back unchanged
    except for runs of spaces collapsed and ends trimmed.
    """
    text = text.replace(_SOFT_HYPHEN, "").replace("\r\n", "\n").replace("\r", "\n")
    evidence = seen | words([text])
    paragraphs: list[str] = []
    current = ""
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if not current:
            current = line
        elif _ITEM.match(line) and current.endswith(_CLAUSE_END):
            paragraphs.append(current)
            current = line
        else:
            current = _join(current, line, evidence)
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def _join(left: str, right: str, evidence: frozenset[str]) -> str:
    """Two consecutive lines of one paragraph as one."""
    if left[-1] not in _HYPHENS or len(left) < 2 or not left[-2].isalnum():
        return f"{left} {right}"  # no hyphen at the end, or a dash after a space
    head = re.search(r"[^\W\d_]+$", left[:-1])
    tail = re.match(r"[^\W\d_]+", right)
    if head is None or tail is None or not tail.group(0)[0].islower():
        return left + right  # "UN-" + "Women", "2020-" + "2021": the hyphen stays, no space
    if _is_broken_word(head.group(0), tail.group(0), evidence):
        return left[:-1] + right
    return left + right


def _is_broken_word(head: str, tail: str, evidence: frozenset[str]) -> bool:
    """True when ``head``-``tail`` is one word broken at a line end, not a compound."""
    joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
    if (joined in evidence) != (hyphenated in evidence):
        return joined in evidence
    return _english_prefers_joined(joined, hyphenated)


@lru_cache(maxsize=4096)
def _english_prefers_joined(joined: str, hyphenated: str) -> bool:
    """Whether English writes ``joined`` at least as often as ``hyphenated`` (and at all)."""
    from wordfreq import zipf_frequency  # imported here: only texts with broken words need it

    as_one = zipf_frequency(joined, "en", wordlist="small")
    return as_one > 0 and as_one >= zipf_frequency(hyphenated, "en", wordlist="small")
