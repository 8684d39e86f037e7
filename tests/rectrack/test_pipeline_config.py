"""Settings travel as arguments: one RunConfig, built once, reaches every stage and every
worker; nothing below the CLI reads the environment."""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.errors import ExtractError
from extract import pdf
from extract.config import ExtractConfig
from rectrack import pipeline
from rectrack.cli import cli
from rectrack.config import RunConfig, WorkerLimits

REPO = Path(__file__).resolve().parents[2]
PDF = REPO / "corpus" / "ITU_C22-61_JIU_system-wide_reports.pdf"


def _no_pdfium(*_: Any, **__: Any) -> Any:
    raise ExtractError("the PDFium reader was used")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 2])
def test_the_pdf_engine_reaches_the_workers_through_the_config(
    workers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment says pdfium, the configuration pdfplumber: the configuration wins, in
    this process and in forked workers alike."""
    monkeypatch.setenv("RECTRACK_PDF_ENGINE", "pdfium")
    monkeypatch.setattr(pdf, "_read_pages_pdfium", _no_pdfium)  # inherited by forked workers
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PDF, folder / PDF.name)
    config = RunConfig.build(db=str(tmp_path / "db.sqlite"), workers=workers)
    summary = pipeline.run([folder], config)
    assert [o.error for o in summary.outcomes] == ["the PDFium reader was used"]
    plumber = RunConfig.build(
        db=str(tmp_path / "db.sqlite"), workers=workers, pdf_engine="pdfplumber", force=True
    )
    summary = pipeline.run([folder], plumber)
    (outcome,) = summary.outcomes
    assert outcome.status == "loaded", outcome.error
    assert outcome.records > 0


def test_cli_pdf_engine_leaves_the_environment_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECTRACK_PDF_ENGINE", raising=False)
    monkeypatch.setattr(pdf, "_read_pages_pdfium", _no_pdfium)
    args = ["run", str(PDF), "--db", str(tmp_path / "db.sqlite"), "-j", "2", "-q"]
    result = CliRunner().invoke(cli, [*args, "--pdf-engine", "pdfplumber"])
    assert result.exit_code == 0, result.output
    assert "RECTRACK_PDF_ENGINE" not in os.environ


def test_nothing_below_the_cli_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ|getenv\(|environ\.get")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for package in ("core", "extract", "normalize", "load", "rectrack")
        for path in sorted((REPO / package).rglob("*.py"))
        if path != REPO / "rectrack" / "cli.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if reads.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timeout_s": -1}, "timeout"),
        ({"timeout_s": 0}, "timeout"),
        ({"timeout_s": math.nan}, "timeout"),
        ({"timeout_s": math.inf}, "timeout"),
        ({"memory_mb": 0}, "memory"),
        ({"memory_mb": -5}, "memory"),
        ({"workers": -1}, "workers"),
        ({"pdf_engine": "acrobat"}, "engine"),
        ({"split_pages": 0}, "split_pages"),
    ],
)
def test_a_bad_setting_is_refused_when_the_config_is_built(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RunConfig.build(**kwargs)


def test_config_is_frozen_and_carries_each_stage() -> None:
    config = RunConfig.build(db="x.sqlite", pdf_engine="pdfplumber", timeout_s=5, memory_mb=64)
    assert config.extract.pdf.engine == "pdfplumber"
    assert config.load.db == "x.sqlite"
    assert config.limits == WorkerLimits(5.0, 64)
    assert ExtractConfig().pdf.engine == "pdfium"
    with pytest.raises(AttributeError):
        config.workers = 3  # type: ignore[misc]
