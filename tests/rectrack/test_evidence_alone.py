"""The evidence walk alone, without the table recognizers for known shapes (keyvalue,
columns): the corpus's three layouts (WIPO key/value tables, ITU check-box matrices, UN-Women's
management response) and the real set are read by the one mechanism that starts from the
recommendation. The shipped pipeline still runs the table recognizers first (they keep a check-box
row nobody ticked); this measures that they are a convenience, not the only way in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import extract.recognizers as recognizers
from rectrack.cli import cli
from tests.gold import FIELDS, compare
from tests.gold_real import score

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # full runs over the corpus and the real set


def _run(folder: Path, db: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(db), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_corpus_read_by_evidence_alone(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recognizers, "REGISTRY", [])
    for f in (ROOT / "corpus").glob(f"*.{fmt}"):
        shutil.copy(f, tmp_path / f.name)
    _run(tmp_path, tmp_path / "db.sqlite")
    acc = compare(tmp_path / "db.sqlite")
    print(f"\n{fmt}, evidence alone: {acc.summary()}")
    assert acc.missing == [] and acc.extra == []
    for name in FIELDS:
        assert acc.rate(name) >= 0.99, "\n".join(acc.wrong[name])


def test_real_set_read_by_evidence_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recognizers, "REGISTRY", [])
    _run(ROOT / "corpus" / "real", tmp_path / "db.sqlite")
    result = score(
        tmp_path / "db.sqlite", sorted(p.stem for p in (ROOT / "corpus" / "real").glob("*.pdf"))
    )
    print("\n" + result.table())
    assert result.total().extra == []
    for name in ("recall", *FIELDS):
        assert result.rate(name) >= 0.90
