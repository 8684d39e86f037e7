"""One loader for every knowledge file (vocabularies, header synonyms, organizations, ...).

Knowledge is data that analysts edit by hand, so a mistake in it must be reported the way a
compiler reports one: the file, the key and the line. Each file has one schema, a pydantic
model with unknown keys forbidden; this module reads the YAML once, keeps the line of every
key, validates, and turns the first validation error (an unknown key before any other: a
misspelt key is both unknown and missing, and its line is the one to fix) into a
:class:`DataFileError` that names ``file:line: key.path: message``. Stages define their
schemas next to the code that uses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import RectrackError

M = TypeVar("M", bound=BaseModel)

# libyaml's parser where PyYAML was built with it (its wheels are): the same nodes, marks and
# values as the pure-Python SafeLoader, about ten times faster on the larger knowledge files.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(RectrackError):
    """A knowledge file that cannot be used: unreadable, not YAML, or not of its schema. Its
    message starts with the place (``file:line: key: message``), so it survives being stored
    or re-raised as a stage's own error type."""


class Strict(BaseModel):
    """Base of every knowledge-file schema: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Record the 1-based line of every mapping key and sequence item under ``node``."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            out[sub] = key.start_mark.line + 1
            _lines(value, sub, out)
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def _where(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    """The line of the deepest part of ``loc`` that the file has (a missing key: its parent)."""
    for n in range(len(loc), -1, -1):
        key = tuple(str(p) if not isinstance(p, int) else p for p in loc[:n])
        if key in lines:
            return lines[key]
    return None


def parse(text: str, schema: type[M], source: str) -> M:
    """Validate YAML ``text`` against ``schema``; ``source`` names it in errors."""
    try:
        node, data = _compose_and_construct(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(f"{source}{line}: not valid YAML: {problem}") from exc
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    try:
        return schema.model_validate(data if data is not None else {})
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key shows as both an unknown key and a missing one: the unknown key's
        # line is the one to fix, so it is reported first.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(err["loc"])
        where = _where(loc, lines)
        key = ".".join(str(p) for p in loc) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        at = f":{where}" if where is not None else ""
        raise DataFileError(f"{source}{at}: {key}: {err['msg']}{more}") from None


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for the line of every key) and its values, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def load(path: Path, schema: type[M]) -> M:
    """Read and validate the knowledge file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse(text, schema, str(path))
