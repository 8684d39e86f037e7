"""The corpus, end to end, against the hand-checked gold: one run per format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectrack.cli import cli
from tests.gold import FIELDS, compare

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
pytestmark = pytest.mark.slow  # three full corpus runs through the CLI


@pytest.fixture(scope="module", params=["pdf-pdfium", "pdf-pdfplumber", "docx"])
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fmt, _, engine = request.param.partition("-")
    folder = tmp_path_factory.mktemp(f"corpus-{request.param}")
    for f in CORPUS.glob(f"*.{fmt}"):
        shutil.copy(f, folder / f.name)
    db = folder / "rectrack.sqlite"
    args = ["run", str(folder), "--db", str(db), "--workers", "2", "-q"]
    if engine:
        args += ["--pdf-engine", engine]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return db


def test_every_gold_recommendation_and_nothing_else(corpus_db: Path) -> None:
    acc = compare(corpus_db)
    print(f"\n{corpus_db.parent.name}: {acc.summary()}")
    assert acc.missing == []
    assert acc.extra == []


@pytest.mark.parametrize("field", FIELDS)
def test_field_accuracy_at_least_99_percent(corpus_db: Path, field: str) -> None:
    acc = compare(corpus_db)
    assert acc.rate(field) >= 0.99, "\n".join(acc.wrong[field][:20])
