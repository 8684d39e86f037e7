"""The knowledge-file loader names the file, the key and the line of a mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from core.datafile import DataFileError, Strict, load, parse


class Section(Strict):
    labels: dict[str, list[str]] = Field(default_factory=dict)
    weight: float = 1.0


class Schema(Strict):
    acceptance: Section
    implementation: Section = Section()


def test_valid_file_gives_the_model() -> None:
    got = parse("acceptance:\n  labels:\n    accepted: [Accepted, Agreed]\n", Schema, "v.yaml")
    assert got.acceptance.labels == {"accepted": ["Accepted", "Agreed"]}
    assert got.implementation.weight == 1.0


def test_unknown_key_is_named_with_its_line() -> None:
    text = "acceptance:\n  labels: {}\n  lables:\n    accepted: [x]\n"
    with pytest.raises(DataFileError, match=r"^v\.yaml:3: acceptance\.lables: Extra inputs"):
        parse(text, Schema, "v.yaml")


def test_wrong_type_is_named_with_its_line() -> None:
    text = "acceptance:\n  weight: heavy\n"
    with pytest.raises(DataFileError, match=r"^v\.yaml:2: acceptance\.weight: "):
        parse(text, Schema, "v.yaml")


def test_list_item_of_wrong_type_points_at_the_item() -> None:
    text = "acceptance:\n  labels:\n    accepted:\n      - ok\n      - {a: 1}\n"
    with pytest.raises(DataFileError, match=r"^v\.yaml:5: acceptance\.labels\.accepted\.1"):
        parse(text, Schema, "v.yaml")


def test_missing_key_points_at_its_parent() -> None:
    with pytest.raises(DataFileError, match=r"^v\.yaml:1: acceptance: Field required"):
        parse("implementation: {}\n", Schema, "v.yaml")


def test_bad_yaml_names_the_line() -> None:
    with pytest.raises(DataFileError, match=r"^v\.yaml:3: not valid YAML"):
        parse("acceptance:\n  labels: [a\n  weight: 1\n", Schema, "v.yaml")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load(tmp_path / "missing.yaml", Schema)


def test_misspelt_key_is_reported_before_the_missing_one() -> None:
    text = "implementation: {}\nacceptence:\n  labels: {}\n"
    with pytest.raises(DataFileError, match=r"^v\.yaml:2: acceptence: Extra inputs"):
        parse(text, Schema, "v.yaml")
