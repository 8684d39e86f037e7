"""Mutated real reports through check_file and the readers: nothing but RectrackError escapes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import RectrackError
from extract.safety import check_file

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# The smallest report of each format keeps each example well under a second.
SOURCES = [min(CORPUS.glob(f"*.{ext}"), key=lambda p: p.stat().st_size) for ext in ("pdf", "docx")]

position = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
mutation = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), position, st.just(0)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("zero"), position, st.integers(1, 4096)),
)


def mutate(data: bytes, ops: list[tuple[str, float, Any]]) -> bytes:
    out = bytearray(data)
    for op, where, arg in ops:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if not out:
            break
        if op == "flip":
            out[at] ^= int(arg)
        elif op == "truncate":
            del out[at:]
        elif op == "insert":
            out[at:at] = bytes(arg)
        else:
            out[at : at + int(arg)] = bytes(len(out[at : at + int(arg)]))
    return bytes(out)


def readers() -> dict[str, Callable[[Path], object]]:
    try:
        from extract.docx import convert as docx_convert
        from extract.pdf import convert as pdf_convert
    except ImportError as exc:
        pytest.skip(f"readers not importable yet: {exc}")
    return {"pdf": pdf_convert, "docx": docx_convert}


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=st.sampled_from(SOURCES), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_reports_raise_only_rectrack_errors(
    source: Path, ops: list[tuple[str, float, Any]]
) -> None:
    convert = readers()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(mutate(source.read_bytes(), ops))
        try:
            fmt = check_file(path)
            convert[fmt](path)
        except RectrackError:
            pass
