"""Evidence of a recommendation's status, each piece with where it was read.

Three kinds, strongest first: a label in a typed place (a ``key: value`` line, a cell under a
status column, a cell that is a status word whatever its header), a status phrase in the
prose of the recommendation's region or in a sentence naming it ("Recommendation 6 was
accepted and its implementation is in progress"), and counts ("The 10 formal
recommendations are under consideration", a count table's row for the review)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cues import STATUS_FIELDS, Cues
from .vocab import Vocab, classify, fold

LABEL = 3  # printed in a typed place
PROSE_KEY = 3  # prose under a key such as "Management response:" (read by the normalizer)
PHRASE = 2  # a status phrase in prose
COUNT = 1  # a count statement that covers the recommendation

_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[\"“(A-Z0-9])")
_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ()/&'’-]{1,40}?)\s*:\s*(.*)$")
_AUX = re.compile(r"^(?:is|was|were|are|been|has been|have been)\s+(?!not\b)", re.I)
_SHORT_LABEL_WORDS = 6


@dataclass
class Ev:
    field: (
        str  # acceptance | implementation | acceptance_prose | addressee | responsible | deadline
    )
    raw: str
    strength: int
    page: int | None
    seq: float  # reading order: the later statement wins among equals


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(fold(text)) if s.strip()]


def phrase_hits(sentence: str, cues: Cues) -> dict[str, str]:
    """The status phrase per field in one sentence: the longest match (then the earliest)."""
    out: dict[str, str] = {}
    for field in STATUS_FIELDS:
        best: tuple[int, int, str] | None = None
        for _value, pattern in cues.phrases[field]:
            for m in pattern.finditer(sentence):
                key = (-(m.end() - m.start()), m.start())
                if best is None or key < best[:2]:
                    best = (key[0], key[1], m.group(0))
        if best is not None:
            out[field] = _AUX.sub("", best[2]).strip()
    return out


def cell_label(text: str, cues: Cues) -> dict[str, str]:
    """A short cell that is a status word ("Under implementation", "Accepted and
    implemented"): the field(s) it gives, typed by content whatever its column says."""
    t = fold(text).strip(" .;")
    if not t or len(t.split()) > _SHORT_LABEL_WORDS:
        return {}
    for pattern in cues.combined:
        m = pattern.match(t)
        if m:
            return {k: v for k, v in m.groupdict().items() if v}
    squeezed = t.replace(" ", "")
    for field in STATUS_FIELDS:
        if cues.cell_labels[field].match(t) or cues.cell_labels_despaced[field].match(squeezed):
            return {field: t}
    return {}


def key_values(text: str, vocab: Vocab) -> list[tuple[str, str]]:
    """``key: value`` lines whose key names a field ("Status: Under implementation",
    "Management response: Agree."); a value runs to the next key line."""
    out: list[tuple[str, str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        m = _KEY_LINE.match(line)
        if m:  # any key ends the value above it ("Priority: High" under "Status: ...")
            field = classify(m.group(1), vocab.fields, vocab.fields_despaced)
            current = [field, m.group(2)] if field else None
            if current is not None:
                out.append((current[0], current[1]))
            continue
        if current is not None and line.strip():
            current[1] = f"{current[1]}\n{line}"
            out[-1] = (current[0], current[1])
    return [(f, v.strip()) for f, v in out if v.strip()]


def status_from_value(field: str, value: str, cues: Cues) -> list[tuple[str, str, int]]:
    """(field, raw, strength) for a value read under a key or a typed column."""
    value = cues.value_stamps.sub("", value).strip()  # "[Added: 2021/11/27]": no value
    if not value:
        return []
    if field in STATUS_FIELDS or field == "acceptance_prose":
        # "Partially agreed. Monitoring is being reviewed.": the label is the first sentence
        label = cell_label(value, cues) or cell_label(first_sentence(value), cues)
        if label:
            return [(f, v, LABEL) for f, v in label.items()]
    if field in STATUS_FIELDS:
        label = cell_label(value, cues)
        if label:
            return [(f, v, LABEL) for f, v in label.items()]
        if len(value.split()) <= _SHORT_LABEL_WORDS:
            return [(field, fold(value).strip(" ."), LABEL)]
        inline = cues.inline_status.search(fold(value))  # "... completed. Status: Implemented"
        if inline:
            found = cell_label(inline.group("label"), cues)
            return [(f, v, LABEL) for f, v in found.items()] or [
                (field, inline.group("label").strip(), LABEL)
            ]
        head = first_sentence(value)
        if len(head.split()) <= _SHORT_LABEL_WORDS:  # "Completed in 2020. For details, see ..."
            return [(field, fold(value), LABEL)]  # the normalizer reads the first sentence
        hits = phrase_hits(head, cues)
        # a narrative with no status words in it ("Current status: the office has begun ...")
        # states no status: nothing is read from it rather than a label nobody printed
        return [(f, v, PHRASE) for f, v in hits.items()]
    if field == "acceptance_prose":
        label = cell_label(value, cues)
        if label:
            return [(f, v, LABEL) for f, v in label.items()]
        if len(value.split()) <= _SHORT_LABEL_WORDS:
            return [("acceptance", fold(value).strip(" ."), LABEL)]
        # the decision is stated first ("UNDP partially agrees with this recommendation for
        # the following reasons: (a) UNDP will consider ..."): the earliest phrase is the label
        for sentence in sentences(value):
            hit = phrase_hits(sentence, cues).get("acceptance")
            if hit:
                return [("acceptance", hit, PROSE_KEY)]
        # no phrase found: the prose goes to the normalizer, unless anything else says more
        return [("acceptance_prose", value, COUNT)]
    return [(field, value, LABEL)]


def first_sentence(text: str) -> str:
    parts = sentences(text)
    return parts[0] if parts else ""
