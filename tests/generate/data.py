"""The YAML knowledge the generators draw on (layout wording, agencies, phrases)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent


@cache
def layouts() -> dict[str, Any]:
    """Per-layout labels, columns and outcome weights (layouts.yaml)."""
    with (HERE / "layouts.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@cache
def content() -> dict[str, Any]:
    """Agencies and phrase pools (content.yaml)."""
    with (HERE / "content.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def layout(name: str) -> dict[str, Any]:
    try:
        return dict(layouts()[name])
    except KeyError:
        raise ValueError(f"unknown layout {name!r}; known: {sorted(layouts())}") from None
