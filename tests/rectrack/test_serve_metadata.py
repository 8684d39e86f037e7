"""metadata.yaml goes through the one knowledge-file loader: a misspelt Datasette key, which
Datasette itself would silently ignore, is an error naming the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.datafile import DataFileError
from rectrack.serve import load_metadata

SHIPPED = Path(__file__).resolve().parents[2] / "rectrack" / "metadata.yaml"


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("        hide_sql: true", "        hide_sql: yes please", "hide_sql"),  # not a boolean
        ("        facets: [agency]", "        facet: [agency]", "facet"),  # misspelt: unknown key
        ("        hide_sql: true", "        write: true", "write"),  # the server is read-only
    ],
)
def test_a_mistake_in_metadata_names_file_line_and_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "metadata.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_metadata(path=bad)
    message = str(caught.value)
    assert message.startswith(f"{bad}:{_line_of(text, old)}: databases.rectrack.")
    assert f".{key}:" in message


def test_anchors_are_dropped_and_the_database_renamed() -> None:
    metadata = load_metadata("served")
    assert not [k for k in metadata if k.startswith("x-")]
    assert list(metadata["databases"]) == ["served"]
    assert metadata["databases"]["served"]["tables"]["v_rates"]["columns"]["agency"]
