"""charts.yaml is read through the one knowledge-file loader: checked, and errors located."""

from __future__ import annotations

from importlib import resources

import pytest

from core.datafile import DataFileError, parse
from normalize.scheme import ACCEPTANCE, IMPLEMENTATION
from rectrack.charts import Palette, palette


def _yaml() -> str:
    return resources.files("rectrack").joinpath("charts.yaml").read_text(encoding="utf-8")


def test_every_scheme_value_has_its_colour_in_charts_yaml() -> None:
    assert set(palette()["acceptance"]) == set(ACCEPTANCE)
    assert set(palette()["implementation"]) == set(IMPLEMENTATION)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('  noted: "#d9ef8b"', '  noted: "d9ef8b"', ":9: acceptance.noted:"),  # not a colour
        ('other: "#969696"', 'other: "#969696"\nothers: "#000"', ":29: others:"),  # unknown key
        ('  implementation_rate: "#1a9850"', "", ": rates.implementation_rate:"),  # missing
    ],
)
def test_a_mistake_in_charts_yaml_names_file_line_and_key(old: str, new: str, where: str) -> None:
    text = _yaml()
    assert old in text
    with pytest.raises(DataFileError, match=r"^charts\.yaml") as caught:
        parse(text.replace(old, new), Palette, "charts.yaml")
    assert where in str(caught.value)
