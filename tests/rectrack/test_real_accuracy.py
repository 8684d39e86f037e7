"""The real set (corpus/real: eight UN documents issued in 2025, nobody here made them), end to
end, against the hand-made gold (tests/gold_real_visible.csv; every choice explained in
corpus/real/SOURCES.md). Scored per document and per field by tests/gold_real.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from rectrack.cli import cli
from tests.gold_real import FIELDS, Score, score

REAL = Path(__file__).resolve().parents[2] / "corpus" / "real"
SOURCES = sorted(p.stem for p in REAL.glob("*.pdf"))
LOOK_ALIKES = ("DP_2025_4", "DP_FPA_2025_5")  # similar tables, no status for any one recommendation
FLOOR = 0.90
pytestmark = pytest.mark.slow  # a full run over the eight real documents


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("real") / "rectrack.sqlite"
    result = CliRunner().invoke(cli, ["run", str(REAL), "--db", str(db), "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output  # no document fails
    return db


@pytest.fixture(scope="module")
def real_score(real_db: Path) -> Score:
    result = score(real_db, SOURCES)
    print("\n" + result.table())
    return result


def test_every_document_loads(real_db: Path) -> None:
    con = sqlite3.connect(real_db)
    statuses = dict(con.execute("select source_file, status from documents").fetchall())
    con.close()
    assert len(statuses) == len(SOURCES)
    assert set(statuses.values()) == {"loaded"}, statuses


@pytest.mark.parametrize("source", LOOK_ALIKES)
def test_look_alikes_give_no_records(real_score: Score, source: str) -> None:
    assert real_score.docs[source].extra == []


def test_recall(real_score: Score) -> None:
    total = real_score.total()
    assert real_score.rate("recall") >= FLOOR, "\n".join(total.missing)


def test_no_records_beyond_the_gold(real_score: Score) -> None:
    assert real_score.total().extra == []


@pytest.mark.parametrize("field", FIELDS)
def test_field_accuracy(real_score: Score, field: str) -> None:
    wrong = [w for w in real_score.total().wrong if f" {field}: " in w]
    assert real_score.rate(field) >= FLOOR, "\n".join(wrong)
