"""The common status scheme (docs/status-scheme.md): the values every stage may rely on.

Kept in code, not in the vocabulary file, because they are the contract the vocabulary is
checked against: a typo in a YAML target must fail loudly at load time, not reach the database.
"""

from __future__ import annotations

from typing import Final

ACCEPTANCE: Final = frozenset(
    {
        "accepted",
        "partially_accepted",
        "not_accepted",
        "under_consideration",
        "not_relevant",
        "noted",
        "not_applicable",
        "unknown",
    }
)

IMPLEMENTATION: Final = frozenset(
    {
        "not_started",
        "in_progress",
        "implemented",
        "closed_unimplemented",
        "not_applicable",
        "unknown",
    }
)

# previous_implementation uses the implementation and acceptance vocabularies together
# ('Previously "under consideration"' gives under_consideration).
PREVIOUS: Final = IMPLEMENTATION | ACCEPTANCE

ADDRESSEE: Final = frozenset({"legislative_body", "executive_head", "other", "unknown"})

# Acceptance values that leave nothing to implement: a blank implementation cell after one of
# these is `not_applicable`, after any other acceptance it is `unknown`.
NOTHING_TO_IMPLEMENT: Final = frozenset(
    {"not_accepted", "not_relevant", "under_consideration", "noted", "not_applicable"}
)

UNKNOWN: Final = "unknown"

FIELDS: Final = {
    "acceptance": ACCEPTANCE,
    "implementation": IMPLEMENTATION,
    "previous_implementation": PREVIOUS,
    "addressee": ADDRESSEE,
}
